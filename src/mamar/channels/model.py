"""Channel state, its status machine and history."""

from __future__ import annotations

from mamar.channels.events import (
    ChannelNoteAdded,
    ChannelOpened,
    ChannelStatus,
    ChannelStatusChanged,
    Medium,
)
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.parties.refs import PartyOrPerson

S = ChannelStatus

# A channel may go quiet, break, or be revived; only a real change is recorded.
TRANSITIONS = Transitions(
    "channel",
    {
        S.ACTIVE: frozenset({S.DORMANT, S.BROKEN}),
        S.DORMANT: frozenset({S.ACTIVE, S.BROKEN}),
        S.BROKEN: frozenset({S.ACTIVE, S.DORMANT}),
    },
)

#: A channel is recorded once someone has reached, or offered to reach, the other end.
OPENING_STATUSES = frozenset({S.ACTIVE, S.DORMANT})


class ChannelStatusEntry(Value):
    status: ChannelStatus
    at: str
    reason: Prose | None = None


class ChannelNote(Value):
    at: str
    by: str
    text: LocalText


class ChannelState(EntityState):
    source: PartyOrPerson
    target: PartyOrPerson
    via: tuple[PartyOrPerson, ...] = ()
    medium: Medium
    status: ChannelStatus = S.ACTIVE
    history: tuple[ChannelStatusEntry, ...] = ()
    notes: tuple[ChannelNote, ...] = ()


@aggregate("channel", ChannelState)
def evolve(state: ChannelState | None, event: EventData, meta: EventMeta) -> ChannelState:
    if isinstance(event, ChannelOpened):
        return ChannelState(
            **base_fields(meta),
            source=event.source,
            target=event.target,
            via=event.via,
            medium=event.medium,
            status=event.status,
            history=(
                ChannelStatusEntry(status=event.status, at=meta.occurred_at, reason=event.reason),
            ),
        )
    assert state is not None
    match event:
        case ChannelStatusChanged():
            entry = ChannelStatusEntry(
                status=event.status, at=meta.occurred_at, reason=event.reason
            )
            return touched(state, meta, status=event.status, history=(*state.history, entry))
        case ChannelNoteAdded():
            note = ChannelNote(at=meta.occurred_at, by=meta.actor, text=event.text)
            return touched(state, meta, notes=(*state.notes, note))
    return state
