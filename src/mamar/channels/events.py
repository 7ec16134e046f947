"""Events of a channel."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData, event_type
from mamar.parties.refs import PartyOrPerson


class Medium(StrEnum):
    PHONE = "phone"
    MESSAGING = "messaging"
    IN_PERSON = "in_person"
    RADIO = "radio"
    EMAIL = "email"
    OTHER = "other"


class ChannelStatus(StrEnum):
    ACTIVE = "active"
    DORMANT = "dormant"
    BROKEN = "broken"


@event_type
class ChannelOpened(EventData):
    type_name = "channel.opened"

    source: PartyOrPerson
    target: PartyOrPerson
    via: tuple[PartyOrPerson, ...] = ()
    medium: Medium
    status: ChannelStatus = ChannelStatus.ACTIVE
    reason: Prose | None = None


@event_type
class ChannelStatusChanged(EventData):
    type_name = "channel.status_changed"

    status: ChannelStatus
    previous: ChannelStatus
    reason: Prose | None = None


@event_type
class ChannelNoteAdded(EventData):
    type_name = "channel.note_added"

    text: LocalText
