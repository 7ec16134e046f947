"""What one reader may see of an operation, for an export: read through its viewer only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from mamar import reads
from mamar.access.viewer import Viewer, viewer_of
from mamar.ceasefires.model import CeasefireState
from mamar.control.model import ControlAreaState, FrontLineState
from mamar.convoys.model import ConvoyState
from mamar.domain.model import Actor, EntityState
from mamar.geodata.states import place_points
from mamar.incidents.model import IncidentState
from mamar.notifications.model import NotificationState
from mamar.operations.model import OperationState
from mamar.parties.model import PartyState
from mamar.places.model import PlaceState
from mamar.routes.model import RouteState

KINDS = (
    "operation",
    "party",
    "place",
    "control_area",
    "front_line",
    "route",
    "incident",
    "convoy",
    "notification",
    "ceasefire",
)


@dataclass
class Records:
    """An operation's records that one reader may see, by kind."""

    operation: OperationState
    parties: list[PartyState] = field(default_factory=list)
    places: list[PlaceState] = field(default_factory=list)
    areas: list[ControlAreaState] = field(default_factory=list)
    fronts: list[FrontLineState] = field(default_factory=list)
    routes: list[RouteState] = field(default_factory=list)
    incidents: list[IncidentState] = field(default_factory=list)
    convoys: list[ConvoyState] = field(default_factory=list)
    notifications: list[NotificationState] = field(default_factory=list)
    ceasefires: list[CeasefireState] = field(default_factory=list)
    #: How precisely each incident's time is known (from its report in the journal).
    precision: dict[str, str] = field(default_factory=dict)

    def party_name(self, party: str | None, lang: str = "en") -> str:
        for p in self.parties:
            if p.id == party:
                return p.name.display(lang)
        return party or ""

    def place_name(self, place: str | None, lang: str = "en") -> str:
        for p in self.places:
            if p.id == place:
                return p.name.display(lang)
        return place or ""

    def points(self) -> dict[str, tuple[float, float]]:
        return place_points(self.places)

    def incident_point(self, incident: IncidentState) -> tuple[float, float] | None:
        """(lon, lat) of an incident: its own point, else its place's."""
        if incident.point is not None:
            return (incident.point.lon, incident.point.lat)
        if incident.place is not None:
            return self.points().get(incident.place)
        return None


_BUCKETS: dict[type[Any], str] = {
    PartyState: "parties",
    PlaceState: "places",
    ControlAreaState: "areas",
    FrontLineState: "fronts",
    RouteState: "routes",
    IncidentState: "incidents",
    ConvoyState: "convoys",
    NotificationState: "notifications",
    CeasefireState: "ceasefires",
}


def load(
    conn: Connection, *, viewer: Actor | Viewer, operation: str, at_utc: str | None = None
) -> Records:
    """The records of ``operation`` the viewer may see (now, or as of ``at_utc``); an
    operation it may not see is not found, as if it did not exist."""
    seer = viewer_of(viewer)
    op = reads.get_state(conn, viewer=seer, kind="operation", entity_id=operation, at_utc=at_utc)
    assert isinstance(op, OperationState)
    records = Records(operation=op)
    states: list[EntityState] = reads.visible_states(
        conn, viewer=seer, operation=operation, at_utc=at_utc, kinds=KINDS[1:]
    )
    for state in sorted(states, key=lambda s: s.id):
        bucket = _BUCKETS.get(type(state))
        if bucket is not None:
            getattr(records, bucket).append(state)
    for entry in reads.timeline(
        conn, viewer=seer, operation=operation, types=["incident.reported"], until_utc=at_utc
    ):
        records.precision[entry.entity_id] = entry.precision
    return records
