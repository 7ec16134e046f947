"""Events of an agreement's life: drafted, concluded, new versions, status changes."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from mamar.domain.text import FreeText, LocalName, LocalText
from mamar.journal.registry import EventData, event_type
from mamar.negotiation.terms import Terms


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    PRELIMINARY = "preliminary"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    BREACHED = "breached"
    TERMINATED = "terminated"


class ConcludedAs(StrEnum):
    """The status an agreement takes when it is concluded."""

    PRELIMINARY = "preliminary"
    IN_FORCE = "in_force"


@event_type
class AgreementDrafted(EventData):
    type_name = "agreement.drafted"

    title: LocalName
    parties: tuple[str, ...]
    guarantors: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()  # the proposals it grew from
    terms: Terms = ()
    text: LocalText | None = None


@event_type
class AgreementConcluded(EventData):
    """Version 1: the terms as first agreed."""

    type_name = "agreement.concluded"

    status: ConcludedAs
    terms: Terms
    text: LocalText | None = None
    note: FreeText | None = None


@event_type
class AgreementVersionAdopted(EventData):
    """A complete new set of terms that supersedes the version before it."""

    type_name = "agreement.version_adopted"

    version: int = Field(ge=2)
    supersedes: int = Field(ge=1)
    terms: Terms
    text: LocalText | None = None
    note: FreeText | None = None


@event_type
class AgreementStatusChanged(EventData):
    type_name = "agreement.status_changed"

    status: AgreementStatus
    previous: AgreementStatus
    reason: FreeText | None = None
    incidents: tuple[str, ...] = ()
