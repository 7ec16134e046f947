"""Commands on agreements and the decisions that accept or refuse them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, ClassVar

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from mamar.agreements.conditions import condition_holds, phase_term
from mamar.agreements.events import (
    AgreementConcluded,
    AgreementConvoysAssigned,
    AgreementDrafted,
    AgreementPhaseChanged,
    AgreementRolesNamed,
    AgreementStatus,
    AgreementStatusChanged,
    AgreementVersionAdopted,
    ConcludedAs,
    FulfilmentStatus,
    PhaseStatus,
    TermFulfilmentRecorded,
)
from mamar.agreements.model import TRANSITIONS, AgreementState
from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, LocalText, Name, Prose
from mamar.journal.registry import EventData
from mamar.negotiation.checks import require_each
from mamar.negotiation.terms import (
    MAX_COUNT,
    MAX_PHASE,
    Terms,
    check_terms,
    term_keys,
    what_it_says,
)
from mamar.parties.refs import EntityRef, require_refs

#: The kinds of record a fulfilment's evidence is picked from.
EVIDENCE_KINDS = ("note", "convoy", "incident", "contact", "guarantee", "notification")
#: A record showing a term is carried out.
Evidence = Annotated[EntityRef, RefersTo(*EVIDENCE_KINDS)]


class DraftAgreement(CreateCommand):
    command_name: ClassVar[str] = "agreement.draft"
    kind: ClassVar[str] = "agreement"

    title: LocalName
    # Before ``parties``: whether one party may stand alone depends on it.
    declared_by: Annotated[EntityId, RefersTo("party")] | None = (
        None  # one party declaring it alone
    )
    parties: tuple[Annotated[EntityId, RefersTo("party")], ...] = Field(min_length=1)
    guarantors: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()
    issues: tuple[Annotated[EntityId, RefersTo("issue")], ...] = ()
    proposals: tuple[Annotated[EntityId, RefersTo("proposal")], ...] = ()
    terms: Terms = ()
    text: LocalText | None = None
    facilitators: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()
    brokers: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()
    observers: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()

    @field_validator("parties")
    @classmethod
    def _agreed_by_two_or_declared_by_one(
        cls, parties: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        if info.data.get("declared_by") is None and len(parties) < 2:
            raise PydanticCustomError(
                "too_few_parties",
                "an agreement has at least two parties; a declaration by one names it "
                "in declared_by",
            )
        return parties


class ConcludeAgreement(Command):
    """Version 1. Terms and text not given are the draft's."""

    command_name: ClassVar[str] = "agreement.conclude"
    kind: ClassVar[str] = "agreement"

    status: ConcludedAs = ConcludedAs.PRELIMINARY
    terms: Terms | None = None
    text: LocalText | None = None
    note: Prose | None = None


class AdoptAgreementVersion(Command):
    """A complete new set of terms superseding the current version; optionally a new status."""

    command_name: ClassVar[str] = "agreement.adopt_version"
    kind: ClassVar[str] = "agreement"

    terms: Terms
    text: LocalText | None = None
    note: Prose | None = None
    status: AgreementStatus | None = None
    reason: Prose | None = None
    joined: tuple[
        Annotated[EntityId, RefersTo("party")], ...
    ] = ()  # parties joining with this version
    left: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()  # parties leaving with it
    # Roles named anew with this version (a role not given stays as it is, [] empties it).
    guarantors: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    facilitators: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    brokers: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    observers: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None


class NameAgreementRoles(Command):
    """Who guarantees, facilitates, brokers and observes; a role not given stays as it is,
    ``[]`` empties it."""

    command_name: ClassVar[str] = "agreement.name_roles"
    kind: ClassVar[str] = "agreement"

    guarantors: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    facilitators: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    brokers: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    observers: tuple[Annotated[EntityId, RefersTo("party")], ...] | None = None
    reason: Prose | None = None


class RecordFulfilment(Command):
    """How far one term is carried out: 750 of 1,500 released, with what shows it."""

    command_name: ClassVar[str] = "agreement.record_fulfilment"
    kind: ClassVar[str] = "agreement"

    term: Name  # the term's key (see mamar.negotiation.terms.term_keys)
    status: FulfilmentStatus
    done: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    of: int | None = Field(default=None, ge=0, le=MAX_COUNT)  # default: the term's own count
    evidence: tuple[Evidence, ...] = ()
    note: Prose | None = None


class ChangePhase(Command):
    """A phase starts or is completed. Starting before its condition holds is recorded,
    and says so (people decide; the record keeps what was true)."""

    command_name: ClassVar[str] = "agreement.change_phase"
    kind: ClassVar[str] = "agreement"

    phase: int = Field(ge=1, le=MAX_PHASE)
    status: PhaseStatus
    note: Prose | None = None


