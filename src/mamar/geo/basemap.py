"""The offline base map: an imported extract's roads and named places, cut to a view.

Served by Mamar itself (no tile server, no internet). For a box and a zoom level it
keeps the roads that matter at that zoom (motorways first, lanes only close up),
clipped to the box and simplified to about a pixel, merged into one multi-line per
class, and the named places of that zoom, each labelled in the page's language when
the extract names it so. Road names are labelled close up, once per name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from mamar.geo.roads import PLACE_KINDS, BBox, OsmPlace

#: Each highway's importance: 0 the most important. ``_link`` roads as their road.
ROAD_RANK = {
    "motorway": 0,
    "trunk": 0,
    "primary": 1,
    "secondary": 2,
    "tertiary": 3,
    "unclassified": 4,
    "residential": 4,
    "road": 4,
    "living_street": 5,
    "service": 5,
    "track": 5,
}
#: The lowest zoom at which a road of each rank is drawn.
RANK_ZOOM = (0, 8, 10, 12, 13, 15)
#: How roads are drawn: the class of each rank.
RANK_CLASS = ("major", "major", "secondary", "secondary", "minor", "minor")
#: The lowest zoom at which a place of each kind is labelled.
PLACE_ZOOM = {
    "city": 0,
    "town": 9,
    "suburb": 11,
    "village": 11,
    "quarter": 13,
    "neighbourhood": 14,
    "hamlet": 14,
    "locality": 15,
}
#: Road names are labelled from this zoom on.
ROAD_NAMES_ZOOM = 15
MIN_ZOOM, MAX_ZOOM = 0, 19


def road_rank(highway: str) -> int:
    return ROAD_RANK.get(highway.removesuffix("_link"), 5)


def pixel_degrees(zoom: int) -> float:
    """About one screen pixel, in degrees, at ``zoom`` (Web Mercator's 256-pixel tiles)."""
    return 360.0 / float(256 * 2**zoom)


@dataclass
class BaseMap:
    """Every road and named place of the imported extracts, indexed by where they lie."""

    lines: NDArray[Any]
    ranks: NDArray[np.int64]
    names: list[str | None]
    places: list[OsmPlace]
    _tree: Any = field(default=None, repr=False)

    @classmethod
    def build(
        cls, roads: list[tuple[str, str | None, NDArray[np.float64]]], places: list[OsmPlace]
    ) -> BaseMap:
        """From ``(highway, name, lon/lat polyline)`` per road piece, and the places."""
        lines = np.array(
            [shapely.linestrings(coords) for _, _, coords in roads], dtype=object
        ).reshape(-1)
        ranks = np.array([road_rank(highway) for highway, _, _ in roads], dtype=np.int64)
        order = {kind: i for i, kind in enumerate(PLACE_KINDS)}
        ranked = sorted(places, key=lambda p: (order.get(p.kind, len(order)), p.name))
        return cls(lines, ranks, [name for _, name, _ in roads], ranked)

    @property
    def empty(self) -> bool:
        return len(self.lines) == 0 and not self.places

    def tree(self) -> Any:
        if self._tree is None:
            self._tree = shapely.STRtree(self.lines)
        return self._tree

    def bounds(self) -> BBox | None:
        """The box of everything imported, or None."""
        points = [shapely.Point(p.lon, p.lat) for p in self.places]
        if len(self.lines) == 0 and not points:
            return None
        found = shapely.total_bounds(np.array([*self.lines, *points], dtype=object))
        if np.isnan(found).any():
            return None
        return float(found[0]), float(found[1]), float(found[2]), float(found[3])

    def view(self, bbox: BBox, zoom: int, lang: str) -> dict[str, Any]:
        """The base map within ``bbox`` at ``zoom``, as a GeoJSON FeatureCollection."""
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        pixel = pixel_degrees(zoom)
        margin = 8 * pixel
        box = (bbox[0] - margin, bbox[1] - margin, bbox[2] + margin, bbox[3] + margin)
        features = self._roads(box, zoom, pixel, lang)
        features += self._places(box, zoom, lang)
        return {
            "type": "FeatureCollection",
            "layer": "base",
            "zoom": zoom,
            "features": features,
        }

    def _roads(self, box: BBox, zoom: int, pixel: float, lang: str) -> list[dict[str, Any]]:
        if len(self.lines) == 0:
            return []
        hits = self.tree().query(shapely.box(*box))
        drawn = max(rank for rank, low in enumerate(RANK_ZOOM) if zoom >= low)
        hits = hits[self.ranks[hits] <= drawn]
        if len(hits) == 0:
            return []
        clipped = shapely.clip_by_rect(self.lines[hits], *box)
        simple = shapely.simplify(clipped, pixel * 0.75, preserve_topology=False)
        parts, owner = shapely.get_parts(simple, return_index=True)
        keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) >= pixel)
        parts, owner = parts[keep], hits[owner[keep]]
        if len(parts) == 0:
            return []
        coords, which = shapely.get_coordinates(parts, return_index=True)
        pieces = np.split(np.round(coords, 6), np.flatnonzero(np.diff(which)) + 1)
        per_class: dict[str, list[list[list[float]]]] = {}
        for index, piece in zip(owner, pieces, strict=True):
            per_class.setdefault(RANK_CLASS[int(self.ranks[index])], []).append(piece.tolist())
        named: dict[str, tuple[float, Any]] = {}
        if zoom >= ROAD_NAMES_ZOOM:
            lengths = shapely.length(parts)
            for index, part, length in zip(owner, parts, lengths, strict=True):
                name = self.names[index]
                if (
                    name
                    and self.ranks[index] <= 4
                    and (name not in named or named[name][0] < length)
                ):
                    named[name] = (float(length), part)
        features: list[dict[str, Any]] = [
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": lines},
                "properties": {"layer": "road", "class": klass, "count": len(lines)},
            }
            for klass, lines in sorted(per_class.items())
        ]
        for name, (_length, part) in sorted(named.items(), key=lambda item: -item[1][0]):
            middle = shapely.line_interpolate_point(part, 0.5, normalized=True)
            point = [round(float(middle.x), 6), round(float(middle.y), 6)]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": point},
                    "properties": {"layer": "road_name", "label": name, "label_lang": ""},
                }
            )
        return features

    def _places(self, box: BBox, zoom: int, lang: str) -> list[dict[str, Any]]:
        features = []
        for rank, place in enumerate(self.places):
            if zoom < PLACE_ZOOM.get(place.kind, MAX_ZOOM):
                continue
            if not (box[0] <= place.lon <= box[2] and box[1] <= place.lat <= box[3]):
                continue
            own = {"ar": place.name_ar, "en": place.name_en}.get(lang)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                    "properties": {
                        "layer": "base_place",
                        "kind": place.kind,
                        "rank": rank,
                        "label": own or place.name,
                        # The extract's own name is in the place's language, not known here.
                        "label_lang": lang if own else "",
                    },
                }
            )
        return features
