"""Agreement state, its status machine and versions, and how events change it."""

from __future__ import annotations

from pydantic import Field

from mamar.agreements.events import (
    AgreementConcluded,
    AgreementConvoysAssigned,
    AgreementDrafted,
    AgreementPhaseChanged,
    AgreementRolesNamed,
    AgreementStatus,
    AgreementStatusChanged,
    AgreementVersionAdopted,
    FulfilmentStatus,
    PhaseStatus,
    TermFulfilmentRecorded,
)
from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalName, LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.negotiation.terms import PhaseTerm, Terms
from mamar.parties.refs import EntityRef

S = AgreementStatus

# Which status may follow which. A draft becomes preliminary or in force only by being
# concluded; "in force" again after "suspended" or "breached" is a restoration.
TRANSITIONS = Transitions(
    "agreement",
    {
        S.DRAFT: frozenset({S.PRELIMINARY, S.IN_FORCE, S.TERMINATED}),
        S.PRELIMINARY: frozenset({S.IN_FORCE, S.SUSPENDED, S.BREACHED, S.TERMINATED}),
        S.IN_FORCE: frozenset({S.SUSPENDED, S.BREACHED, S.TERMINATED}),
        S.SUSPENDED: frozenset({S.IN_FORCE, S.BREACHED, S.TERMINATED}),
        S.BREACHED: frozenset({S.IN_FORCE, S.SUSPENDED, S.TERMINATED}),
        S.TERMINATED: frozenset(),
    },
)


class AgreementVersion(Value):
    version: int
    terms: Terms
    text: LocalText | None = None
    adopted_at: str
    supersedes: int | None = None
    note: Prose | None = None
    parties: tuple[str, ...] = ()  # bound by this version (empty in states from before)
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    # Who guarantees, facilitates, brokers and observes this version (as named while it
    # is the current one; empty in states from before).
    guarantors: tuple[str, ...] = ()
    facilitators: tuple[str, ...] = ()
    brokers: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()


class Fulfilment(Value):
    """One report of how far a term is carried out."""

    term: str
    status: FulfilmentStatus
    at: str
    done: int | None = None
    of: int | None = None
    evidence: tuple[EntityRef, ...] = ()
    note: Prose | None = None


class PhaseEntry(Value):
    phase: int
    status: PhaseStatus
    at: str
    condition_met: bool | None = None
    note: Prose | None = None


class StatusEntry(Value):
    status: AgreementStatus
    at: str
    reason: Prose | None = None
    incidents: tuple[str, ...] = ()
    restored: bool = False  # in force again after suspension or breach


class AgreementState(EntityState):
    title: LocalName
    parties: tuple[str, ...]
    guarantors: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    status: AgreementStatus = S.DRAFT
    terms: Terms = ()  # the current version's (a draft's until concluded)
    text: LocalText | None = None
    versions: tuple[AgreementVersion, ...] = ()
    current_version: int = 0  # 0 while a draft
    concluded_at: str | None = None
    history: tuple[StatusEntry, ...] = ()
    facilitators: tuple[str, ...] = ()
    brokers: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()
    declared_by: str | None = None
    fulfilment: tuple[Fulfilment, ...] = ()  # every report, in order
    phases: tuple[PhaseEntry, ...] = ()  # every start and completion, in order
    # phase number → the convoys carrying it out
    phase_convoys: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    def version(self, number: int) -> AgreementVersion | None:
        for held in self.versions:
            if held.version == number:
                return held
        return None

    def fulfilment_of(self, key: str) -> Fulfilment | None:
        """The latest report on the term with ``key``."""
        latest = None
        for report in self.fulfilment:
            if report.term == key:
                latest = report
        return latest

    def phase_status(self, number: int) -> PhaseStatus | None:
        latest = None
        for entry in self.phases:
            if entry.phase == number:
                latest = entry.status
        return latest

    def phase_numbers(self) -> list[int]:
        return sorted(t.number for t in self.terms if isinstance(t, PhaseTerm))


