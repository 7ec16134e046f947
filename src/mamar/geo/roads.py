"""A routable road graph: built from an OpenStreetMap extract with pyosmium.

Nodes are the points where roads meet or end; an edge is the road between two
of them, with its full geometry, its length in metres and the directions it
may be driven in (one-way streets and roundabouts honoured).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString

from mamar.domain.errors import DomainError
from mamar.geo.projection import LocalPlane, segment_lengths

# Roads a vehicle convoy can use; footways, cycleways and paths are left out.
ROUTABLE = frozenset(
    {
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "primary",
        "primary_link",
        "secondary",
        "secondary_link",
        "tertiary",
        "tertiary_link",
        "unclassified",
        "residential",
        "living_street",
        "service",
        "road",
        "track",
    }
)
_NO_ACCESS = frozenset({"no", "private"})

BBox = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def parse_bbox(text: str) -> BBox:
    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4 or parts[0] >= parts[2] or parts[1] >= parts[3]:
        raise DomainError(
            "invalid_bbox",
            "give the box as min_lon,min_lat,max_lon,max_lat (e.g. 37.0,36.1,37.3,36.3)",
            field="bbox",
        )
    return parts[0], parts[1], parts[2], parts[3]


def _linestrings(coords: list[NDArray[np.float64]]) -> NDArray[Any]:
    counts = [len(c) for c in coords]
    flat = np.concatenate(coords) if coords else np.empty((0, 2))
    indices = np.repeat(np.arange(len(coords)), counts)
    lines: NDArray[Any] = shapely.linestrings(flat, indices=indices)
    return lines


@dataclass
class RoadGraph:
    """Nodes and edges as arrays; ``edge_coords[i]`` is edge i's (n, 2) lon/lat polyline."""

    name: str
    node_osm: NDArray[np.int64]
    node_lon: NDArray[np.float64]
    node_lat: NDArray[np.float64]
    edge_source: NDArray[np.int64]
    edge_target: NDArray[np.int64]
    edge_length: NDArray[np.float64]
    edge_forward: NDArray[np.bool_]
    edge_backward: NDArray[np.bool_]
    edge_way: NDArray[np.int64]
    edge_highway: list[str]
    edge_name: list[str | None]
    edge_coords: list[NDArray[np.float64]]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def node_count(self) -> int:
        return len(self.node_lon)

    @property
    def edge_count(self) -> int:
        return len(self.edge_length)

    def plane(self) -> LocalPlane:
        if "plane" not in self._cache:
            self._cache["plane"] = LocalPlane(
                float((self.node_lon.min() + self.node_lon.max()) / 2),
                float((self.node_lat.min() + self.node_lat.max()) / 2),
            )
        plane: LocalPlane = self._cache["plane"]
        return plane

    def lines(self) -> NDArray[Any]:
        """Edge geometries, lon/lat."""
        if "lines" not in self._cache:
            self._cache["lines"] = _linestrings(self.edge_coords)
        lines: NDArray[Any] = self._cache["lines"]
        return lines

    def metric_lines(self) -> NDArray[Any]:
        """Edge geometries in the graph's metric plane, with an STR tree over them."""
        if "metric" not in self._cache:
            self._cache["metric"] = self.plane().to_metric(self.lines())
        metric: NDArray[Any] = self._cache["metric"]
        return metric

    def edge_line(self, edge: int, reverse: bool = False) -> LineString:
        coords = self.edge_coords[edge]
        return LineString(coords[::-1] if reverse else coords)


@dataclass
class _Way:
    id: int
    refs: list[int]
    coords: list[tuple[float, float]]
    forward: bool
    backward: bool
    highway: str
    name: str | None


def _directions(tags: dict[str, str]) -> tuple[bool, bool]:
    oneway = tags.get("oneway", "")
    if oneway in ("yes", "true", "1"):
        return True, False
    if oneway == "-1":
        return False, True
    if oneway == "no":
        return True, True
    implied = tags.get("junction") in ("roundabout", "circular") or tags.get("highway") in (
        "motorway",
        "motorway_link",
    )
    return True, not implied


def _inside(lon: float, lat: float, bbox: BBox | None) -> bool:
    return bbox is None or (bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3])


def _pieces_inside(
    way: osmium.osm.Way, bbox: BBox | None
) -> list[tuple[list[int], list[tuple[float, float]]]]:
    """The runs of the way's nodes that lie inside the box (and the extract)."""
    pieces: list[tuple[list[int], list[tuple[float, float]]]] = [([], [])]
    for node in way.nodes:
        refs, coords = pieces[-1]
        if not node.location.valid() or not _inside(node.lon, node.lat, bbox):
            if refs:
                pieces.append(([], []))
            continue
        refs.append(node.ref)
        coords.append((node.lon, node.lat))
    return [(refs, coords) for refs, coords in pieces if len(refs) >= 2]


