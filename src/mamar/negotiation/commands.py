"""Commands on issues, proposals and positions, and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import EntityId
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import FreeText, LocalName, LocalText
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData
from mamar.negotiation.checks import NEGOTIATORS, require_each
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
from mamar.negotiation.model import (
    PROPOSAL_TRANSITIONS,
    IssueState,
    IssueStatus,
    PositionState,
    ProposalState,
)
from mamar.negotiation.terms import Terms, check_terms

# --- issues -------------------------------------------------------------------------------


class RaiseIssue(CreateCommand):
    command_name: ClassVar[str] = "issue.raise"
    kind: ClassVar[str] = "issue"

    title: LocalName
    description: FreeText | None = None


class CloseIssue(Command):
    command_name: ClassVar[str] = "issue.close"
    kind: ClassVar[str] = "issue"

    reason: FreeText | None = None


@decides(RaiseIssue)
def raise_issue(state: None, cmd: RaiseIssue, ctx: Context) -> list[EventData]:
    return [IssueRaised(title=cmd.title, description=cmd.description)]


@decides(CloseIssue)
def close_issue(state: IssueState, cmd: CloseIssue, ctx: Context) -> list[EventData]:
    if state.status is IssueStatus.CLOSED:
        raise DomainError("already_closed", "the issue is already closed")
    return [IssueClosed(reason=cmd.reason)]


# --- proposals ----------------------------------------------------------------------------


class TableProposal(CreateCommand):
    command_name: ClassVar[str] = "proposal.table"
    kind: ClassVar[str] = "proposal"

    from_party: EntityId
    to_party: EntityId
    via_parties: tuple[EntityId, ...] = ()
    via_persons: tuple[EntityId, ...] = ()
    issues: tuple[EntityId, ...] = ()
    terms: Terms = ()
    text: LocalText | None = None
    counter_to: EntityId | None = None


class RespondToProposal(Command):
    """The answer of the party a proposal was addressed to; its liaison may give it."""

    command_name: ClassVar[str] = "proposal.respond"
    kind: ClassVar[str] = "proposal"
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS | {Role.LIAISON}

    outcome: ProposalOutcome
    reasons: FreeText | None = None
    counter: EntityId | None = None


class WithdrawProposal(Command):
    command_name: ClassVar[str] = "proposal.withdraw"
    kind: ClassVar[str] = "proposal"

    reason: FreeText | None = None


@decides(TableProposal)
def table(state: None, cmd: TableProposal, ctx: Context) -> list[EventData]:
    if cmd.from_party == cmd.to_party:
        raise DomainError(
            "same_party", "a proposal goes from one party to another", field="to_party"
        )
    if not cmd.terms and cmd.text is None:
        raise DomainError("empty_proposal", "give the proposal's terms or its text", field="terms")
    ctx.require("party", cmd.from_party, "from_party")
    ctx.require("party", cmd.to_party, "to_party")
    require_each(ctx, "party", cmd.via_parties, "via_parties")
    require_each(ctx, "person", cmd.via_persons, "via_persons")
    require_each(ctx, "issue", cmd.issues, "issues")
    check_terms(ctx, cmd.terms)
    if cmd.counter_to is not None:
        if cmd.counter_to == cmd.id:
            raise DomainError(
                "self_counter", "a proposal cannot counter itself", field="counter_to"
            )
        original = ctx.require("proposal", cmd.counter_to, "counter_to")
        assert isinstance(original, ProposalState)
        if original.status is not ProposalStatus.TABLED:
            raise DomainError(
                "not_open",
                f"proposal '{cmd.counter_to}' is already {original.status.value}; "
                "only a tabled proposal can be countered",
                field="counter_to",
            )
    return [
        ProposalTabled(
            from_party=cmd.from_party,
            to_party=cmd.to_party,
            via_parties=cmd.via_parties,
            via_persons=cmd.via_persons,
            issues=cmd.issues,
            terms=cmd.terms,
            text=cmd.text,
            counter_to=cmd.counter_to,
        )
    ]


@decides(RespondToProposal)
def respond(state: ProposalState, cmd: RespondToProposal, ctx: Context) -> list[EventData]:
    if ctx.actor.role is Role.LIAISON and ctx.actor.party != state.to_party:
        raise NotPermitted("a liaison may answer only proposals addressed to their own party")
    PROPOSAL_TRANSITIONS.require(state.status, ProposalStatus(cmd.outcome.value))
    if cmd.outcome is ProposalOutcome.COUNTERED:
        if cmd.counter is None:
            raise DomainError(
                "counter_missing",
                "name the counter-proposal (table it first, with counter_to set to this one)",
                field="counter",
            )
        counter = ctx.require("proposal", cmd.counter, "counter")
        assert isinstance(counter, ProposalState)
        if counter.counter_to != state.id:
            raise DomainError(
                "not_a_counter",
                f"proposal '{cmd.counter}' does not answer this proposal (its counter_to is "
                f"'{counter.counter_to or 'not set'}')",
                field="counter",
            )
    elif cmd.counter is not None:
        raise DomainError(
            "counter_unexpected",
            "a counter-proposal goes with the outcome 'countered'",
            field="counter",
        )
    return [ProposalResponded(outcome=cmd.outcome, reasons=cmd.reasons, counter=cmd.counter)]


@decides(WithdrawProposal)
def withdraw(state: ProposalState, cmd: WithdrawProposal, ctx: Context) -> list[EventData]:
    PROPOSAL_TRANSITIONS.require(state.status, ProposalStatus.WITHDRAWN)
    return [ProposalWithdrawn(reason=cmd.reason)]


# --- positions ----------------------------------------------------------------------------


class StatePosition(CreateCommand):
    """A party's stance on an issue; the bottom line, red lines and ceiling are confidential."""

    command_name: ClassVar[str] = "position.state"
    kind: ClassVar[str] = "position"

    party: EntityId
    issue: EntityId
    stance: FreeText | None = None
    bottom_line: FreeText | None = None
    red_lines: tuple[FreeText, ...] = ()
    ceiling: FreeText | None = None
    bottom_line_note: FreeText | None = None


