"""The report's figures, drawn as SVG by our own code: no tiles, no network, no fonts.

The SVG holds shapes only; every word (legend, lane names, times) is written by the
template in the report's language, so the figures need no text shaping of their own.
Coordinates are WGS 84 lon/lat, drawn in an equirectangular projection scaled by the
cosine of the middle latitude (true enough at the scale of a city or a district).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from mamar.geodata.states import control_records, front_records, place_points, route_line
from mamar.reads.timeline import TimelineEntry
from mamar.web.map_layers import colour_index

#: The map page's palette in its light theme (app.css's ``--c0`` to ``--c8``), so a party has
#: the same colour on the page and the paper.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#238823",
    "#9467bd",
    "#b05a00",
    "#8c564b",
    "#b8439a",
    "#0f7f8c",
    "#7f7f7f",
)
FRONT = "#a4161a"
ROUTE = "#0b5cad"
INCIDENT = "#a4161a"
WIDTH, HEIGHT = 640.0, 420.0


@dataclass(frozen=True)
class MapFigure:
    svg: Markup
    parties: tuple[tuple[str, str], ...]  # (party id, colour) for the legend
    areas: int
    fronts: int
    routes: int
    incidents: int


@dataclass(frozen=True)
class Lane:
    key: str  # the record kind the lane counts
    svg: Markup
    count: int


@dataclass(frozen=True)
class TimelineChart:
    start: str
    end: str
    lanes: tuple[Lane, ...]


class _Projection:
    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        west, south, east, north = bounds
        pad_x = max((east - west) * 0.05, 0.002)
        pad_y = max((north - south) * 0.05, 0.002)
        self.west, self.east = west - pad_x, east + pad_x
        self.south, self.north = south - pad_y, north + pad_y
        self.k = math.cos(math.radians((self.south + self.north) / 2))
        span_x = (self.east - self.west) * self.k
        span_y = self.north - self.south
        self.scale = min(WIDTH / span_x, HEIGHT / span_y)
        self.off_x = (WIDTH - span_x * self.scale) / 2
        self.off_y = (HEIGHT - span_y * self.scale) / 2

    def xy(self, lon: float, lat: float) -> str:
        x = self.off_x + (lon - self.west) * self.k * self.scale
        y = self.off_y + (self.north - lat) * self.scale
        return f"{x:.1f},{y:.1f}"

    def path(self, coords: Iterable[Sequence[float]], close: bool = False) -> str:
        points = [self.xy(c[0], c[1]) for c in coords]
        if not points:
            return ""
        return "M" + " L".join(points) + (" Z" if close else "")


def _polygons(geometry: BaseGeometry) -> list[Any]:
    kind = geometry.geom_type
    if kind == "Polygon":
        return [geometry]
    if kind in ("MultiPolygon", "GeometryCollection"):
        return [g for part in geometry.geoms for g in _polygons(part)]
    return []


def _lines(geometry: BaseGeometry) -> list[Any]:
    kind = geometry.geom_type
    if kind == "LineString":
        return [geometry]
    if kind in ("MultiLineString", "GeometryCollection"):
        return [g for part in geometry.geoms for g in _lines(part)]
    return []


def map_figure(
    *,
    areas: Sequence[Any],
    fronts: Sequence[Any],
    routes: Sequence[Any],
    incidents: Sequence[Any],
    places: Sequence[Any],
    at: datetime,
) -> MapFigure:
    """Control areas and front lines valid at ``at``, routes (current versions), incidents."""
    controlled = [r for r in control_records(areas) if r.valid(at)]
    lines = [f for f in front_records(fronts) if f.valid(at)]
    route_lines = []
    for route in routes:
        try:
            route_lines.append(route_line(route))
        except Exception:  # a route of one waypoint has no line to draw
            continue
    points = place_points(places)
    spots: list[tuple[float, float]] = []
    for incident in incidents:
        if incident.point is not None:
            spots.append((incident.point.lon, incident.point.lat))
        elif incident.place in points:
            spots.append(points[incident.place])
    xs: list[float] = []
    ys: list[float] = []
    for geometry in [r.geometry for r in controlled] + [f.geometry for f in lines] + route_lines:
        west, south, east, north = geometry.bounds
        xs += [west, east]
        ys += [south, north]
    for lon, lat in spots:
        xs.append(lon)
        ys.append(lat)
    if not xs:
        empty = Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} 60" '
            'class="figure-map" role="img"></svg>'
        )
        return MapFigure(empty, (), 0, 0, 0, 0)
    proj = _Projection((min(xs), min(ys), max(xs), max(ys)))
    parts: list[str] = [
        f'<rect x="0" y="0" width="{WIDTH:.0f}" height="{HEIGHT:.0f}" fill="#f6f4ef"/>'
    ]
    colours: dict[str, str] = {}
    for record in controlled:
        colour = PALETTE[colour_index(record.party)]
        colours[record.party] = colour
        for polygon in _polygons(record.geometry):
            d = proj.path(polygon.exterior.coords, close=True)
            d += "".join(" " + proj.path(ring.coords, close=True) for ring in polygon.interiors)
            parts.append(
                f'<path d="{d}" fill="{colour}" fill-opacity="0.28" stroke="{colour}" '
                'stroke-width="1.2" fill-rule="evenodd"/>'
            )
    for front in lines:
        for line in _lines(front.geometry):
            parts.append(
                f'<path d="{proj.path(line.coords)}" fill="none" stroke="{FRONT}" '
                'stroke-width="3" stroke-dasharray="8 5"/>'
            )
    for line in route_lines:
        parts.append(
            f'<path d="{proj.path(line.coords)}" fill="none" stroke="{ROUTE}" '
            'stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>'
        )
    for lon, lat in spots:
        x, y = proj.xy(lon, lat).split(",")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="4.5" fill="{INCIDENT}" stroke="#ffffff" '
            'stroke-width="1.5"/>'
        )
    svg = Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        f'class="figure-map" role="img">{"".join(parts)}</svg>'
    )
    return MapFigure(
        svg,
        tuple(sorted(colours.items())),
        len(controlled),
        len(lines),
        len(route_lines),
        len(spots),
    )


#: The timeline's lanes: the record kinds a situation report follows, in this order, each
#: with the events it counts (a type, or a prefix ending in "."). A convoy's lane counts
#: its movements, not the people added to its manifest or each count recorded.
LANE_TYPES: dict[str, tuple[str, ...]] = {
    "ceasefire": ("ceasefire.",),
    "agreement": ("agreement.",),
    "incident": ("incident.",),
    "escalation": ("escalation.",),
    "guarantee": ("guarantee.",),
    "convoy": ("convoy.planned", "convoy.route_assigned", "convoy.status_changed"),
    "route": ("route.",),
    "task": ("task.",),
}
LANES = tuple(LANE_TYPES)
BUCKETS = 96
LANE_WIDTH, LANE_HEIGHT = 560.0, 22.0


def timeline_chart(
    entries: Iterable[TimelineEntry], *, start: datetime, end: datetime
) -> TimelineChart:
    """How many events of each lane's kind happened in each of :data:`BUCKETS` slices of
    the period, drawn as bars (height by count, relative to the busiest slice of the lane)."""
    begin, finish = start.timestamp(), end.timestamp()
    span = max(finish - begin, 1.0)
    counts = {lane: [0] * BUCKETS for lane in LANES}
    for entry in entries:
        lane = counts.get(entry.kind)
        if lane is None:
            continue
        moment = datetime.fromisoformat(entry.occurred_utc.replace("Z", "+00:00")).timestamp()
        slot = int((moment - begin) / span * BUCKETS)
        lane[min(max(slot, 0), BUCKETS - 1)] += 1
    lanes = []
    step = LANE_WIDTH / BUCKETS
    for key in LANES:
        values = counts[key]
        busiest = max(values) or 1
        bars = [
            f'<line x1="0" y1="{LANE_HEIGHT - 0.5}" x2="{LANE_WIDTH:.0f}" '
            f'y2="{LANE_HEIGHT - 0.5}" stroke="#b8b2a6" stroke-width="1"/>'
        ]
        for index, value in enumerate(values):
            if not value:
                continue
            height = max(3.0, (LANE_HEIGHT - 2) * value / busiest)
            bars.append(
                f'<rect x="{index * step:.2f}" y="{LANE_HEIGHT - 1 - height:.2f}" '
                f'width="{max(step - 0.6, 1.0):.2f}" height="{height:.2f}" fill="#12324f"/>'
            )
        svg = Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LANE_WIDTH:.0f} '
            f'{LANE_HEIGHT:.0f}" class="figure-lane" role="img">{"".join(bars)}</svg>'
        )
        lanes.append(Lane(key, svg, sum(values)))
    return TimelineChart(start.isoformat(), end.isoformat(), tuple(lanes))
