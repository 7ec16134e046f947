"""Convoy state, its status machine, and how events change it."""

from __future__ import annotations

from pydantic import Field

from mamar.convoys.events import (
    Cargo,
    ConvoyCargoRecorded,
    ConvoyCountsRecorded,
    ConvoyEscortAdded,
    ConvoyFigureReported,
    ConvoyManifestEntryAdded,
    ConvoyPlanned,
    ConvoyRouteAssigned,
    ConvoyStatus,
    ConvoyStatusChanged,
    ConvoyStopAdded,
    ConvoyStopLeft,
    ConvoyStopReached,
    ConvoyVehiclesAdded,
    CountOf,
    Counts,
    Escort,
    Leg,
    Stop,
    StopKind,
    Vehicles,
)
from mamar.convoys.links import ConvoyWaitEnded, ConvoyWaitRecorded, Wait
from mamar.domain.figures import Figure
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.subjects import Group
from mamar.domain.text import LocalName, Prose, ProseLine
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData

S = ConvoyStatus

#: A convoy can come under fire or be attacked wherever it stands: staged, loading,
#: held at a stop, or on the road; and from there go on, wait, turn back or be called off.
_HIT = frozenset({S.UNDER_FIRE, S.ATTACKED})
_AFTER_HIT = frozenset(
    {
        S.PREPARING,
        S.STAGED,
        S.LOADING,
        S.DEPARTED,
        S.HALTED,
        S.TURNED_BACK,
        S.POSTPONED,
        S.ARRIVED,
        S.CANCELLED,
    }
)

# Which status may follow which. "arrived" and "cancelled" are final.
TRANSITIONS = Transitions(
    "convoy",
    {
        S.PLANNED: frozenset({S.PREPARING, S.STAGED, S.POSTPONED, S.CANCELLED}),
        S.PREPARING: frozenset({S.STAGED, S.LOADING, S.DEPARTED, S.POSTPONED, S.CANCELLED}) | _HIT,
        S.STAGED: frozenset({S.DEPARTED, S.PREPARING, S.LOADING, S.POSTPONED, S.CANCELLED}) | _HIT,
        S.LOADING: frozenset({S.DEPARTED, S.STAGED, S.HALTED, S.POSTPONED, S.CANCELLED}) | _HIT,
        S.DEPARTED: frozenset({S.HALTED, S.LOADING, S.TURNED_BACK, S.ARRIVED}) | _HIT,
        S.HALTED: frozenset({S.DEPARTED, S.LOADING, S.TURNED_BACK, S.ARRIVED, S.CANCELLED}) | _HIT,
        S.UNDER_FIRE: _AFTER_HIT | {S.ATTACKED},
        S.ATTACKED: _AFTER_HIT | {S.UNDER_FIRE},
        S.TURNED_BACK: frozenset({S.PREPARING, S.STAGED, S.DEPARTED, S.POSTPONED, S.CANCELLED}),
        S.POSTPONED: frozenset({S.PREPARING, S.STAGED, S.DEPARTED, S.CANCELLED}),
        S.ARRIVED: frozenset(),
        S.CANCELLED: frozenset(),
    },
)


class StatusEntry(Value):
    status: ConvoyStatus
    at: str
    reason: Prose | None = None
    place: str | None = None
    incident: str | None = None


class StopState(Value):
    """A stop and when the convoy reached and left it (as recorded)."""

    place: str
    kind: StopKind
    leg: Leg = Leg.OUT
    note: Prose | None = None
    arrived_at: str | None = None
    departed_at: str | None = None


class FigureEntry(Value):
    """One figure as reported: what it counts, of whom, where, when and by which account."""

    count: CountOf
    figure: Figure
    group: Group = Group.EVACUEES
    stop: str | None = None
    at: str
    by: str


class ConvoyState(EntityState):
    name: LocalName
    batch_of: ProseLine | None = None
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
    group: Group = Group.EVACUEES
    stops: tuple[StopState, ...] = ()
    figures: tuple[FigureEntry, ...] = ()
    cargo: tuple[Cargo, ...] = ()
    manifest: tuple[str, ...] = Field(default=(), json_schema_extra={"compartment": "medical"})
    waits_for: tuple[Wait, ...] = ()  # other convoys it waits for (see convoys.links)


def _merge(old: Counts, new: Counts) -> Counts:
    return Counts(
        planned=new.planned if new.planned is not None else old.planned,
        boarded=new.boarded if new.boarded is not None else old.boarded,
        arrived=new.arrived if new.arrived is not None else old.arrived,
    )


def _stop(stop: Stop) -> StopState:
    return StopState(place=stop.place, kind=stop.kind, leg=stop.leg, note=stop.note)


def _timed(state: ConvoyState, place: str, leg: Leg, **when: str) -> tuple[StopState, ...]:
    return tuple(
        s.model_copy(update=when) if (s.place, s.leg) == (place, leg) else s for s in state.stops
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
            group=event.group,
            stops=tuple(_stop(s) for s in event.stops),
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
        case ConvoyStopAdded():
            return touched(state, meta, stops=(*state.stops, _stop(event.stop)))
        case ConvoyStopReached():
            stops = _timed(state, event.place, event.leg, arrived_at=meta.occurred_at)
            return touched(state, meta, stops=stops)
        case ConvoyStopLeft():
            stops = _timed(state, event.place, event.leg, departed_at=meta.occurred_at)
            return touched(state, meta, stops=stops)
        case ConvoyFigureReported():
            figure = FigureEntry(
                count=event.count,
                figure=event.figure,
                group=event.group,
                stop=event.stop,
                at=meta.occurred_at,
                by=meta.actor,
            )
            return touched(state, meta, figures=(*state.figures, figure))
        case ConvoyCargoRecorded():
            return touched(state, meta, cargo=(*state.cargo, event.cargo))
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
