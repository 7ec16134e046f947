"""Contact state and its status machine."""

from __future__ import annotations

from datetime import datetime

from mamar.channels.events import Medium
from mamar.contacts.events import (
    ContactCancelled,
    ContactHeld,
    ContactLogged,
    ContactMissed,
    ContactScheduled,
    ContactStatus,
    Direction,
)
from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.domain.text import LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.parties.refs import PartyOrPerson

S = ContactStatus

# Only a scheduled contact can still happen; what happened then is final.
TRANSITIONS = Transitions(
    "contact",
    {
        S.SCHEDULED: frozenset({S.HELD, S.MISSED, S.CANCELLED}),
        S.HELD: frozenset(),
        S.MISSED: frozenset(),
        S.CANCELLED: frozenset(),
    },
)


class ContactState(EntityState):
    direction: Direction
    medium: Medium
    channel: str | None = None
    source: PartyOrPerson | None = None
    target: PartyOrPerson | None = None
    participants: tuple[PartyOrPerson, ...] = ()
    via: tuple[PartyOrPerson, ...] = ()
    summary: LocalText | None = None
    offers: tuple[Prose, ...] = ()
    scheduled_for: datetime | None = None
    status: ContactStatus = S.SCHEDULED
    held_at: str | None = None
    status_reason: Prose | None = None
    follow_up: str | None = None


@aggregate("contact", ContactState)
def evolve(state: ContactState | None, event: EventData, meta: EventMeta) -> ContactState:
    if isinstance(event, ContactScheduled | ContactLogged):
        held = isinstance(event, ContactLogged)
        return ContactState(
            **base_fields(meta),
            direction=event.direction,
            medium=event.medium,
            channel=event.channel,
            source=event.source,
            target=event.target,
            participants=event.participants,
            via=event.via,
            offers=event.offers,
            follow_up=event.follow_up,
            scheduled_for=event.scheduled_for,
            summary=event.summary if isinstance(event, ContactLogged) else None,
            status=S.HELD if held else S.SCHEDULED,
            held_at=meta.occurred_at if held else None,
        )
    assert state is not None
    match event:
        case ContactHeld():
            return touched(
                state,
                meta,
                status=S.HELD,
                held_at=meta.occurred_at,
                summary=event.summary if event.summary is not None else state.summary,
                offers=(*state.offers, *event.offers),
            )
        case ContactMissed():
            return touched(state, meta, status=S.MISSED, status_reason=event.reason)
        case ContactCancelled():
            return touched(state, meta, status=S.CANCELLED, status_reason=event.reason)
    return state