class AssignConvoys(Command):
    """The convoys that carry out a phase (the whole list, as now known)."""

    command_name: ClassVar[str] = "agreement.assign_convoys"
    kind: ClassVar[str] = "agreement"

    phase: int = Field(ge=1, le=MAX_PHASE)
    convoys: tuple[Annotated[EntityId, RefersTo("convoy")], ...] = Field(max_length=500)


class ChangeAgreementStatus(Command):
    command_name: ClassVar[str] = "agreement.change_status"
    kind: ClassVar[str] = "agreement"

    status: AgreementStatus
    reason: Prose | None = None
    incidents: tuple[Annotated[EntityId, RefersTo("incident")], ...] = ()


def _status_change(
    state: AgreementState,
    wanted: AgreementStatus,
    reason: Prose | None,
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


def _check_roles(
    ctx: Context,
    parties: tuple[str, ...],
    guarantors: tuple[str, ...],
    roles: dict[str, tuple[str, ...]],
) -> None:
    """Each named party exists; a facilitator, broker or observer is not bound by the
    agreement (not a party) and holds one of those roles only."""
    require_each(ctx, "party", guarantors, "guarantors")
    held: dict[str, str] = {}
    for field, ids in roles.items():
        require_each(ctx, "party", ids, field)
        for party in ids:
            if party in parties:
                raise DomainError(
                    "party_in_role",
                    f"'{party}' is a party to the agreement; {field} are not bound by it",
                    field=field,
                )
            if party in held:
                raise DomainError(
                    "two_roles", f"'{party}' is already named among {held[party]}", field=field
                )
            held[party] = field


@decides(DraftAgreement)
def draft(state: None, cmd: DraftAgreement, ctx: Context) -> list[EventData]:
    require_each(ctx, "party", cmd.parties, "parties")
    if cmd.declared_by is not None and cmd.declared_by not in cmd.parties:
        raise DomainError(
            "declarer_not_party",
            "the party declaring it is one of its parties (list it in parties)",
            field="declared_by",
        )
    _check_roles(
        ctx,
        cmd.parties,
        cmd.guarantors,
        {"facilitators": cmd.facilitators, "brokers": cmd.brokers, "observers": cmd.observers},
    )
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
            facilitators=cmd.facilitators,
            brokers=cmd.brokers,
            observers=cmd.observers,
            declared_by=cmd.declared_by,
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
    _check_membership(ctx, state, cmd.joined, cmd.left)
    guarantors, roles = _roles_given(state, cmd)
    parties = (
        *(p for p in state.parties if p not in cmd.left),
        *(p for p in cmd.joined if p not in state.parties),
    )
    _check_roles(ctx, parties, guarantors, roles)
    renamed = (guarantors, *roles.values()) != (
        state.guarantors,
        state.facilitators,
        state.brokers,
        state.observers,
    )
    # The same words (an earlier journal's, whose language is not known, or given again with
    # their language) are the same terms: no new version.
    same_terms = [what_it_says(t) for t in cmd.terms] == [what_it_says(t) for t in state.terms]
    if same_terms and cmd.text == state.text and not (cmd.joined or cmd.left or renamed):
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
            joined=cmd.joined,
            left=cmd.left,
            guarantors=cmd.guarantors,
            facilitators=cmd.facilitators,
            brokers=cmd.brokers,
            observers=cmd.observers,
        ),
    )
    return events


def _check_membership(
    ctx: Context, state: AgreementState, joined: tuple[str, ...], left: tuple[str, ...]
) -> None:
    require_each(ctx, "party", joined, "joined")
    require_each(ctx, "party", left, "left")
    for party in joined:
        if party in state.parties:
            raise DomainError(
                "already_party", f"'{party}' is already a party to it", field="joined"
            )
        if party in (*state.facilitators, *state.brokers, *state.observers):
            raise DomainError(
                "party_in_role",
                f"'{party}' is named as facilitator, broker or observer; name the roles "
                "again without it first (agreement.name_roles)",
                field="joined",
            )
    for party in left:
        if party not in state.parties:
            raise DomainError("not_a_party", f"'{party}' is not a party to it", field="left")
    remaining = len(state.parties) + len(joined) - len(left)
    if remaining < (1 if state.declared_by is not None else 2):
        raise DomainError(
            "too_few_parties", "an agreement keeps at least two parties", field="left"
        )


