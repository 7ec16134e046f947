"""Events of an agreement's life: drafted, concluded, new versions, status changes."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from mamar.domain.text import LocalName, LocalText, Prose
from mamar.journal.registry import EventData, event_type
from mamar.negotiation.terms import Terms
from mamar.parties.refs import EntityRef


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
    # Added later (older journals have none): who else is named on it, and whether
    # one party declared it alone.
    facilitators: tuple[str, ...] = ()  # carry out the movement, guaranteeing nothing
    brokers: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()
    declared_by: str | None = None  # a unilateral declaration by this party


@event_type
class AgreementConcluded(EventData):
    """Version 1: the terms as first agreed."""

    type_name = "agreement.concluded"

    status: ConcludedAs
    terms: Terms
    text: LocalText | None = None
    note: Prose | None = None


@event_type
class AgreementVersionAdopted(EventData):
    """A complete new set of terms that supersedes the version before it."""

    type_name = "agreement.version_adopted"

    version: int = Field(ge=2)
    supersedes: int = Field(ge=1)
    terms: Terms
    text: LocalText | None = None
    note: Prose | None = None
    joined: tuple[str, ...] = ()  # parties joining with this version
    left: tuple[str, ...] = ()  # parties leaving with it
    # Roles named anew with this version (None: as they were; older journals have none).
    guarantors: tuple[str, ...] | None = None
    facilitators: tuple[str, ...] | None = None
    brokers: tuple[str, ...] | None = None
    observers: tuple[str, ...] | None = None


@event_type
class AgreementStatusChanged(EventData):
    type_name = "agreement.status_changed"

    status: AgreementStatus
    previous: AgreementStatus
    reason: Prose | None = None
    incidents: tuple[str, ...] = ()


@event_type
class AgreementRolesNamed(EventData):
    """Who guarantees, facilitates, brokers and observes, as now named (the whole set)."""

    type_name = "agreement.roles_named"

    guarantors: tuple[str, ...] = ()
    facilitators: tuple[str, ...] = ()
    brokers: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()
    reason: Prose | None = None


class FulfilmentStatus(StrEnum):
    NOT_STARTED = "not_started"
    PARTIAL = "partial"
    FULFILLED = "fulfilled"
    NOT_FULFILLED = "not_fulfilled"  # refused or abandoned


@event_type
class TermFulfilmentRecorded(EventData):
    """How far a term is carried out (750 of 1,500 released), with what shows it."""

    type_name = "agreement.fulfilment_recorded"

    term: str  # the term's key (see mamar.negotiation.terms.term_keys)
    status: FulfilmentStatus
    done: int | None = Field(default=None, ge=0)
    of: int | None = Field(default=None, ge=0)
    evidence: tuple[EntityRef, ...] = ()
    note: Prose | None = None


class PhaseStatus(StrEnum):
    STARTED = "started"
    COMPLETED = "completed"


@event_type
class AgreementPhaseChanged(EventData):
    """A phase started or completed; ``condition_met`` is whether its condition held then
    (None: the condition is in words only, or it has none)."""

    type_name = "agreement.phase_changed"

    phase: int = Field(ge=1)
    status: PhaseStatus
    condition_met: bool | None = None
    note: Prose | None = None


@event_type
class AgreementConvoysAssigned(EventData):
    """The convoys that carry out a phase (the whole list, as now known)."""

    type_name = "agreement.convoys_assigned"

    phase: int = Field(ge=1)
    convoys: tuple[str, ...]
