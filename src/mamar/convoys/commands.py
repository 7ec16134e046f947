"""Commands on convoys and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import Annotated, ClassVar

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
from mamar.convoys.model import TRANSITIONS, ConvoyState, StopState
from mamar.domain.errors import DomainError
from mamar.domain.figures import Figure
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.subjects import Group
from mamar.domain.text import LocalName, Prose, ProseLine
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData

_MEDICAL = frozenset({Role.MEDICAL, Role.COORDINATOR, Role.ADMIN})


class PlanConvoy(CreateCommand):
    command_name: ClassVar[str] = "convoy.plan"
    kind: ClassVar[str] = "convoy"

    name: LocalName
    batch_of: ProseLine | None = None
    origin: Annotated[Reference, RefersTo("place")] | None = None
    destination: Annotated[Reference, RefersTo("place")] | None = None
    route: Annotated[Reference, RefersTo("route")] | None = None
    route_version: int | None = None
    vehicles: tuple[Vehicles, ...] = ()
    teams: tuple[Annotated[Reference, RefersTo("party")], ...] = ()
    escorts: tuple[Escort, ...] = ()
    counts: Counts = Counts()
    group: Group = Group.EVACUEES
    stops: tuple[Stop, ...] = ()


class AssignConvoyRoute(Command):
    command_name: ClassVar[str] = "convoy.assign_route"
    kind: ClassVar[str] = "convoy"

    route: Annotated[Reference, RefersTo("route")]
    route_version: int


class ChangeConvoyStatus(Command):
    command_name: ClassVar[str] = "convoy.change_status"
    kind: ClassVar[str] = "convoy"

    status: ConvoyStatus
    reason: Prose | None = None
    place: Annotated[Reference, RefersTo("place")] | None = None
    incident: Annotated[Reference, RefersTo("incident")] | None = None
    conditions: Prose | None = None


class RecordConvoyCounts(Command):
    command_name: ClassVar[str] = "convoy.record_counts"
    kind: ClassVar[str] = "convoy"

    counts: Counts


class AddConvoyEscort(Command):
    command_name: ClassVar[str] = "convoy.add_escort"
    kind: ClassVar[str] = "convoy"

    escort: Escort


class AddConvoyVehicles(Command):
    command_name: ClassVar[str] = "convoy.add_vehicles"
    kind: ClassVar[str] = "convoy"

    vehicles: Vehicles


class AddManifestEntry(Command):
    command_name: ClassVar[str] = "convoy.add_manifest_entry"
    kind: ClassVar[str] = "convoy"
    roles: ClassVar[frozenset[Role]] = _MEDICAL

    person: Annotated[Reference, RefersTo("person")]


class AddConvoyStop(Command):
    command_name: ClassVar[str] = "convoy.add_stop"
    kind: ClassVar[str] = "convoy"

    stop: Stop


class ReachConvoyStop(Command):
    """The convoy arrived at one of its stops."""

    command_name: ClassVar[str] = "convoy.reach_stop"
    kind: ClassVar[str] = "convoy"

    place: Annotated[Reference, RefersTo("place")]
    leg: Leg = Leg.OUT


class LeaveConvoyStop(Command):
    """The convoy departed from one of its stops."""

    command_name: ClassVar[str] = "convoy.leave_stop"
    kind: ClassVar[str] = "convoy"

    place: Annotated[Reference, RefersTo("place")]
    leg: Leg = Leg.OUT


class ReportConvoyFigure(Command):
    """A figure as one source gives it: exact, approximate, at least, a range or unknown.

    Figures that differ are all kept; none replaces another.
    """

    command_name: ClassVar[str] = "convoy.report_figure"
    kind: ClassVar[str] = "convoy"

    count: CountOf
    figure: Figure
    group: Group | None = None  # default: whom the convoy carries
    stop: Annotated[Reference, RefersTo("place")] | None = (
        None  # a stop's place; default: the whole convoy
    )


class RecordConvoyCargo(Command):
    command_name: ClassVar[str] = "convoy.record_cargo"
    kind: ClassVar[str] = "convoy"

    cargo: Cargo


def _check_route(ctx: Context, route: str | None, version: int | None) -> None:
    if route is None:
        return
    state = ctx.require("route", route, "route")
    current = getattr(state, "current_version", None)
    if version is not None and current is not None and not 1 <= version <= current:
        raise DomainError(
            "unknown_version", f"route '{route}' has no version {version}", field="route_version"
        )


def _check_places(ctx: Context, **places: str | None) -> None:
    for field, place in places.items():
        if place is not None:
            ctx.require("place", place, field)


def _check_arrivals(arrived: int | None, boarded: int | None) -> None:
    """No more people arrive than boarded."""
    if arrived is not None and boarded is not None and arrived > boarded:
        raise DomainError(
            "count_exceeds_boarded",
            f"arrived ({arrived}) cannot exceed boarded ({boarded})",
            field="counts.arrived",
        )


def _check_parties(ctx: Context, field: str, parties: list[str | None]) -> None:
    for party in parties:
        if party is not None:
            ctx.require("party", party, field)


def _closed(state: ConvoyState, what: str) -> None:
    if state.status in (ConvoyStatus.ARRIVED, ConvoyStatus.CANCELLED):
        raise DomainError(
            "convoy_closed", f"the convoy is {state.status.value}; {what}", field="id"
        )


def _check_stops(ctx: Context, stops: tuple[Stop, ...]) -> None:
    seen: set[tuple[str, Leg]] = set()
    for stop in stops:
        ctx.require("place", stop.place, "stops")
        if (stop.place, stop.leg) in seen:
            raise DomainError(
                "stop_twice",
                f"the place '{stop.place}' is already a stop of this leg of the convoy",
                field="stops",
            )
        seen.add((stop.place, stop.leg))


def _find_stop(state: ConvoyState, place: str, leg: Leg | None, field: str) -> StopState:
    for stop in state.stops:
        if stop.place == place and (leg is None or stop.leg == leg):
            return stop
    known = ", ".join(f"{s.place} ({s.leg.value})" for s in state.stops) or "none"
    raise DomainError(
        "unknown_stop",
        f"the convoy has no stop at '{place}'; its stops are: {known}",
        field=field,
    )


@decides(PlanConvoy)
def plan(state: None, cmd: PlanConvoy, ctx: Context) -> list[EventData]:
    _check_stops(ctx, cmd.stops)
    _check_route(ctx, cmd.route, cmd.route_version)
    _check_places(ctx, origin=cmd.origin, destination=cmd.destination)
    if cmd.origin is not None and cmd.origin == cmd.destination:
        raise DomainError(
            "same_place",
            "the destination must be another place than the origin",
            field="destination",
        )
    _check_arrivals(cmd.counts.arrived, cmd.counts.boarded)
    _check_parties(ctx, "teams", list(cmd.teams))
    _check_parties(ctx, "escorts", [e.party for e in cmd.escorts])
    _check_parties(ctx, "vehicles", [v.party for v in cmd.vehicles])
    return [
        ConvoyPlanned(
            name=cmd.name,
            batch_of=cmd.batch_of,
            origin=cmd.origin,
            destination=cmd.destination,
            route=cmd.route,
            route_version=cmd.route_version,
            vehicles=cmd.vehicles,
            teams=cmd.teams,
            escorts=cmd.escorts,
            counts=cmd.counts,
            group=cmd.group,
            stops=cmd.stops,
        )
    ]


@decides(AssignConvoyRoute)
def assign_route(state: ConvoyState, cmd: AssignConvoyRoute, ctx: Context) -> list[EventData]:
    _closed(state, "its route is final")
    _check_route(ctx, cmd.route, cmd.route_version)
    return [ConvoyRouteAssigned(route=cmd.route, route_version=cmd.route_version)]


@decides(ChangeConvoyStatus)
def change_status(state: ConvoyState, cmd: ChangeConvoyStatus, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, cmd.status)
    _check_places(ctx, place=cmd.place)
    if cmd.incident is not None:
        ctx.require("incident", cmd.incident, "incident")
    return [
        ConvoyStatusChanged(
            status=cmd.status,
            previous=state.status,
            reason=cmd.reason,
            place=cmd.place,
            incident=cmd.incident,
            conditions=cmd.conditions,
        )
    ]


@decides(RecordConvoyCounts)
def record_counts(state: ConvoyState, cmd: RecordConvoyCounts, ctx: Context) -> list[EventData]:
    c = cmd.counts
    _check_arrivals(c.arrived, c.boarded if c.boarded is not None else state.counts.boarded)
    if c.arrived is not None and state.status != ConvoyStatus.ARRIVED:
        raise DomainError(
            "not_arrived", "record arrivals once the convoy has arrived", field="counts.arrived"
        )
    return [ConvoyCountsRecorded(counts=c)]


@decides(AddConvoyEscort)
def add_escort(state: ConvoyState, cmd: AddConvoyEscort, ctx: Context) -> list[EventData]:
    _check_parties(ctx, "escort.party", [cmd.escort.party])
    return [ConvoyEscortAdded(escort=cmd.escort)]


@decides(AddConvoyVehicles)
def add_vehicles(state: ConvoyState, cmd: AddConvoyVehicles, ctx: Context) -> list[EventData]:
    _check_parties(ctx, "vehicles.party", [cmd.vehicles.party])
    return [ConvoyVehiclesAdded(vehicles=cmd.vehicles)]


@decides(AddManifestEntry)
def add_manifest_entry(state: ConvoyState, cmd: AddManifestEntry, ctx: Context) -> list[EventData]:
    ctx.require("person", cmd.person, "person")
    if cmd.person in state.manifest:
        raise DomainError(
            "already_on_manifest", "this person is already on the manifest", field="person"
        )
    return [ConvoyManifestEntryAdded(person=cmd.person)]


@decides(AddConvoyStop)
def add_stop(state: ConvoyState, cmd: AddConvoyStop, ctx: Context) -> list[EventData]:
    _closed(state, "its stops are final")
    _check_stops(
        ctx, (*(Stop(place=s.place, kind=s.kind, leg=s.leg) for s in state.stops), cmd.stop)
    )
    return [ConvoyStopAdded(stop=cmd.stop)]


@decides(ReachConvoyStop)
def reach_stop(state: ConvoyState, cmd: ReachConvoyStop, ctx: Context) -> list[EventData]:
    stop = _find_stop(state, cmd.place, cmd.leg, "place")
    if stop.arrived_at is not None:
        raise DomainError(
            "stop_already_reached", "the convoy's arrival at this stop is recorded", field="place"
        )
    return [ConvoyStopReached(place=cmd.place, leg=cmd.leg)]


@decides(LeaveConvoyStop)
def leave_stop(state: ConvoyState, cmd: LeaveConvoyStop, ctx: Context) -> list[EventData]:
    stop = _find_stop(state, cmd.place, cmd.leg, "place")
    if stop.arrived_at is None:
        raise DomainError(
            "stop_not_reached",
            "record the arrival at this stop before the departure",
            field="place",
        )
    if stop.departed_at is not None:
        raise DomainError(
            "stop_already_left", "the convoy's departure from this stop is recorded", field="place"
        )
    return [ConvoyStopLeft(place=cmd.place, leg=cmd.leg)]


@decides(ReportConvoyFigure)
def report_figure(state: ConvoyState, cmd: ReportConvoyFigure, ctx: Context) -> list[EventData]:
    if cmd.stop is not None:
        stop = _find_stop(state, cmd.stop, Leg.OUT, "stop")
        if cmd.count is CountOf.BOARDED and stop.kind not in (StopKind.PICKUP, StopKind.STAGING):
            raise DomainError(
                "not_a_pickup",
                "people board at a pickup or staging point; give the count there",
                field="stop",
            )
    elif cmd.count is CountOf.ARRIVED and state.status != ConvoyStatus.ARRIVED:
        raise DomainError(
            "not_arrived", "record arrivals once the convoy has arrived", field="count"
        )
    return [
        ConvoyFigureReported(
            count=cmd.count,
            figure=cmd.figure,
            group=cmd.group or state.group,
            stop=cmd.stop,
        )
    ]


@decides(RecordConvoyCargo)
def record_cargo(state: ConvoyState, cmd: RecordConvoyCargo, ctx: Context) -> list[EventData]:
    where = cmd.cargo.delivered_at
    if where is not None and where != state.destination:
        _find_stop(state, where, Leg.OUT, "cargo.delivered_at")
    return [ConvoyCargoRecorded(cargo=cmd.cargo)]


# Linked movements (a convoy waiting for another) are decided in their own module.
from mamar.convoys import waiting as _waiting  # noqa: E402, F401