class RevisePosition(Command):
    """Change the stance and/or the confidential set; what is not given stays as it was."""

    command_name: ClassVar[str] = "position.revise"
    kind: ClassVar[str] = "position"

    stance: FreeText | None = None
    note: FreeText | None = None
    bottom_line: FreeText | None = None
    red_lines: tuple[FreeText, ...] | None = None  # () clears them
    ceiling: FreeText | None = None
    bottom_line_note: FreeText | None = None


def _may_set_bottom_line(ctx: Context) -> None:
    if ctx.actor.role not in NEGOTIATORS:
        raise NotPermitted(
            "only negotiators, coordinators and administrators may set bottom lines, "
            "red lines or a ceiling"
        )


@decides(StatePosition)
def state_position(state: None, cmd: StatePosition, ctx: Context) -> list[EventData]:
    confidential = cmd.bottom_line is not None or bool(cmd.red_lines) or cmd.ceiling is not None
    if confidential:
        _may_set_bottom_line(ctx)
    if cmd.stance is None and not confidential:
        raise DomainError(
            "empty_position", "give the stance, or a bottom line, red lines or ceiling"
        )
    ctx.require("party", cmd.party, "party")
    ctx.require("issue", cmd.issue, "issue")
    events: list[EventData] = [PositionStated(party=cmd.party, issue=cmd.issue, stance=cmd.stance)]
    if confidential:
        events.append(
            PositionBottomLineSet(
                bottom_line=cmd.bottom_line,
                red_lines=cmd.red_lines,
                ceiling=cmd.ceiling,
                note=cmd.bottom_line_note,
            )
        )
    return events


@decides(RevisePosition)
def revise_position(state: PositionState, cmd: RevisePosition, ctx: Context) -> list[EventData]:
    confidential = (
        cmd.bottom_line is not None or cmd.red_lines is not None or cmd.ceiling is not None
    )
    if confidential:
        _may_set_bottom_line(ctx)
    events: list[EventData] = []
    if cmd.stance is not None:
        if cmd.stance == state.stance:
            raise DomainError("unchanged", "the stance is already this", field="stance")
        events.append(PositionRevised(stance=cmd.stance, note=cmd.note))
    elif cmd.note is not None:
        raise DomainError(
            "stance_missing", "a revision note goes with a new stance", field="stance"
        )
    if cmd.bottom_line_note is not None and not confidential:
        raise DomainError(
            "bottom_line_missing",
            "a bottom-line note goes with a new bottom line, red lines or ceiling",
            field="bottom_line",
        )
    if confidential:
        held = PositionBottomLineSet(
            bottom_line=cmd.bottom_line if cmd.bottom_line is not None else state.bottom_line,
            red_lines=cmd.red_lines if cmd.red_lines is not None else state.red_lines,
            ceiling=cmd.ceiling if cmd.ceiling is not None else state.ceiling,
            note=cmd.bottom_line_note,
        )
        if (held.bottom_line, held.red_lines, held.ceiling) == (
            state.bottom_line,
            state.red_lines,
            state.ceiling,
        ):
            raise DomainError(
                "unchanged", "the bottom line, red lines and ceiling are already these"
            )
        events.append(held)
    if not events:
        raise DomainError(
            "nothing_to_revise", "give a new stance, bottom line, red lines or ceiling"
        )
    return events
