"""Events of a ceasefire window."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.text import FreeText
from mamar.domain.time import AwareDatetime
from mamar.journal.registry import EventData, event_type


class CeasefireStatus(StrEnum):
    DECLARED = "declared"
    IN_FORCE = "in_force"
    VIOLATED = "violated"
    SUSPENDED = "suspended"
    RESTORED = "restored"
    EXPIRED = "expired"


@event_type
class CeasefireDeclared(EventData):
    type_name = "ceasefire.declared"

    area: FreeText
    agreement: str | None = None
    agreement_version: int | None = None
    parties: tuple[str, ...] = ()
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    note: FreeText | None = None


@event_type
class CeasefireTookEffect(EventData):
    type_name = "ceasefire.took_effect"

    note: FreeText | None = None


@event_type
class CeasefireViolated(EventData):
    """A violation, evidenced by an incident; the ceasefire is then ``violated``."""

    type_name = "ceasefire.violated"

    incident: str
    note: FreeText | None = None


@event_type
class CeasefireSuspended(EventData):
    type_name = "ceasefire.suspended"

    reason: FreeText | None = None


@event_type
class CeasefireRestored(EventData):
    type_name = "ceasefire.restored"

    reason: FreeText | None = None
    agreement_version: int | None = None  # the agreement version that restored it (S29)


@event_type
class CeasefireExpired(EventData):
    type_name = "ceasefire.expired"

    reason: FreeText | None = None
