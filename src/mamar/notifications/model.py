"""Notification state; its status follows from the acknowledgements received."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData
from mamar.notifications.events import NotificationAcknowledged, NotificationSent


class NotificationStatus(StrEnum):
    SENT = "sent"
    PARTIALLY_ACKNOWLEDGED = "partially_acknowledged"
    ACKNOWLEDGED = "acknowledged"


class Acknowledgement(Value):
    party: str
    at: str
    by: str
    note: Prose | None = None


class NotificationState(EntityState):
    """Notice of a movement. Informative, not permission: nobody's acknowledgement is consent."""

    convoy: str | None = None
    route: str | None = None
    route_version: int | None = None
    window_from: str | None = None
    window_until: str | None = None
    message: LocalText
    parties: tuple[str, ...]
    sent_at: str
    acknowledgements: tuple[Acknowledgement, ...] = ()
    status: NotificationStatus = NotificationStatus.SENT

    def acknowledged_parties(self) -> tuple[str, ...]:
        return tuple(a.party for a in self.acknowledgements)

    def pending_parties(self) -> tuple[str, ...]:
        done = set(self.acknowledged_parties())
        return tuple(p for p in self.parties if p not in done)


def _status(parties: tuple[str, ...], acks: tuple[Acknowledgement, ...]) -> NotificationStatus:
    done = {a.party for a in acks}
    if not done:
        return NotificationStatus.SENT
    if all(p in done for p in parties):
        return NotificationStatus.ACKNOWLEDGED
    return NotificationStatus.PARTIALLY_ACKNOWLEDGED


@aggregate("notification", NotificationState)
def evolve(state: NotificationState | None, event: EventData, meta: EventMeta) -> NotificationState:
    if isinstance(event, NotificationSent):
        return NotificationState(
            **base_fields(meta),
            convoy=event.convoy,
            route=event.route,
            route_version=event.route_version,
            window_from=None if event.window_from is None else event.window_from.isoformat(),
            window_until=None if event.window_until is None else event.window_until.isoformat(),
            message=event.message,
            parties=event.parties,
            sent_at=meta.occurred_at,
        )
    assert state is not None
    if isinstance(event, NotificationAcknowledged):
        ack = Acknowledgement(party=event.party, at=meta.occurred_at, by=event.by, note=event.note)
        acks = (*state.acknowledgements, ack)
        return touched(state, meta, acknowledgements=acks, status=_status(state.parties, acks))
    return state
