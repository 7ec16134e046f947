"""Events of an escalation: raised, answered, followed up, closed."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.ids import EntityId
from mamar.domain.model import Value
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData, event_type


class SubjectKind(StrEnum):
    """What an escalation may be about; each value is the entity kind it refers to."""

    INCIDENT = "incident"
    CONVOY = "convoy"
    ROUTE = "route"
    CEASEFIRE = "ceasefire"


class Subject(Value):
    kind: SubjectKind
    id: EntityId


class IntermediaryKind(StrEnum):
    PARTY = "party"
    PERSON = "person"


class Intermediary(Value):
    """Whoever carried the message (a Red Crescent official, a guarantor's translator)."""

    kind: IntermediaryKind
    id: EntityId


class Outcome(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"


@event_type
class EscalationRaised(EventData):
    type_name = "escalation.raised"

    to_party: str | None = None
    to_person: str | None = None
    via: tuple[Intermediary, ...] = ()
    about: tuple[Subject, ...] = ()
    message: LocalText


@event_type
class EscalationResponseRecorded(EventData):
    """What the other side answered ("a problem being fixed"), and any commitment it made."""

    type_name = "escalation.response_recorded"

    text: LocalText
    by: str | None = None
    commitment: Prose | None = None


@event_type
class EscalationFollowedUp(EventData):
    """The answer did not settle it: the escalation is pressed again and is open once more."""

    type_name = "escalation.followed_up"

    message: LocalText


@event_type
class EscalationClosed(EventData):
    type_name = "escalation.closed"

    outcome: Outcome
    note: Prose | None = None
