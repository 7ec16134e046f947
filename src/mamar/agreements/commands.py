"""Commands on agreements and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from mamar.agreements.events import (
    AgreementConcluded,
    AgreementDrafted,
    AgreementStatus,
    AgreementStatusChanged,
    AgreementVersionAdopted,
    ConcludedAs,
)
from mamar.agreements.model import TRANSITIONS, AgreementState
from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import FreeText, LocalName, LocalText
from mamar.journal.registry import EventData
from mamar.negotiation.checks import require_each
from mamar.negotiation.terms import Terms, check_terms


class DraftAgreement(CreateCommand):
    command_name: ClassVar[str] = "agreement.draft"
    kind: ClassVar[str] = "agreement"

    title: LocalName
    parties: tuple[EntityId, ...] = Field(min_length=2)
    guarantors: tuple[EntityId, ...] = ()
    issues: tuple[EntityId, ...] = ()
    proposals: tuple[EntityId, ...] = ()
    terms: Terms = ()
    text: LocalText | None = None


class ConcludeAgreement(Command):
    """Version 1. Terms and text not given are the draft's."""

    command_name: ClassVar[str] = "agreement.conclude"
    kind: ClassVar[str] = "agreement"

    status: ConcludedAs = ConcludedAs.PRELIMINARY
    terms: Terms | None = None
    text: LocalText | None = None
    note: FreeText | None = None


class AdoptAgreementVersion(Command):
    """A complete new set of terms superseding the current version; optionally a new status."""

    command_name: ClassVar[str] = "agreement.adopt_version"
    kind: ClassVar[str] = "agreement"

    terms: Terms
    text: LocalText | None = None
    note: FreeText | None = None
    status: AgreementStatus | None = None
    reason: FreeText | None = None


class ChangeAgreementStatus(Command):
    command_name: ClassVar[str] = "agreement.change_status"
    kind: ClassVar[str] = "agreement"

    status: AgreementStatus
    reason: FreeText | None = None
    incidents: tuple[EntityId, ...] = ()


def _status_change(
    state: AgreementState,
    wanted: AgreementStatus,
    reason: str | None,
    incidents: tuple[str, ...],
    ctx: Context,
) -> AgreementStatusChanged:
    TRANSITIONS.require(state.status, wanted)
    if state.status is AgreementStatus.DRAFT and wanted is not AgreementStatus.TERMINATED:
        raise DomainError(
            "not_concluded",
            "a draft takes effect by being concluded (agreement.conclude)",
            field="status",
        )
    require_each(ctx, "incident", incidents, "incidents")
    return AgreementStatusChanged(
        status=wanted, previous=state.status, reason=reason, incidents=incidents
    )


@decides(DraftAgreement)
def draft(state: None, cmd: DraftAgreement, ctx: Context) -> list[EventData]:
    require_each(ctx, "party", cmd.parties, "parties")
    require_each(ctx, "party", cmd.guarantors, "guarantors")
    require_each(ctx, "issue", cmd.issues, "issues")
    require_each(ctx, "proposal", cmd.proposals, "proposals")
    check_terms(ctx, cmd.terms)
    return [
        AgreementDrafted(
            title=cmd.title,
            parties=cmd.parties,
            guarantors=cmd.guarantors,
            issues=cmd.issues,
            proposals=cmd.proposals,
            terms=cmd.terms,
            text=cmd.text,
        )
    ]


@decides(ConcludeAgreement)
def conclude(state: AgreementState, cmd: ConcludeAgreement, ctx: Context) -> list[EventData]:
    if state.status is not AgreementStatus.DRAFT:
        raise DomainError(
            "already_concluded",
            f"the agreement is already {state.status.value} (version {state.current_version}); "
            "adopt a new version instead",
            field="status",
        )
    terms = cmd.terms if cmd.terms is not None else state.terms
    text = cmd.text if cmd.text is not None else state.text
    if not terms and text is None:
        raise DomainError(
            "empty_agreement", "an agreement is concluded on terms or a text", field="terms"
        )
    check_terms(ctx, terms)
    return [AgreementConcluded(status=cmd.status, terms=terms, text=text, note=cmd.note)]


@decides(AdoptAgreementVersion)
def adopt_version(
    state: AgreementState, cmd: AdoptAgreementVersion, ctx: Context
) -> list[EventData]:
    if state.status is AgreementStatus.DRAFT:
        raise DomainError(
            "not_concluded", "conclude the agreement first: that is version 1", field="terms"
        )
    if state.status is AgreementStatus.TERMINATED:
        raise DomainError("terminated", "the agreement is terminated; it has no further versions")
    if not cmd.terms and cmd.text is None:
        raise DomainError("empty_version", "a version has terms or a text", field="terms")
    if (cmd.terms, cmd.text) == (state.terms, state.text):
        raise DomainError(
            "unchanged",
            f"these are the terms and text of version {state.current_version} already",
            field="terms",
        )
    if cmd.reason is not None and cmd.status is None:
        raise DomainError("status_missing", "a reason goes with a new status", field="status")
    check_terms(ctx, cmd.terms)
    events: list[EventData] = []
    # The status is checked before anything is emitted, so a refusal appends nothing.
    if cmd.status is not None and cmd.status is not state.status:
        events.append(_status_change(state, cmd.status, cmd.reason, (), ctx))
    events.insert(
        0,
        AgreementVersionAdopted(
            version=state.current_version + 1,
            supersedes=state.current_version,
            terms=cmd.terms,
            text=cmd.text,
            note=cmd.note,
        ),
    )
    return events


@decides(ChangeAgreementStatus)
def change_status(
    state: AgreementState, cmd: ChangeAgreementStatus, ctx: Context
) -> list[EventData]:
    return [_status_change(state, cmd.status, cmd.reason, cmd.incidents, ctx)]
