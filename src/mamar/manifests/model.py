"""A vehicle's state: its convoy, label and manifest; each person's status at each stop."""

from __future__ import annotations

from pydantic import Field

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import ProseLine
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.manifests.events import (
    ChildAlone,
    GroupKind,
    GroupListed,
    Injury,
    PersonHandedOver,
    PersonRemoved,
    PersonStatus,
    PersonTriaged,
    PrioritySet,
    StatusRecorded,
    Triage,
    VehicleRegistered,
)

P = PersonStatus

#: Which status may follow which for a person (at the same stop or the next).
PERSON_TRANSITIONS = Transitions(
    "person",
    {
        # Arrived straight from registered: at reception, someone whose boarding was not
        # recorded (a discrepancy the reception page lists).
        P.REGISTERED: frozenset(
            {P.BOARDED, P.ARRIVED, P.STAYED_BEHIND, P.MISSING, P.DIED_ON_THE_WAY}
        ),
        P.BOARDED: frozenset({P.ARRIVED, P.MISSING, P.DIED_ON_THE_WAY, P.STAYED_BEHIND}),
        P.ARRIVED: frozenset({P.BOARDED, P.MISSING}),
        P.STAYED_BEHIND: frozenset({P.BOARDED, P.MISSING}),
        P.MISSING: frozenset({P.ARRIVED, P.BOARDED, P.STAYED_BEHIND, P.DIED_ON_THE_WAY}),
        P.DIED_ON_THE_WAY: frozenset(),
    },
)


class AtStop(Value):
    stop: str
    status: PersonStatus
    at: str
    on_vehicle: str | None = None  # arrived on another vehicle than this manifest's


class Triaged(Value):
    category: Triage
    injuries: tuple[Injury, ...] = ()
    facility: str | None = None
    at: str


class Entry(Value):
    """One person on the manifest: a number, a group, and where they stood at each stop."""

    number: int
    group: int
    group_kind: GroupKind
    vault_ref: str | None = None
    child: ChildAlone | None = None
    statuses: tuple[AtStop, ...] = ()
    erased: bool = False
    triage: Triaged | None = None
    handed_to: str | None = None

    @property
    def status(self) -> PersonStatus:
        return self.statuses[-1].status

    def ever(self, status: PersonStatus) -> bool:
        return any(s.status is status for s in self.statuses)


class VehicleState(EntityState):
    convoy: str
    label: ProseLine
    vehicle_kind: ProseLine | None = None
    party: str | None = None
    groups: int = 0
    entries: tuple[Entry, ...] = Field(default=())
    priority: int | None = None  # the batch's place in the order wounded leave in (1: first)

    def entry(self, number: int) -> Entry | None:
        if 1 <= number <= len(self.entries):
            return self.entries[number - 1]
        return None


def _with_status(
    entry: Entry, stop: str, status: PersonStatus, at: str, on_vehicle: str | None = None
) -> Entry:
    step = AtStop(stop=stop, status=status, at=at, on_vehicle=on_vehicle)
    return entry.model_copy(update={"statuses": (*entry.statuses, step)})


def _changed(state: VehicleState, number: int, **changes: object) -> tuple[Entry, ...]:
    return tuple(e.model_copy(update=changes) if e.number == number else e for e in state.entries)


@aggregate("vehicle", VehicleState)
def evolve(state: VehicleState | None, event: EventData, meta: EventMeta) -> VehicleState:
    if isinstance(event, VehicleRegistered):
        return VehicleState(
            **base_fields(meta),
            convoy=event.convoy,
            label=event.label,
            vehicle_kind=event.vehicle_kind,
            party=event.party,
        )
    assert state is not None
    match event:
        case GroupListed():
            listed = AtStop(stop=event.stop, status=P.REGISTERED, at=meta.occurred_at)
            steps: tuple[AtStop, ...] = (listed,)
            if event.arrived:
                steps = (listed, listed.model_copy(update={"status": P.ARRIVED}))
            added = tuple(
                Entry(
                    number=p.number,
                    group=event.group,
                    group_kind=event.group_kind,
                    vault_ref=p.vault_ref,
                    child=p.child,
                    statuses=steps,
                )
                for p in event.people
            )
            return touched(
                state,
                meta,
                groups=max(state.groups, event.group),
                entries=(*state.entries, *added),
            )
        case StatusRecorded():
            chosen = set(event.people)
            entries = tuple(
                _with_status(e, event.stop, event.status, meta.occurred_at, event.on_vehicle)
                if e.number in chosen
                else e
                for e in state.entries
            )
            return touched(state, meta, entries=entries)
        case PersonTriaged():
            triaged = Triaged(
                category=event.category,
                injuries=event.injuries,
                facility=event.facility,
                at=meta.occurred_at,
            )
            return touched(state, meta, entries=_changed(state, event.number, triage=triaged))
        case PersonHandedOver():
            handed = _changed(state, event.number, handed_to=event.facility)
            return touched(state, meta, entries=handed)
        case PrioritySet():
            return touched(state, meta, priority=event.priority)
        case PersonRemoved():
            entries = tuple(
                e.model_copy(update={"erased": True, "vault_ref": None})
                if e.number == event.number
                else e
                for e in state.entries
            )
            return touched(state, meta, entries=entries)
    return state
