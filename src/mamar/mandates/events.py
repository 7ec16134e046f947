"""Events of a mandate."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from mamar.domain.text import Prose
from mamar.journal.registry import EventData, event_type
from mamar.parties.refs import PartyOrPerson


class MandateStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@event_type
class MandateGranted(EventData):
    type_name = "mandate.granted"

    granted_by: tuple[str, ...]
    to: PartyOrPerson
    scope: Prose
    issues: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@event_type
class MandateRevoked(EventData):
    type_name = "mandate.revoked"

    reason: Prose | None = None


@event_type
class MandateExpired(EventData):
    type_name = "mandate.expired"
