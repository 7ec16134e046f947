"""Geography read services: what a viewer may see, assembled for search, maps and exposure.

Every read here takes the caller's :class:`~mamar.access.Viewer` and drops what
it may not see (``Viewer.sees``) before anything is computed or exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mamar.access.viewer import Viewer
from mamar.domain.errors import DomainError, NotFound
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, EntityState, aggregates
from mamar.geo.exposure import Exposure, IncidentIndex, route_exposure
from mamar.geo.roads import RoadGraph
from mamar.geo.routing import Router
from mamar.geo.territory import ControlIndex, ControlRecord, FrontRecord
from mamar.geodata.states import (
    control_records,
    front_records,
    incidents_of,
    place_points,
    route_coordinates,
    waypoints_line,
)
from mamar.projections.entities import current, states_as_of
from mamar.web.i18n import digits, tr

GEO_KINDS = ("place", "control_area", "front_line", "incident", "party")


def visible(
    conn: Connection,
    viewer: Viewer,
    kinds: Iterable[str],
    *,
    operation: str | None = None,
) -> list[EntityState]:
    """Current states of ``kinds`` the viewer may see."""
    states = states_as_of(conn, operation=operation, at_utc=None, kinds=list(kinds))
    return [s for s in states if viewer.sees(s)]


def visible_one(conn: Connection, viewer: Viewer, kind: str, entity_id: str) -> EntityState:
    found = current(conn, stream_name(kind, entity_id))
    if found is None or not viewer.sees(found[0]):
        raise NotFound(kind, entity_id, field="id")
    return found[0]


@dataclass
class GeoView:
    """Places, control, front lines, incidents and parties as one viewer sees them."""

    places: list[Any] = field(default_factory=list)
    areas: list[Any] = field(default_factory=list)
    fronts: list[Any] = field(default_factory=list)
    incidents: list[Any] = field(default_factory=list)
    parties: list[Any] = field(default_factory=list)

    @classmethod
    def load(cls, conn: Connection, viewer: Viewer, operation: str | None = None) -> GeoView:
        view = cls()
        buckets = {
            "place": view.places,
            "control_area": view.areas,
            "front_line": view.fronts,
            "incident": view.incidents,
            "party": view.parties,
        }
        types = {k: aggregates()[k].state_type for k in GEO_KINDS if k in aggregates()}
        for state in visible(conn, viewer, types, operation=operation):
            for kind, state_type in types.items():
                if isinstance(state, state_type):
                    buckets[kind].append(state)
        return view

    def control_records(self) -> list[ControlRecord]:
        return control_records(self.areas)

    def front_records(self) -> list[FrontRecord]:
        return front_records(self.fronts)

    def control_index(self) -> ControlIndex:
        return ControlIndex(self.control_records())

    def incident_index(self) -> IncidentIndex:
        return IncidentIndex(incidents_of(self.incidents, place_points(self.places)))

    def party_names(self, lang: str = "en") -> dict[str, str]:
        return {p.id: p.name.display(lang) for p in self.parties}

    def hostile_to(self, party: str | None) -> set[str] | None:
        """Parties in control anywhere that are not ``party`` nor on its side (None: unknown)."""
        if party is None:
            return None
        sides = {p.id: getattr(p, "side", None) for p in self.parties}
        own_side = sides.get(party)
        controlling = {r.party for r in self.control_records()}
        return {
            p for p in controlling if p != party and (own_side is None or sides.get(p) != own_side)
        }

    def point_of(self, ref: str) -> tuple[float, float]:
        """A place id, or "lon,lat", as (lon, lat)."""
        if "," in ref:
            try:
                lon, lat = (float(v) for v in ref.split(","))
            except ValueError:
                raise DomainError(
                    "invalid_point", f"'{ref}' is neither a place id nor lon,lat", field="point"
                ) from None
            return lon, lat
        points = place_points(self.places)
        if ref not in points:
            raise NotFound("place", ref, field="point")
        return points[ref]


def parse_route_ref(ref: str) -> tuple[str, int | None]:
    """``ramouseh-road`` or ``ramouseh-road@2`` (a given version)."""
    route, _, version = ref.partition("@")
    if not version:
        return route, None
    try:
        return route, int(version)
    except ValueError:
        raise DomainError(
            "invalid_version", f"'{version}' is not a version number", field="version"
        ) from None


@dataclass(frozen=True)
class Assessment:
    route: str
    version: int
    label: str
    coordinates: list[tuple[float, float]]
    exposure: Exposure
    snapped: bool


def assess(
    conn: Connection,
    viewer: Viewer,
    route_id: str,
    version: int | None,
    at: datetime,
    *,
    view: GeoView,
    actor: Actor | None = None,
    hostile: set[str] | None = None,
    graph: RoadGraph | None = None,
    speed_kmh: float = 20.0,
    buffer_m: float = 500.0,
    hours: float = 24.0,
    index: ControlIndex | None = None,
    incidents: IncidentIndex | None = None,
    lang: str = "en",
) -> Assessment:
    """The exposure of one route version at ``at``, as the viewer sees the ground
    (``label``: the route's name and version in ``lang``)."""
    route = visible_one(conn, viewer, "route", route_id)
    coords = route_coordinates(route, version)
    number = version if version is not None else int(getattr(route, "current_version", 1))
    line = Router(graph).snap_line(coords) if graph is not None else waypoints_line(coords)
    if hostile is None and actor is not None:
        hostile = view.hostile_to(actor.party)
    exposure = route_exposure(
        line,
        at,
        areas=index if index is not None else view.control_index(),
        fronts=view.front_records(),
        incidents=incidents if incidents is not None else view.incident_index(),
        hostile=hostile,
        speed_kmh=speed_kmh,
        buffer_m=buffer_m,
        hours=hours,
    )
    route_name = getattr(route, "name", None)
    name = route_name.display(lang) if route_name is not None else route_id
    return Assessment(
        route=route_id,
        version=number,
        label=tr(lang, "%(route)s, version %(n)s", route=name, n=digits(str(number), lang)),
        coordinates=[(float(x), float(y)) for x, y in line.coords],
        exposure=exposure,
        snapped=graph is not None,
    )
