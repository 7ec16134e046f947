"""Ceasefire state, its status machine, and how events change it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mamar.ceasefires.events import (
    CeasefireDeclared,
    CeasefireExpired,
    CeasefireRestored,
    CeasefireStatus,
    CeasefireSuspended,
    CeasefireTookEffect,
    CeasefireViolated,
    Daily,
)
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import Prose
from mamar.domain.time import Precision
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
    note: Prose | None = None


class StatusEntry(Value):
    status: CeasefireStatus
    at: str
    reason: Prose | None = None


class CeasefireState(EntityState):
    area: Prose
    agreement: str | None = None
    agreement_version: int | None = None
    parties: tuple[str, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    status: CeasefireStatus = S.DECLARED
    violations: tuple[Violation, ...] = ()
    history: tuple[StatusEntry, ...] = ()
    declared_by: str | None = None
    daily: Daily | None = None
    timezone: str | None = None
    starts_precision: Precision | None = None
    ends_precision: Precision | None = None
    places: tuple[str, ...] = ()


class Window(Value):
    """One stretch of time the ceasefire covers, and the violations recorded in it."""

    starts_at: datetime | None
    ends_at: datetime | None
    violations: int = 0


def windows(state: CeasefireState) -> list[Window]:
    """Every window of the ceasefire (one per day when it recurs), each with the number of
    violations recorded inside it."""
    spans: list[tuple[datetime | None, datetime | None]] = []
    if state.daily is not None:
        zone = ZoneInfo(state.timezone or "UTC")
        day = state.daily.first_day
        while day <= state.daily.last_day:
            opens = datetime.combine(day, state.daily.opens, zone)
            closes = datetime.combine(day, state.daily.closes, zone)
            if closes <= opens:
                closes += timedelta(days=1)
            spans.append((opens, closes))
            day += timedelta(days=1)
    else:
        spans.append((state.starts_at, state.ends_at))
    counted = [0] * len(spans)
    for violation in state.violations:
        at = datetime.fromisoformat(violation.at)
        for index, (start, end) in enumerate(spans):
            if (start is None or start <= at) and (end is None or at < end):
                counted[index] += 1
                break
    return [
        Window(starts_at=start, ends_at=end, violations=n)
        for (start, end), n in zip(spans, counted, strict=True)
    ]


def outside_windows(state: CeasefireState) -> int:
    """Violations recorded outside every window (outside the daily hours, say)."""
    return len(state.violations) - sum(w.violations for w in windows(state))


def overlaps(a: CeasefireState, b: CeasefireState) -> bool:
    """The two ceasefires cover some moment in common (open ends run for ever)."""
    far_past = datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    far_future = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return (a.starts_at or far_past) < (b.ends_at or far_future) and (b.starts_at or far_past) < (
        a.ends_at or far_future
    )


def _moved(
    state: CeasefireState, meta: EventMeta, status: CeasefireStatus, reason: Prose | None
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
            declared_by=event.declared_by,
            daily=event.daily,
            timezone=event.timezone,
            starts_precision=event.starts_precision,
            ends_precision=event.ends_precision,
            places=event.places,
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
