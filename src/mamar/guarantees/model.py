"""Guarantee state, its outcome machine, and how events change it."""

from __future__ import annotations

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.guarantees.events import (
    GuaranteeBroken,
    GuaranteeHonoured,
    GuaranteeOutcome,
    GuaranteeRecorded,
    Subject,
)
from mamar.journal.registry import EventData

G = GuaranteeOutcome

# A guarantee kept for a while can still be broken later; a broken one stays broken.
TRANSITIONS = Transitions(
    "guarantee",
    {
        G.PENDING: frozenset({G.HONOURED, G.BROKEN}),
        G.HONOURED: frozenset({G.BROKEN}),
        G.BROKEN: frozenset(),
    },
)


class OutcomeEntry(Value):
    outcome: GuaranteeOutcome
    at: str
    note: Prose | None = None
    incidents: tuple[str, ...] = ()


class GuaranteeState(EntityState):
    guarantor: str
    given_to: str
    what: LocalText
    via_channel: str | None = None
    via_persons: tuple[str, ...] = ()
    subject: tuple[Subject, ...] = ()
    given_at: str = ""
    given_by: str = ""  # the account that recorded it
    outcome: GuaranteeOutcome = G.PENDING
    incidents: tuple[str, ...] = ()
    history: tuple[OutcomeEntry, ...] = ()


@aggregate("guarantee", GuaranteeState)
def evolve(state: GuaranteeState | None, event: EventData, meta: EventMeta) -> GuaranteeState:
    if isinstance(event, GuaranteeRecorded):
        return GuaranteeState(
            **base_fields(meta),
            guarantor=event.guarantor,
            given_to=event.given_to,
            what=event.what,
            via_channel=event.via_channel,
            via_persons=event.via_persons,
            subject=event.subject,
            given_at=meta.occurred_at,
            given_by=meta.actor,
            history=(OutcomeEntry(outcome=G.PENDING, at=meta.occurred_at),),
        )
    assert state is not None
    match event:
        case GuaranteeHonoured():
            entry = OutcomeEntry(outcome=G.HONOURED, at=meta.occurred_at, note=event.note)
            return touched(state, meta, outcome=G.HONOURED, history=(*state.history, entry))
        case GuaranteeBroken():
            entry = OutcomeEntry(
                outcome=G.BROKEN, at=meta.occurred_at, note=event.note, incidents=event.incidents
            )
            return touched(
                state,
                meta,
                outcome=G.BROKEN,
                incidents=(*state.incidents, *event.incidents),
                history=(*state.history, entry),
            )
    return state
