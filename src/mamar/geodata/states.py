"""Adapters: entity states (places, control areas, front lines, routes, incidents) to plain geometry.

Routes and incidents are read by shape (duck typing) so this module does not
depend on those packages: a route state has ``versions`` of ``waypoints``
with ``lat``/``lon``; an incident has a ``point``/``location`` or a ``place``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shapely.geometry import LineString

from mamar.control.model import ControlAreaState, FrontLineState
from mamar.domain.errors import DomainError
from mamar.geo.exposure import Incident
from mamar.geo.shapes import area_geometry, line_geometry
from mamar.geo.territory import ControlRecord, FrontRecord
from mamar.places.model import PlaceState


def control_records(states: Iterable[Any]) -> list[ControlRecord]:
    records: list[ControlRecord] = []
    for state in states:
        if not isinstance(state, ControlAreaState):
            continue
        geometry = area_geometry(state.area)
        name = state.name.display("en") if state.name else None
        for period in state.periods:
            records.append(
                ControlRecord(
                    area=state.id,
                    party=period.party,
                    geometry=geometry,
                    valid_from=period.valid_from,
                    valid_to=period.valid_to,
                    confidence=period.confidence.value,
                    source=period.source.model_dump(mode="json"),
                    name=name,
                )
            )
    return records


def front_records(states: Iterable[Any]) -> list[FrontRecord]:
    return [
        FrontRecord(
            id=state.id,
            geometry=line_geometry(state.line),
            valid_from=state.valid_from,
            valid_to=state.valid_to,
            confidence=state.confidence.value,
            source=state.source.model_dump(mode="json"),
            parties=state.parties,
            name=state.name.display("en") if state.name else None,
        )
        for state in states
        if isinstance(state, FrontLineState)
    ]


def place_points(states: Iterable[Any]) -> dict[str, tuple[float, float]]:
    """Each place's (lon, lat): its point, else its polygon's representative point."""
    points: dict[str, tuple[float, float]] = {}
    for state in states:
        if not isinstance(state, PlaceState):
            continue
        if state.point is not None:
            points[state.id] = (state.point.lon, state.point.lat)
        elif state.polygon is not None:
            p = area_geometry(state.polygon).representative_point()
            points[state.id] = (p.x, p.y)
    return points


def route_version(route: Any, version: int | None = None) -> Any:
    """The route's version ``version`` (default: current), or a clear refusal."""
    versions = tuple(getattr(route, "versions", ()))
    number = version if version is not None else int(getattr(route, "current_version", 1))
    for candidate in versions:
        if int(candidate.version) == number:
            return candidate
    raise DomainError(
        "unknown_version", f"route '{route.id}' has no version {number}", field="version"
    )


def waypoints_line(waypoints: Iterable[tuple[float, float]]) -> LineString:
    """The straight-segment line through (lon, lat) waypoints."""
    coords = list(waypoints)
    if len(coords) < 2:
        raise DomainError("too_few_waypoints", "a route needs at least two waypoints")
    return LineString(coords)


def route_coordinates(route: Any, version: int | None = None) -> list[tuple[float, float]]:
    return [(float(w.lon), float(w.lat)) for w in route_version(route, version).waypoints]


def route_line(route: Any, version: int | None = None) -> LineString:
    return waypoints_line(route_coordinates(route, version))


def _incident_time(state: Any) -> datetime | None:
    for name in ("occurred_at", "at", "when"):
        value = getattr(state, name, None)
        if isinstance(value, datetime):
            return value
        if isinstance(value, str) and value:
            return datetime.fromisoformat(value)
        inner = getattr(value, "at", None)
        if isinstance(inner, datetime):
            return inner
    created = getattr(state, "created_at", "")
    return datetime.fromisoformat(created) if created else None


def _incident_point(
    state: Any, places: Mapping[str, tuple[float, float]]
) -> tuple[float, float] | None:
    for name in ("point", "location", "position"):
        value = getattr(state, name, None)
        if value is not None and hasattr(value, "lat") and hasattr(value, "lon"):
            return float(value.lon), float(value.lat)
    if getattr(state, "lat", None) is not None and getattr(state, "lon", None) is not None:
        return float(state.lon), float(state.lat)
    place = getattr(state, "place", None)
    if isinstance(place, str) and place in places:
        return places[place]
    return None


def incidents_of(
    states: Iterable[Any], places: Mapping[str, tuple[float, float]]
) -> list[Incident]:
    """Incidents with a known place and time; others cannot be placed near a route."""
    result: list[Incident] = []
    for state in states:
        point = _incident_point(state, places)
        moment = _incident_time(state)
        if point is not None and moment is not None:
            result.append(Incident(id=state.id, lon=point[0], lat=point[1], at=moment))
    return result
