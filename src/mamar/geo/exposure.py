"""Route exposure at a moment: how much of a route lies in whose control, how close to the
front line it runs, and which incidents happened near it recently.

Everything takes plain geometry (a lon/lat LineString) so it serves any route
version, a road-snapped path, or a proposed alternative. Candidate polygons and
incidents come from STR trees; only those are moved to a local metric plane
centred on the route.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import STRtree
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from mamar.geo.projection import LocalPlane, radii
from mamar.geo.territory import ControlIndex, ControlRecord, FrontRecord, fronts_at

FloatArray = NDArray[np.float64]

DEFAULT_SPEED_KMH = 20.0
DEFAULT_BUFFER_M = 500.0
DEFAULT_HOURS = 24.0
# Pieces of one party's stretch closer than this are one stretch (polygon seams).
_MERGE_GAP_M = 1.0


@dataclass(frozen=True)
class Incident:
    id: str
    lon: float
    lat: float
    at: datetime


class IncidentIndex:
    """Incident points in an STR tree, their times as an array."""

    def __init__(self, incidents: Sequence[Incident]) -> None:
        self.ids = [i.id for i in incidents]
        self.lon = np.array([i.lon for i in incidents], dtype=float)
        self.lat = np.array([i.lat for i in incidents], dtype=float)
        self.times = np.array([i.at.timestamp() for i in incidents], dtype=float)
        self.tree = STRtree(shapely.points(self.lon, self.lat))

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str],
        lon: NDArray[np.float64],
        lat: NDArray[np.float64],
        times: NDArray[np.float64],
    ) -> IncidentIndex:
        index = cls.__new__(cls)
        index.ids = list(ids)
        index.lon, index.lat, index.times = lon, lat, times
        index.tree = STRtree(shapely.points(lon, lat))
        return index

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Stretch:
    """A continuous part of the route, from ``start_m`` to ``end_m`` along it."""

    start_m: float
    end_m: float

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m


@dataclass(frozen=True)
class PartyExposure:
    party: str
    length_m: float
    duration_s: float
    share: float
    stretches: tuple[Stretch, ...]
    hostile: bool | None = None

    @property
    def longest(self) -> Stretch | None:
        return max(self.stretches, key=lambda s: s.length_m, default=None)


@dataclass(frozen=True)
class NearIncident:
    id: str
    distance_m: float
    along_m: float
    at: datetime


@dataclass(frozen=True)
class Exposure:
    at: datetime
    length_m: float
    duration_s: float
    speed_kmh: float
    by_party: tuple[PartyExposure, ...]
    uncontrolled_m: float  # length where no control is recorded at ``at``
    hostile_m: float | None
    front_min_m: float | None
    front_mean_m: float | None
    front_closest_along_m: float | None
    incidents: tuple[NearIncident, ...]
    incident_buffer_m: float
    incident_hours: float
    extra: dict[str, Any] = field(default_factory=dict)

    def party(self, party: str) -> PartyExposure | None:
        return next((p for p in self.by_party if p.party == party), None)

    def as_json(self) -> dict[str, Any]:
        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 1)

        return {
            "at": self.at.isoformat(),
            "length_m": r(self.length_m),
            "duration_s": r(self.duration_s),
            "speed_kmh": self.speed_kmh,
            "by_party": [
                {
                    "party": p.party,
                    "length_m": r(p.length_m),
                    "duration_s": r(p.duration_s),
                    "share": round(p.share, 4),
                    "hostile": p.hostile,
                    "stretches": [
                        {"start_m": r(s.start_m), "end_m": r(s.end_m), "length_m": r(s.length_m)}
                        for s in p.stretches
                    ],
                }
                for p in self.by_party
            ],
            "uncontrolled_m": r(self.uncontrolled_m),
            "hostile_m": r(self.hostile_m),
            "front_line": {
                "min_distance_m": r(self.front_min_m),
                "mean_distance_m": r(self.front_mean_m),
                "closest_at_m": r(self.front_closest_along_m),
            },
            "incidents": {
                "buffer_m": self.incident_buffer_m,
                "hours": self.incident_hours,
                "count": len(self.incidents),
                "items": [
                    {
                        "id": i.id,
                        "distance_m": r(i.distance_m),
                        "along_m": r(i.along_m),
                        "at": i.at.isoformat(),
                    }
                    for i in self.incidents
                ],
            },
        }


def _pieces(geometry: BaseGeometry) -> list[LineString]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry]
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, LineString) and g.length]


def stretches_of(line_m: LineString, covered: BaseGeometry) -> tuple[Stretch, ...]:
    """The continuous stretches of ``line_m`` (metric) inside ``covered`` (metric)."""
    inside = line_m.intersection(covered)
    spans: list[tuple[float, float]] = []
    for piece in _pieces(inside):
        a = line_m.project(Point(piece.coords[0]))
        b = line_m.project(Point(piece.coords[-1]))
        start, end = min(a, b), max(a, b)
        if end - start < piece.length * 0.5:
            # The route doubles back on itself; keep the piece's own length.
            end = start + piece.length
        spans.append((start, end))
    spans.sort()
    merged: list[list[float]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] <= _MERGE_GAP_M:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Stretch(s, e) for s, e in merged)


def route_exposure(
    line: LineString,
    at: datetime,
    *,
    areas: ControlIndex | Iterable[ControlRecord] = (),
    fronts: Iterable[FrontRecord] = (),
    incidents: IncidentIndex | Sequence[Incident] = (),
    hostile: Iterable[str] | None = None,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    buffer_m: float = DEFAULT_BUFFER_M,
    hours: float = DEFAULT_HOURS,
) -> Exposure:
    """The exposure of ``line`` (lon/lat) at ``at``; see the module docstring."""
    if speed_kmh <= 0:
        raise ValueError("speed must be positive")
    index = areas if isinstance(areas, ControlIndex) else ControlIndex(list(areas))
    plane = LocalPlane.around(line)
    line_m: LineString = plane.to_metric(line)
    total = float(line_m.length)
    speed = speed_kmh / 3.6
    hostile_set = set(hostile) if hostile is not None else None

    found = index.candidates(line, at)
    by_party_geoms: dict[str, list[BaseGeometry]] = {}
    metric = plane.to_metric(np.array([index.records[i].geometry for i in found], dtype=object))
    for i, geometry in zip(found, metric, strict=True):
        by_party_geoms.setdefault(index.records[i].party, []).append(geometry)

    parties: list[PartyExposure] = []
    party_union: dict[str, BaseGeometry] = {}
    for party, geometries in by_party_geoms.items():
        union = shapely.union_all(geometries) if len(geometries) > 1 else geometries[0]
        party_union[party] = union
        stretches = stretches_of(line_m, union)
        length = float(line_m.intersection(union).length)
        if length <= 0:
            continue
        parties.append(
            PartyExposure(
                party=party,
                length_m=length,
                duration_s=length / speed,
                share=length / total if total else 0.0,
                stretches=stretches,
                hostile=None if hostile_set is None else party in hostile_set,
            )
        )
    parties.sort(key=lambda p: (-p.length_m, p.party))
    if party_union:
        controlled = float(
            line_m.intersection(shapely.union_all(list(party_union.values()))).length
        )
    else:
        controlled = 0.0
    hostile_m: float | None = None
    if hostile_set is not None:
        hostile_geoms = [g for p, g in party_union.items() if p in hostile_set]
        hostile_m = (
            float(line_m.intersection(shapely.union_all(hostile_geoms)).length)
            if hostile_geoms
            else 0.0
        )

    front_min, front_mean, front_along = _front_distances(line_m, plane, fronts, at, total)
    near = _near_incidents(line, line_m, plane, incidents, at, buffer_m, hours)
    return Exposure(
        at=at,
        length_m=total,
        duration_s=total / speed,
        speed_kmh=speed_kmh,
        by_party=tuple(parties),
        uncontrolled_m=max(total - controlled, 0.0),
        hostile_m=hostile_m,
        front_min_m=front_min,
        front_mean_m=front_mean,
        front_closest_along_m=front_along,
        incidents=near,
        incident_buffer_m=buffer_m,
        incident_hours=hours,
    )


def _front_distances(
    line_m: LineString,
    plane: LocalPlane,
    fronts: Iterable[FrontRecord],
    at: datetime,
    total: float,
) -> tuple[float | None, float | None, float | None]:
    front = fronts_at(fronts, at)
    if front is None:
        return None, None, None
    front_m = plane.to_metric(front)
    minimum = float(shapely.distance(line_m, front_m))
    closest = shapely.shortest_line(line_m, front_m)
    along = float(line_m.project(Point(closest.coords[0])))
    samples = int(min(max(total / 25.0, 2), 400))
    points = shapely.line_interpolate_point(line_m, np.linspace(0.0, total, samples))
    mean = float(np.mean(shapely.distance(points, front_m)))
    return minimum, mean, along


def locate(points: FloatArray, line: FloatArray) -> tuple[FloatArray, FloatArray]:
    """For (k, 2) ``points`` and a (m, 2) polyline: distance to it, and position along it."""
    ax, ay = line[:-1, 0], line[:-1, 1]
    sx, sy = line[1:, 0] - ax, line[1:, 1] - ay
    seg = np.sqrt(sx * sx + sy * sy)
    seg2 = np.maximum(seg * seg, 1e-12)
    starts = np.concatenate([[0.0], np.cumsum(seg)[:-1]])
    best_d = np.empty(len(points))
    best_along = np.empty(len(points))
    # In chunks of points, so the k × m arrays stay small.
    for lo in range(0, len(points), 2048):
        dx = points[lo : lo + 2048, 0, None] - ax
        dy = points[lo : lo + 2048, 1, None] - ay
        t = np.clip((dx * sx + dy * sy) / seg2, 0.0, 1.0)
        ex = dx - t * sx
        ey = dy - t * sy
        d2 = ex * ex + ey * ey
        j = d2.argmin(axis=1)
        rows = np.arange(len(j))
        best_d[lo : lo + 2048] = np.sqrt(d2[rows, j])
        best_along[lo : lo + 2048] = starts[j] + t[rows, j] * seg[j]
    return best_d, best_along


def _candidates(
    index: IncidentIndex, line: LineString, line_m: LineString, buffer_m: float
) -> NDArray[np.intp]:
    """Incidents in the envelopes of route pieces about ``buffer_m`` long, widened by it.

    Small pieces keep a diagonal or winding route from pulling in every incident
    of its whole bounding box; duplicates across pieces are removed later.
    """
    lonlat = np.asarray(line.coords)
    metric = np.asarray(line_m.coords)
    if len(metric) != len(lonlat):  # the metric line was densified: locate vertices again
        metric = np.column_stack(LocalPlane.around(line).forward(lonlat[:, 0], lonlat[:, 1]))
    steps = np.sqrt((np.diff(metric, axis=0) ** 2).sum(axis=1))
    cumulative = np.concatenate([[0.0], np.cumsum(steps)])
    piece = np.floor(cumulative / max(buffer_m, 1.0)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate([[True], piece[1:] != piece[:-1]]))
    # Each piece also reaches the first vertex of the next, covering the joining segment.
    ends = np.append(starts[1:], len(lonlat) - 1)
    lo = np.array([lonlat[a : b + 1].min(axis=0) for a, b in zip(starts, ends, strict=True)])
    hi = np.array([lonlat[a : b + 1].max(axis=0) for a, b in zip(starts, ends, strict=True)])
    lat = float(np.abs(lonlat[:, 1]).max())
    m, n = radii(lat)
    reach_lat = np.degrees(buffer_m / m) * 1.01
    reach_lon = np.degrees(buffer_m / (n * max(np.cos(np.radians(min(lat + 0.5, 89.9))), 1e-6)))
    boxes = shapely.box(
        lo[:, 0] - reach_lon, lo[:, 1] - reach_lat, hi[:, 0] + reach_lon, hi[:, 1] + reach_lat
    )
    found: NDArray[np.intp] = index.tree.query(boxes)[1]
    return found


def _near_incidents(
    line: LineString,
    line_m: LineString,
    plane: LocalPlane,
    incidents: IncidentIndex | Sequence[Incident],
    at: datetime,
    buffer_m: float,
    hours: float,
) -> tuple[NearIncident, ...]:
    index = incidents if isinstance(incidents, IncidentIndex) else IncidentIndex(list(incidents))
    if len(index) == 0:
        return ()
    found = _candidates(index, line, line_m, buffer_m)
    until = at.timestamp()
    since = (at - timedelta(hours=hours)).timestamp()
    times = index.times[found]
    found = np.unique(found[(times >= since) & (times <= until)])
    if found.size == 0:
        return ()
    x, y = plane.forward(index.lon[found], index.lat[found])
    distances, along = locate(np.column_stack([x, y]), np.asarray(line_m.coords))
    keep = distances <= buffer_m
    tz = at.tzinfo
    result = [
        NearIncident(
            id=index.ids[i],
            distance_m=float(d),
            along_m=float(a),
            at=datetime.fromtimestamp(float(index.times[i]), tz),
        )
        for i, d, a in zip(found[keep], distances[keep], along[keep], strict=True)
    ]
    result.sort(key=lambda n: (n.along_m, n.id))
    return tuple(result)