def _read_ways(path: Path, bbox: BBox | None) -> list[_Way]:
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.KeyFilter("highway"))
    )
    ways: list[_Way] = []
    for way in processor:
        if not isinstance(way, osmium.osm.Way):
            continue
        tags = {t.k: t.v for t in way.tags}
        if tags.get("highway") not in ROUTABLE or tags.get("access") in _NO_ACCESS:
            continue
        if tags.get("area") == "yes":
            continue
        forward, backward = _directions(tags)
        for refs, coords in _pieces_inside(way, bbox):
            ways.append(
                _Way(way.id, refs, coords, forward, backward, tags["highway"], tags.get("name"))
            )
    return ways


def build_graph(ways: list[_Way], name: str) -> RoadGraph:
    usage: dict[int, int] = {}
    for way in ways:
        for i, ref in enumerate(way.refs):
            # Ends count twice, so they always become graph nodes.
            usage[ref] = usage.get(ref, 0) + (2 if i in (0, len(way.refs) - 1) else 1)
    index: dict[int, int] = {}
    node_osm: list[int] = []
    node_lon: list[float] = []
    node_lat: list[float] = []
    sources: list[int] = []
    targets: list[int] = []
    lengths: list[float] = []
    forwards: list[bool] = []
    backwards: list[bool] = []
    way_ids: list[int] = []
    highways: list[str] = []
    names: list[str | None] = []
    coords_out: list[NDArray[np.float64]] = []

    def node_of(ref: int, lon: float, lat: float) -> int:
        found = index.get(ref)
        if found is None:
            found = index[ref] = len(node_osm)
            node_osm.append(ref)
            node_lon.append(lon)
            node_lat.append(lat)
        return found

    for way in ways:
        start = 0
        for i in range(1, len(way.refs)):
            if usage[way.refs[i]] < 2 and i != len(way.refs) - 1:
                continue
            piece = np.array(way.coords[start : i + 1], dtype=float)
            if way.refs[start] != way.refs[i] or len(piece) > 2:
                length = float(segment_lengths(piece[:, 0], piece[:, 1]).sum())
                if length > 0:
                    sources.append(node_of(way.refs[start], *way.coords[start]))
                    targets.append(node_of(way.refs[i], *way.coords[i]))
                    lengths.append(length)
                    forwards.append(way.forward)
                    backwards.append(way.backward)
                    way_ids.append(way.id)
                    highways.append(way.highway)
                    names.append(way.name)
                    coords_out.append(piece)
            start = i
    return RoadGraph(
        name=name,
        node_osm=np.array(node_osm, dtype=np.int64),
        node_lon=np.array(node_lon, dtype=float),
        node_lat=np.array(node_lat, dtype=float),
        edge_source=np.array(sources, dtype=np.int64),
        edge_target=np.array(targets, dtype=np.int64),
        edge_length=np.array(lengths, dtype=float),
        edge_forward=np.array(forwards, dtype=bool),
        edge_backward=np.array(backwards, dtype=bool),
        edge_way=np.array(way_ids, dtype=np.int64),
        edge_highway=highways,
        edge_name=names,
        edge_coords=coords_out,
    )


def read_osm(path: str | Path, *, name: str = "roads", bbox: BBox | None = None) -> RoadGraph:
    """The road graph of an ``.osm.pbf`` (or ``.osm``) file, optionally clipped to ``bbox``."""
    source = Path(path)
    if not source.exists():
        raise DomainError("not_found", f"no such file: {source}", field="file")
    graph = build_graph(_read_ways(source, bbox), name)
    if graph.edge_count == 0:
        raise DomainError("no_roads", "the extract has no drivable roads in the given area")
    return graph


#: Named places of an extract drawn on the base map, most important first.
PLACE_KINDS = (
    "city",
    "town",
    "suburb",
    "village",
    "quarter",
    "neighbourhood",
    "hamlet",
    "locality",
)


@dataclass(frozen=True)
class OsmPlace:
    """A named place of the extract (``place=*``): its names as OpenStreetMap spells them."""

    osm_id: int
    kind: str
    name: str
    name_ar: str | None
    name_en: str | None
    lon: float
    lat: float


def read_osm_places(path: str | Path, *, bbox: BBox | None = None) -> list[OsmPlace]:
    """The extract's named places (nodes tagged ``place``), optionally within ``bbox``."""
    processor = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(
        osmium.filter.KeyFilter("place")
    )
    found: list[OsmPlace] = []
    for node in processor:
        if not isinstance(node, osmium.osm.Node) or not node.location.valid():
            continue
        tags = {t.k: t.v for t in node.tags}
        name = tags.get("name")
        if tags.get("place") not in PLACE_KINDS or not name:
            continue
        if not _inside(node.lon, node.lat, bbox):
            continue
        found.append(
            OsmPlace(
                int(node.id),
                tags["place"],
                name,
                tags.get("name:ar"),
                tags.get("name:en"),
                float(node.lon),
                float(node.lat),
            )
        )
    return found
