"""Convoy state, its status machine, and how events change it."""

from __future__ import annotations

from pydantic import Field

from mamar.convoys.events import (
    ConvoyCountsRecorded,
    ConvoyEscortAdded,
    ConvoyManifestEntryAdded,
    ConvoyPlanned,
    ConvoyRouteAssigned,
    ConvoyStatus,
    ConvoyStatusChanged,
    ConvoyVehiclesAdded,
    Counts,
    Escort,
    Vehicles,
)
from mamar.convoys.links import ConvoyWaitEnded, ConvoyWaitRecorded, Wait
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalName
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData

S = ConvoyStatus

# Which status may follow which. "arrived" and "cancelled" are final.
TRANSITIONS = Transitions(
    "convoy",
    {
        S.PLANNED: frozenset({S.PREPARING, S.STAGED, S.POSTPONED, S.CANCELLED}),
        S.PREPARING: frozenset({S.STAGED, S.DEPARTED, S.POSTPONED, S.CANCELLED}),
        S.STAGED: frozenset({S.DEPARTED, S.PREPARING, S.POSTPONED, S.CANCELLED}),
        S.DEPARTED: frozenset({S.HALTED, S.UNDER_FIRE, S.TURNED_BACK, S.ARRIVED}),
        S.HALTED: frozenset({S.DEPARTED, S.UNDER_FIRE, S.TURNED_BACK, S.ARRIVED}),
        S.UNDER_FIRE: frozenset({S.DEPARTED, S.HALTED, S.TURNED_BACK, S.ARRIVED}),
        S.TURNED_BACK: frozenset({S.PREPARING, S.STAGED, S.DEPARTED, S.POSTPONED, S.CANCELLED}),
        S.POSTPONED: frozenset({S.PREPARING, S.STAGED, S.DEPARTED, S.CANCELLED}),
        S.ARRIVED: frozenset(),
        S.CANCELLED: frozenset(),
    },
)


class StatusEntry(Value):
    status: ConvoyStatus
    at: str
    reason: str | None = None
    place: str | None = None
    incident: str | None = None


class ConvoyState(EntityState):
    name: LocalName
    batch_of: str | None = None
    status: ConvoyStatus = S.PLANNED
    origin: str | None = None
    destination: str | None = None
    route: str | None = None
    route_version: int | None = None
    vehicles: tuple[Vehicles, ...] = ()
    teams: tuple[str, ...] = ()
    escorts: tuple[Escort, ...] = ()
    counts: Counts = Counts()
    history: tuple[StatusEntry, ...] = ()
    manifest: tuple[str, ...] = Field(default=(), json_schema_extra={"compartment": "medical"})
    waits_for: tuple[Wait, ...] = ()  # other convoys it waits for (see convoys.links)


def _merge(old: Counts, new: Counts) -> Counts:
    return Counts(
        planned=new.planned if new.planned is not None else old.planned,
        boarded=new.boarded if new.boarded is not None else old.boarded,
        arrived=new.arrived if new.arrived is not None else old.arrived,
    )


@aggregate("convoy", ConvoyState)
def evolve(state: ConvoyState | None, event: EventData, meta: EventMeta) -> ConvoyState:
    if isinstance(event, ConvoyPlanned):
        return ConvoyState(
            **base_fields(meta),
            name=event.name,
            batch_of=event.batch_of,
            origin=event.origin,
            destination=event.destination,
            route=event.route,
            route_version=event.route_version,
            vehicles=event.vehicles,
            teams=event.teams,
            escorts=event.escorts,
            counts=event.counts,
            history=(StatusEntry(status=S.PLANNED, at=meta.occurred_at),),
        )
    assert state is not None
    match event:
        case ConvoyRouteAssigned():
            return touched(state, meta, route=event.route, route_version=event.route_version)
        case ConvoyStatusChanged():
            entry = StatusEntry(
                status=event.status,
                at=meta.occurred_at,
                reason=event.reason,
                place=event.place,
                incident=event.incident,
            )
            return touched(state, meta, status=event.status, history=(*state.history, entry))
        case ConvoyCountsRecorded():
            return touched(state, meta, counts=_merge(state.counts, event.counts))
        case ConvoyEscortAdded():
            return touched(state, meta, escorts=(*state.escorts, event.escort))
        case ConvoyVehiclesAdded():
            return touched(state, meta, vehicles=(*state.vehicles, event.vehicles))
        case ConvoyManifestEntryAdded():
            return touched(state, meta, manifest=(*state.manifest, event.person))
        case ConvoyWaitRecorded():
            wait = Wait(
                waits_for=event.waits_for,
                until=event.until,
                link=event.link,
                since=meta.occurred_at,
                note=event.note,
            )
            return touched(state, meta, waits_for=(*state.waits_for, wait))
        case ConvoyWaitEnded():
            kept = tuple(w for w in state.waits_for if w.waits_for != event.waits_for)
            return touched(state, meta, waits_for=kept)
    return state
