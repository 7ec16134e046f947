"""Issue, proposal and position states, the proposal status machine, and how events change them."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import Field
from pydantic.config import JsonDict

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalName, LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.negotiation.events import (
    IssueClosed,
    IssueRaised,
    PositionBottomLineSet,
    PositionRevised,
    PositionStated,
    ProposalOutcome,
    ProposalResponded,
    ProposalStatus,
    ProposalTabled,
    ProposalWithdrawn,
)
from mamar.negotiation.terms import Terms

# --- issues -------------------------------------------------------------------------------


class IssueStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class IssueState(EntityState):
    title: LocalName
    description: Prose | None = None
    status: IssueStatus = IssueStatus.OPEN
    closed_at: str | None = None
    closed_reason: Prose | None = None


@aggregate("issue", IssueState)
def evolve_issue(state: IssueState | None, event: EventData, meta: EventMeta) -> IssueState:
    if isinstance(event, IssueRaised):
        return IssueState(**base_fields(meta), title=event.title, description=event.description)
    assert state is not None
    if isinstance(event, IssueClosed):
        return touched(
            state,
            meta,
            status=IssueStatus.CLOSED,
            closed_at=meta.occurred_at,
            closed_reason=event.reason,
        )
    return state


# --- proposals ----------------------------------------------------------------------------

P = ProposalStatus

# A proposal is answered or withdrawn once; every answer is final.
PROPOSAL_TRANSITIONS = Transitions(
    "proposal",
    {
        P.TABLED: frozenset({P.ACCEPTED, P.REJECTED, P.COUNTERED, P.WITHDRAWN}),
        P.ACCEPTED: frozenset(),
        P.REJECTED: frozenset(),
        P.COUNTERED: frozenset(),
        P.WITHDRAWN: frozenset(),
    },
)


class ProposalState(EntityState):
    from_party: str
    to_party: str
    via_parties: tuple[str, ...] = ()
    via_persons: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    terms: Terms = ()
    text: LocalText | None = None
    counter_to: str | None = None
    mandate: str | None = None
    status: ProposalStatus = P.TABLED
    tabled_at: str = ""
    responded_at: str | None = None
    reasons: Prose | None = None
    countered_by: str | None = None
    withdrawn_at: str | None = None


def response_time(state: ProposalState) -> timedelta | None:
    """How long the other side took to answer (S13: "hours later"), if it has."""
    if state.responded_at is None:
        return None
    return datetime.fromisoformat(state.responded_at) - datetime.fromisoformat(state.tabled_at)


@aggregate("proposal", ProposalState)
def evolve_proposal(
    state: ProposalState | None, event: EventData, meta: EventMeta
) -> ProposalState:
    if isinstance(event, ProposalTabled):
        return ProposalState(
            **base_fields(meta),
            from_party=event.from_party,
            to_party=event.to_party,
            via_parties=event.via_parties,
            via_persons=event.via_persons,
            issues=event.issues,
            terms=event.terms,
            text=event.text,
            counter_to=event.counter_to,
            mandate=event.mandate,
            tabled_at=meta.occurred_at,
        )
    assert state is not None
    match event:
        case ProposalResponded():
            return touched(
                state,
                meta,
                status=ProposalStatus(event.outcome.value),
                responded_at=meta.occurred_at,
                reasons=event.reasons,
                countered_by=event.counter if event.outcome is ProposalOutcome.COUNTERED else None,
            )
        case ProposalWithdrawn():
            return touched(
                state,
                meta,
                status=P.WITHDRAWN,
                withdrawn_at=meta.occurred_at,
                reasons=event.reason,
            )
    return state


# --- positions ----------------------------------------------------------------------------

# Removed by mamar.access.Viewer.redact for viewers without the negotiation compartment.
_NEGOTIATION: JsonDict = {"compartment": "negotiation"}


class PositionRevision(Value):
    """The stance as stated or revised at one moment."""

    revision: int
    at: str
    stance: Prose | None = None
    note: Prose | None = None


class BottomLineRevision(Value):
    """The confidential set as held from one moment."""

    at: str
    bottom_line: Prose | None = None
    red_lines: tuple[Prose, ...] = ()
    ceiling: Prose | None = None
    note: Prose | None = None


class PositionState(EntityState):
    party: str
    issue: str
    stance: Prose | None = None
    terms: Terms = ()  # what the party would accept, as terms
    revisions: tuple[PositionRevision, ...] = ()
    bottom_line: Prose | None = Field(default=None, json_schema_extra=_NEGOTIATION)
    red_lines: tuple[Prose, ...] = Field(default=(), json_schema_extra=_NEGOTIATION)
    ceiling: Prose | None = Field(default=None, json_schema_extra=_NEGOTIATION)
    bottom_line_history: tuple[BottomLineRevision, ...] = Field(
        default=(), json_schema_extra=_NEGOTIATION
    )


@aggregate("position", PositionState)
def evolve_position(
    state: PositionState | None, event: EventData, meta: EventMeta
) -> PositionState:
    if isinstance(event, PositionStated):
        first = PositionRevision(revision=1, at=meta.occurred_at, stance=event.stance)
        return PositionState(
            **base_fields(meta),
            party=event.party,
            issue=event.issue,
            stance=event.stance,
            terms=event.terms,
            revisions=(first,),
        )
    assert state is not None
    match event:
        case PositionRevised():
            entry = PositionRevision(
                revision=len(state.revisions) + 1,
                at=meta.occurred_at,
                stance=event.stance,
                note=event.note,
            )
            stance = event.stance if event.stance is not None else state.stance
            terms = event.terms if event.terms is not None else state.terms
            return touched(
                state, meta, stance=stance, terms=terms, revisions=(*state.revisions, entry)
            )
        case PositionBottomLineSet():
            held = BottomLineRevision(
                at=meta.occurred_at,
                bottom_line=event.bottom_line,
                red_lines=event.red_lines,
                ceiling=event.ceiling,
                note=event.note,
            )
            return touched(
                state,
                meta,
                bottom_line=event.bottom_line,
                red_lines=event.red_lines,
                ceiling=event.ceiling,
                bottom_line_history=(*state.bottom_line_history, held),
            )
    return state
