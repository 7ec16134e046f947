"""Control area and front line states, and how events change them.

A control area is a piece of ground with a history of who controlled it: each
transfer closes one period and opens the next, so "who controlled this point
at time T" is read from the periods.
"""

from __future__ import annotations

from datetime import datetime

from mamar.control.events import (
    ControlAreaEnded,
    ControlAreaRecorded,
    ControlAreaTransferred,
    FrontLineEnded,
    FrontLineRecorded,
)
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalName, Prose
from mamar.geo.values import AreaShape, Confidence, LineShape
from mamar.journal.registry import EventData


def valid_at(valid_from: datetime, valid_to: datetime | None, at: datetime) -> bool:
    """Half-open interval: from ``valid_from`` inclusive to ``valid_to`` exclusive."""
    return valid_from <= at and (valid_to is None or at < valid_to)


class ControlPeriod(Value):
    party: str
    valid_from: datetime
    valid_to: datetime | None = None
    source: Prose
    confidence: Confidence


class ControlAreaState(EntityState):
    name: LocalName | None = None
    area: AreaShape
    periods: tuple[ControlPeriod, ...]
    # The latest period, repeated for readers that only need the present.
    party: str
    valid_from: datetime
    valid_to: datetime | None = None
    source: Prose
    confidence: Confidence

    def last(self) -> ControlPeriod:
        return self.periods[-1]

    def period_at(self, at: datetime) -> ControlPeriod | None:
        for period in self.periods:
            if valid_at(period.valid_from, period.valid_to, at):
                return period
        return None


def _with_periods(
    state: ControlAreaState, meta: EventMeta, periods: tuple[ControlPeriod, ...]
) -> ControlAreaState:
    last = periods[-1]
    return touched(
        state,
        meta,
        periods=periods,
        party=last.party,
        valid_from=last.valid_from,
        valid_to=last.valid_to,
        source=last.source,
        confidence=last.confidence,
    )


@aggregate("control_area", ControlAreaState)
def evolve_area(
    state: ControlAreaState | None, event: EventData, meta: EventMeta
) -> ControlAreaState:
    if isinstance(event, ControlAreaRecorded):
        period = ControlPeriod(
            party=event.party,
            valid_from=event.valid_from,
            valid_to=event.valid_to,
            source=event.source,
            confidence=event.confidence,
        )
        return ControlAreaState(
            **base_fields(meta),
            name=event.name,
            area=event.area,
            periods=(period,),
            party=event.party,
            valid_from=event.valid_from,
            valid_to=event.valid_to,
            source=event.source,
            confidence=event.confidence,
        )
    assert state is not None
    match event:
        case ControlAreaTransferred():
            last = state.last()
            closed = (
                last
                if last.valid_to is not None
                else last.model_copy(update={"valid_to": event.at})
            )
            opened = ControlPeriod(
                party=event.party,
                valid_from=event.at,
                source=event.source,
                confidence=event.confidence,
            )
            return _with_periods(state, meta, (*state.periods[:-1], closed, opened))
        case ControlAreaEnded():
            ended = state.last().model_copy(update={"valid_to": event.at})
            return _with_periods(state, meta, (*state.periods[:-1], ended))
    return state


class FrontLineState(EntityState):
    name: LocalName | None = None
    line: LineShape
    parties: tuple[str, ...] = ()
    valid_from: datetime
    valid_to: datetime | None = None
    source: Prose
    confidence: Confidence
    end_reason: Prose | None = None

    def valid(self, at: datetime) -> bool:
        return valid_at(self.valid_from, self.valid_to, at)


@aggregate("front_line", FrontLineState)
def evolve_front(state: FrontLineState | None, event: EventData, meta: EventMeta) -> FrontLineState:
    if isinstance(event, FrontLineRecorded):
        return FrontLineState(
            **base_fields(meta),
            name=event.name,
            line=event.line,
            parties=event.parties,
            valid_from=event.valid_from,
            valid_to=event.valid_to,
            source=event.source,
            confidence=event.confidence,
        )
    assert state is not None
    if isinstance(event, FrontLineEnded):
        return touched(state, meta, valid_to=event.at, end_reason=event.reason)
    return state