def _roles_given(
    state: AgreementState, cmd: NameAgreementRoles | AdoptAgreementVersion
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The guarantors and the other roles as they would be: a role not given stays."""

    def given(new: tuple[str, ...] | None, held: tuple[str, ...]) -> tuple[str, ...]:
        return held if new is None else new

    return given(cmd.guarantors, state.guarantors), {
        "facilitators": given(cmd.facilitators, state.facilitators),
        "brokers": given(cmd.brokers, state.brokers),
        "observers": given(cmd.observers, state.observers),
    }


@decides(NameAgreementRoles)
def name_roles(state: AgreementState, cmd: NameAgreementRoles, ctx: Context) -> list[EventData]:
    if state.status is AgreementStatus.TERMINATED:
        raise DomainError("terminated", "the agreement is terminated")
    guarantors, roles = _roles_given(state, cmd)
    _check_roles(ctx, state.parties, guarantors, roles)
    wanted = (guarantors, roles["facilitators"], roles["brokers"], roles["observers"])
    if wanted == (state.guarantors, state.facilitators, state.brokers, state.observers):
        raise DomainError("unchanged", "these are the roles named already", field="guarantors")
    return [AgreementRolesNamed(guarantors=guarantors, **roles, reason=cmd.reason)]


def _term_count(state: AgreementState, key: str) -> int | None:
    for term, held in zip(state.terms, term_keys(state.terms), strict=True):
        if held == key:
            return getattr(term, "count", None)
    return None


@decides(RecordFulfilment)
def record_fulfilment(
    state: AgreementState, cmd: RecordFulfilment, ctx: Context
) -> list[EventData]:
    if state.status is AgreementStatus.DRAFT:
        raise DomainError("not_concluded", "a draft is not carried out yet", field="term")
    keys = term_keys(state.terms)
    if cmd.term not in keys:
        raise DomainError(
            "unknown_term",
            f"version {state.current_version} has no term '{cmd.term}' (terms: {', '.join(keys)})",
            field="term",
        )
    of = cmd.of if cmd.of is not None else _term_count(state, cmd.term)
    if cmd.done is not None and of is not None and cmd.done > of:
        raise DomainError(
            "more_than_agreed", f"{cmd.done} is more than the {of} agreed", field="done"
        )
    if cmd.status is FulfilmentStatus.PARTIAL and cmd.done is None:
        raise DomainError("done_missing", "say how many, for a partial fulfilment", field="done")
    if cmd.status is FulfilmentStatus.FULFILLED and None not in (cmd.done, of) and cmd.done != of:
        raise DomainError(
            "not_whole", f"{cmd.done} of {of} is a partial fulfilment", field="status"
        )
    require_refs(ctx, cmd.evidence, "evidence")
    return [
        TermFulfilmentRecorded(
            term=cmd.term,
            status=cmd.status,
            done=cmd.done,
            of=of,
            evidence=cmd.evidence,
            note=cmd.note,
        )
    ]


def _convoy_status(ctx: Context) -> Callable[[str], str | None]:
    def status(convoy: str) -> str | None:
        found = ctx.lookup.get("convoy", convoy)
        value = getattr(found, "status", None)
        return None if value is None else str(value)

    return status


@decides(ChangePhase)
def change_phase(state: AgreementState, cmd: ChangePhase, ctx: Context) -> list[EventData]:
    phase = phase_term(state, cmd.phase)
    if phase is None:
        known = ", ".join(str(n) for n in state.phase_numbers()) or "none"
        raise DomainError(
            "unknown_phase",
            f"version {state.current_version} has no phase {cmd.phase} (phases: {known})",
            field="phase",
        )
    held = state.phase_status(cmd.phase)
    if held is cmd.status or held is PhaseStatus.COMPLETED:
        raise DomainError(
            "phase_already", f"phase {cmd.phase} is already {held.value}", field="status"
        )
    if cmd.status is PhaseStatus.COMPLETED and held is None:
        raise DomainError("phase_not_started", f"phase {cmd.phase} has not started", field="status")
    met = None
    if cmd.status is PhaseStatus.STARTED and phase.condition is not None:
        met = condition_holds(phase.condition, state, _convoy_status(ctx))
    return [
        AgreementPhaseChanged(phase=cmd.phase, status=cmd.status, condition_met=met, note=cmd.note)
    ]


@decides(AssignConvoys)
def assign_convoys(state: AgreementState, cmd: AssignConvoys, ctx: Context) -> list[EventData]:
    if phase_term(state, cmd.phase) is None:
        raise DomainError("unknown_phase", f"there is no phase {cmd.phase}", field="phase")
    require_each(ctx, "convoy", cmd.convoys, "convoys")
    if cmd.convoys == state.phase_convoys.get(str(cmd.phase), ()):
        raise DomainError("unchanged", "these convoys are assigned already", field="convoys")
    return [AgreementConvoysAssigned(phase=cmd.phase, convoys=cmd.convoys)]


@decides(ChangeAgreementStatus)
def change_status(
    state: AgreementState, cmd: ChangeAgreementStatus, ctx: Context
) -> list[EventData]:
    return [_status_change(state, cmd.status, cmd.reason, cmd.incidents, ctx)]
