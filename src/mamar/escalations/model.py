"""Escalation state, its status machine, and how long the other side took to answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalText, Prose
from mamar.domain.time import seconds_between
from mamar.domain.transitions import Transitions
from mamar.escalations.events import (
    EscalationClosed,
    EscalationFollowedUp,
    EscalationRaised,
    EscalationResponseRecorded,
    Intermediary,
    Subject,
)
from mamar.journal.registry import EventData


class EscalationStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"


E = EscalationStatus

# "answered" may reopen on a follow-up; an escalation never answered can still be closed as
# unresolved. "resolved" and "unresolved" are final.
TRANSITIONS = Transitions(
    "escalation",
    {
        E.OPEN: frozenset({E.ANSWERED, E.UNRESOLVED}),
        E.ANSWERED: frozenset({E.OPEN, E.RESOLVED, E.UNRESOLVED}),
        E.RESOLVED: frozenset(),
        E.UNRESOLVED: frozenset(),
    },
)


class Response(Value):
    at: str
    text: LocalText
    by: str | None = None
    commitment: Prose | None = None


class FollowUp(Value):
    at: str
    message: LocalText


class EscalationState(EntityState):
    to_party: str | None = None
    to_person: str | None = None
    via: tuple[Intermediary, ...] = ()
    about: tuple[Subject, ...] = ()
    message: LocalText
    raised_at: str
    status: EscalationStatus = E.OPEN
    responses: tuple[Response, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    first_response_at: str | None = None
    # Since when the current question has gone unanswered (None while answered or closed).
    awaiting_since: str | None = None
    outcome_note: Prose | None = None
    closed_at: str | None = None


def time_to_respond_seconds(state: EscalationState) -> float | None:
    """Seconds from raising the escalation to its first response; None if never answered."""
    if state.first_response_at is None:
        return None
    return seconds_between(
        datetime.fromisoformat(state.raised_at), datetime.fromisoformat(state.first_response_at)
    )


def seconds_waiting(state: EscalationState, now: datetime) -> float:
    """How long the open question has waited for an answer at ``now`` (0 if not waiting)."""
    if state.awaiting_since is None:
        return 0.0
    return max(0.0, seconds_between(datetime.fromisoformat(state.awaiting_since), now))


@aggregate("escalation", EscalationState)
def evolve(state: EscalationState | None, event: EventData, meta: EventMeta) -> EscalationState:
    if isinstance(event, EscalationRaised):
        return EscalationState(
            **base_fields(meta),
            to_party=event.to_party,
            to_person=event.to_person,
            via=event.via,
            about=event.about,
            message=event.message,
            raised_at=meta.occurred_at,
            awaiting_since=meta.occurred_at,
        )
    assert state is not None
    match event:
        case EscalationResponseRecorded():
            response = Response(
                at=meta.occurred_at, text=event.text, by=event.by, commitment=event.commitment
            )
            return touched(
                state,
                meta,
                responses=(*state.responses, response),
                status=E.ANSWERED,
                first_response_at=state.first_response_at or meta.occurred_at,
                awaiting_since=None,
            )
        case EscalationFollowedUp():
            follow_up = FollowUp(at=meta.occurred_at, message=event.message)
            return touched(
                state,
                meta,
                follow_ups=(*state.follow_ups, follow_up),
                status=E.OPEN,
                awaiting_since=meta.occurred_at,
            )
        case EscalationClosed():
            return touched(
                state,
                meta,
                status=EscalationStatus(event.outcome.value),
                outcome_note=event.note,
                closed_at=meta.occurred_at,
                awaiting_since=None,
            )
    return state