def _status_entry(
    state: AgreementState,
    status: AgreementStatus,
    meta: EventMeta,
    reason: Prose | None,
    incidents: tuple[str, ...] = (),
) -> StatusEntry:
    return StatusEntry(
        status=status,
        at=meta.occurred_at,
        reason=reason,
        incidents=incidents,
        restored=status is S.IN_FORCE and state.status in (S.SUSPENDED, S.BREACHED),
    )


ROLES = ("guarantors", "facilitators", "brokers", "observers")


def _roles_of(state: AgreementState) -> dict[str, tuple[str, ...]]:
    return {role: getattr(state, role) for role in ROLES}


@aggregate("agreement", AgreementState)
def evolve(state: AgreementState | None, event: EventData, meta: EventMeta) -> AgreementState:
    if isinstance(event, AgreementDrafted):
        return AgreementState(
            **base_fields(meta),
            title=event.title,
            parties=event.parties,
            guarantors=event.guarantors,
            issues=event.issues,
            proposals=event.proposals,
            terms=event.terms,
            text=event.text,
            history=(StatusEntry(status=S.DRAFT, at=meta.occurred_at),),
            facilitators=event.facilitators,
            brokers=event.brokers,
            observers=event.observers,
            declared_by=event.declared_by,
        )
    assert state is not None
    match event:
        case AgreementConcluded():
            status = AgreementStatus(event.status.value)
            first = AgreementVersion(
                version=1,
                terms=event.terms,
                text=event.text,
                adopted_at=meta.occurred_at,
                note=event.note,
                parties=state.parties,
                **_roles_of(state),
            )
            return touched(
                state,
                meta,
                status=status,
                terms=event.terms,
                text=event.text,
                versions=(first,),
                current_version=1,
                concluded_at=meta.occurred_at,
                history=(*state.history, _status_entry(state, status, meta, event.note)),
            )
        case AgreementVersionAdopted():
            parties = (
                *(p for p in state.parties if p not in event.left),
                *(p for p in event.joined if p not in state.parties),
            )
            roles = {
                role: held if (named := getattr(event, role)) is None else named
                for role, held in _roles_of(state).items()
            }
            held = AgreementVersion(
                version=event.version,
                terms=event.terms,
                text=event.text,
                adopted_at=meta.occurred_at,
                supersedes=event.supersedes,
                note=event.note,
                parties=parties,
                joined=event.joined,
                left=event.left,
                **roles,
            )
            return touched(
                state,
                meta,
                **roles,
                parties=parties,
                terms=event.terms,
                text=event.text,
                versions=(*state.versions, held),
                current_version=event.version,
            )
        case AgreementStatusChanged():
            entry = _status_entry(state, event.status, meta, event.reason, event.incidents)
            return touched(state, meta, status=event.status, history=(*state.history, entry))
        case AgreementRolesNamed():
            named = {
                "guarantors": event.guarantors,
                "facilitators": event.facilitators,
                "brokers": event.brokers,
                "observers": event.observers,
            }
            # Named while a version is current: they are that version's roles.
            versions = tuple(
                held.model_copy(update=named) if held.version == state.current_version else held
                for held in state.versions
            )
            return touched(state, meta, **named, versions=versions)
        case TermFulfilmentRecorded():
            report = Fulfilment(
                term=event.term,
                status=event.status,
                at=meta.occurred_at,
                done=event.done,
                of=event.of,
                evidence=event.evidence,
                note=event.note,
            )
            return touched(state, meta, fulfilment=(*state.fulfilment, report))
        case AgreementPhaseChanged():
            step = PhaseEntry(
                phase=event.phase,
                status=event.status,
                at=meta.occurred_at,
                condition_met=event.condition_met,
                note=event.note,
            )
            return touched(state, meta, phases=(*state.phases, step))
        case AgreementConvoysAssigned():
            assigned = {**state.phase_convoys, str(event.phase): event.convoys}
            return touched(state, meta, phase_convoys=assigned)
    return state
