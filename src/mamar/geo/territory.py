"""Who controlled what, when: control records indexed in space, filtered in time.

A control area state with several periods becomes one :class:`ControlRecord`
per period, so every question is "which records cover this place at time T".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

_CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class ControlRecord:
    """One period of one control area: ``party`` controlled ``geometry`` (lon/lat)."""

    area: str
    party: str
    geometry: BaseGeometry
    valid_from: datetime
    valid_to: datetime | None = None
    confidence: str = "medium"
    source: dict[str, Any] | str = ""  # who said so: a text with its language, as recorded
    name: str | None = None

    def valid(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_to is None or at < self.valid_to)


@dataclass(frozen=True)
class FrontRecord:
    id: str
    geometry: BaseGeometry  # a LineString, lon/lat
    valid_from: datetime
    valid_to: datetime | None = None
    confidence: str = "medium"
    source: dict[str, Any] | str = ""  # who said so: a text with its language, as recorded
    parties: tuple[str, ...] = ()
    name: str | None = None

    def valid(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_to is None or at < self.valid_to)


def _epoch(moment: datetime | None, default: float) -> float:
    return default if moment is None else moment.timestamp()


@dataclass
class ControlIndex:
    """Control records in an STR tree, with their validity as arrays for fast time filtering."""

    records: Sequence[ControlRecord]
    tree: STRtree = field(init=False)
    starts: NDArray[np.float64] = field(init=False)
    ends: NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        self.records = list(self.records)
        self.tree = STRtree([r.geometry for r in self.records])
        self.starts = np.array([_epoch(r.valid_from, -np.inf) for r in self.records], dtype=float)
        self.ends = np.array([_epoch(r.valid_to, np.inf) for r in self.records], dtype=float)

    def valid_mask(self, at: datetime) -> NDArray[np.bool_]:
        t = at.timestamp()
        mask: NDArray[np.bool_] = (self.starts <= t) & (t < self.ends)
        return mask

    def candidates(self, geometry: BaseGeometry, at: datetime) -> NDArray[np.intp]:
        """Indices of records valid at ``at`` whose geometry intersects ``geometry``."""
        if not self.records:
            return np.empty(0, dtype=np.intp)
        found: NDArray[np.intp] = self.tree.query(geometry, predicate="intersects")
        return found[self.valid_mask(at)[found]]

    def controllers(self, lon: float, lat: float, at: datetime) -> list[ControlRecord]:
        """Records covering the point at ``at``, most confident first."""
        found = [self.records[i] for i in self.candidates(Point(lon, lat), at)]
        return sorted(found, key=lambda r: (_CONFIDENCE_ORDER.get(r.confidence, 3), r.area))


def _as_index(areas: ControlIndex | Iterable[ControlRecord]) -> ControlIndex:
    return areas if isinstance(areas, ControlIndex) else ControlIndex(list(areas))


def who_controls(
    point: tuple[float, float] | Point,
    at: datetime,
    areas: ControlIndex | Iterable[ControlRecord],
) -> tuple[str, ...]:
    """The parties controlling ``point`` (lon, lat) at ``at``: none, one, or several if contested."""
    lon, lat = (point.x, point.y) if isinstance(point, Point) else point
    parties: list[str] = []
    for record in _as_index(areas).controllers(lon, lat, at):
        if record.party not in parties:
            parties.append(record.party)
    return tuple(parties)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def control_layer(
    areas: Iterable[ControlRecord],
    fronts: Iterable[FrontRecord],
    at: datetime,
    *,
    party_names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The state of control at ``at`` as a GeoJSON FeatureCollection, for the map."""
    names = party_names or {}
    features: list[dict[str, Any]] = []
    for record in areas:
        if record.valid(at):
            features.append(
                {
                    "type": "Feature",
                    "id": f"{record.area}@{record.valid_from.isoformat()}",
                    "geometry": shapely.geometry.mapping(record.geometry),
                    "properties": {
                        "layer": "control_area",
                        "area": record.area,
                        "name": record.name,
                        "party": record.party,
                        "party_name": names.get(record.party, record.party),
                        "valid_from": _iso(record.valid_from),
                        "valid_to": _iso(record.valid_to),
                        "confidence": record.confidence,
                        "source": record.source,
                    },
                }
            )
    for front in fronts:
        if front.valid(at):
            features.append(
                {
                    "type": "Feature",
                    "id": front.id,
                    "geometry": shapely.geometry.mapping(front.geometry),
                    "properties": {
                        "layer": "front_line",
                        "front_line": front.id,
                        "name": front.name,
                        "parties": list(front.parties),
                        "valid_from": _iso(front.valid_from),
                        "valid_to": _iso(front.valid_to),
                        "confidence": front.confidence,
                        "source": front.source,
                    },
                }
            )
    return {"type": "FeatureCollection", "at": at.isoformat(), "features": features}


def fronts_at(fronts: Iterable[FrontRecord], at: datetime) -> BaseGeometry | None:
    """All front lines valid at ``at`` as one geometry (lon/lat), or None."""
    lines = [f.geometry for f in fronts if f.valid(at)]
    if not lines:
        return None
    merged: BaseGeometry = shapely.union_all(lines) if len(lines) > 1 else lines[0]
    return merged
