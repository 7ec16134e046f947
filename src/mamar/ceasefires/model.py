"""Ceasefire state, its status machine, and how events change it."""

from __future__ import annotations

from datetime import datetime

from mamar.ceasefires.events import (
    CeasefireDeclared,
    CeasefireExpired,
    CeasefireRestored,
    CeasefireStatus,
    CeasefireSuspended,
    CeasefireTookEffect,
    CeasefireViolated,
)
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData

S = CeasefireStatus

# Which status may follow which. A violation is recorded while the ceasefire holds
# (in force, restored) or is already violated; "expired" is final.
TRANSITIONS = Transitions(
    "ceasefire",
    {
        S.DECLARED: frozenset({S.IN_FORCE, S.SUSPENDED, S.EXPIRED}),
        S.IN_FORCE: frozenset({S.VIOLATED, S.SUSPENDED, S.EXPIRED}),
        S.VIOLATED: frozenset({S.VIOLATED, S.SUSPENDED, S.RESTORED, S.EXPIRED}),
        S.SUSPENDED: frozenset({S.RESTORED, S.EXPIRED}),
        S.RESTORED: frozenset({S.VIOLATED, S.SUSPENDED, S.EXPIRED}),
        S.EXPIRED: frozenset(),
    },
)


class Violation(Value):
    incident: str
    at: str
    note: str | None = None


class StatusEntry(Value):
    status: CeasefireStatus
    at: str
    reason: str | None = None


class CeasefireState(EntityState):
    area: str
    agreement: str | None = None
    agreement_version: int | None = None
    parties: tuple[str, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    status: CeasefireStatus = S.DECLARED
    violations: tuple[Violation, ...] = ()
    history: tuple[StatusEntry, ...] = ()


def _moved(
    state: CeasefireState, meta: EventMeta, status: CeasefireStatus, reason: str | None
) -> CeasefireState:
    entry = StatusEntry(status=status, at=meta.occurred_at, reason=reason)
    return touched(state, meta, status=status, history=(*state.history, entry))


@aggregate("ceasefire", CeasefireState)
def evolve(state: CeasefireState | None, event: EventData, meta: EventMeta) -> CeasefireState:
    if isinstance(event, CeasefireDeclared):
        return CeasefireState(
            **base_fields(meta),
            area=event.area,
            agreement=event.agreement,
            agreement_version=event.agreement_version,
            parties=event.parties,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            history=(StatusEntry(status=S.DECLARED, at=meta.occurred_at, reason=event.note),),
        )
    assert state is not None
    match event:
        case CeasefireTookEffect():
            return _moved(state, meta, S.IN_FORCE, event.note)
        case CeasefireViolated():
            seen = Violation(incident=event.incident, at=meta.occurred_at, note=event.note)
            moved = _moved(state, meta, S.VIOLATED, event.note)
            return moved.model_copy(update={"violations": (*state.violations, seen)})
        case CeasefireSuspended():
            return _moved(state, meta, S.SUSPENDED, event.reason)
        case CeasefireRestored():
            moved = _moved(state, meta, S.RESTORED, event.reason)
            if event.agreement_version is None:
                return moved
            return moved.model_copy(update={"agreement_version": event.agreement_version})
        case CeasefireExpired():
            return _moved(state, meta, S.EXPIRED, event.reason)
    return state
