"""Events of a contact (a call, message or meeting)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from mamar.channels.events import Medium
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData, event_type
from mamar.parties.refs import PartyOrPerson


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class ContactStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    MISSED = "missed"
    CANCELLED = "cancelled"


class ContactDetails(EventData):
    """Who, how and about what: shared by the scheduling and the logging event."""

    direction: Direction
    medium: Medium
    channel: str | None = None
    source: PartyOrPerson | None = None
    target: PartyOrPerson | None = None
    participants: tuple[PartyOrPerson, ...] = ()
    via: tuple[PartyOrPerson, ...] = ()
    offers: tuple[Prose, ...] = ()
    follow_up: str | None = None


@event_type
class ContactScheduled(ContactDetails):
    type_name = "contact.scheduled"

    scheduled_for: datetime


@event_type
class ContactLogged(ContactDetails):
    """A contact that took place, recorded afterwards (status ``held``)."""

    type_name = "contact.logged"

    summary: LocalText | None = None
    scheduled_for: datetime | None = None


@event_type
class ContactHeld(EventData):
    type_name = "contact.held"

    summary: LocalText | None = None
    offers: tuple[Prose, ...] = ()


@event_type
class ContactMissed(EventData):
    type_name = "contact.missed"

    reason: Prose | None = None


@event_type
class ContactCancelled(EventData):
    type_name = "contact.cancelled"

    reason: Prose | None = None
