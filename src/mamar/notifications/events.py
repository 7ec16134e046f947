"""Events of a notification: sent to parties, acknowledged by each."""

from __future__ import annotations

from mamar.domain.text import LocalText, Prose
from mamar.domain.time import AwareDatetime
from mamar.journal.registry import EventData, event_type


@event_type
class NotificationSent(EventData):
    """Notice of a movement (a convoy, on a route version, within a window) to parties."""

    type_name = "notification.sent"

    convoy: str | None = None
    route: str | None = None
    route_version: int | None = None
    window_from: AwareDatetime | None = None
    window_until: AwareDatetime | None = None
    message: LocalText
    parties: tuple[str, ...]


@event_type
class NotificationAcknowledged(EventData):
    """A party confirms receipt; ``by`` is the account that recorded it."""

    type_name = "notification.acknowledged"

    party: str
    by: str
    note: Prose | None = None
