"""Events of a guarantee: given, then honoured or broken."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.ids import EntityId
from mamar.domain.model import Value
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData, event_type


class GuaranteeOutcome(StrEnum):
    PENDING = "pending"
    HONOURED = "honoured"
    BROKEN = "broken"


class SubjectKind(StrEnum):
    AGREEMENT = "agreement"
    CONVOY = "convoy"
    ROUTE = "route"
    CEASEFIRE = "ceasefire"


class Subject(Value):
    """What a guarantee covers: "the vehicles' safe arrival" is about a convoy."""

    kind: SubjectKind
    id: EntityId


@event_type
class GuaranteeRecorded(EventData):
    type_name = "guarantee.recorded"

    guarantor: str
    given_to: str
    what: LocalText
    via_channel: str | None = None
    via_persons: tuple[str, ...] = ()
    subject: tuple[Subject, ...] = ()


@event_type
class GuaranteeHonoured(EventData):
    type_name = "guarantee.honoured"

    note: Prose | None = None


@event_type
class GuaranteeBroken(EventData):
    type_name = "guarantee.broken"

    incidents: tuple[str, ...] = ()
    note: Prose | None = None
