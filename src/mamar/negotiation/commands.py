"""Commands on issues, proposals and positions, and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, LocalText, Prose
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData
from mamar.mandates.events import MandateStatus
from mamar.mandates.model import MandateState
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
from mamar.negotiation.terms import Terms, check_terms, what_it_says

# --- issues -------------------------------------------------------------------------------


class RaiseIssue(CreateCommand):
    command_name: ClassVar[str] = "issue.raise"
    kind: ClassVar[str] = "issue"

    title: LocalName
    description: Prose | None = None


class CloseIssue(Command):
    command_name: ClassVar[str] = "issue.close"
    kind: ClassVar[str] = "issue"

    reason: Prose | None = None


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

    from_party: Annotated[EntityId, RefersTo("party")]
    to_party: Annotated[EntityId, RefersTo("party")]
    via_parties: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()
    via_persons: tuple[Annotated[EntityId, RefersTo("person")], ...] = ()
    issues: tuple[Annotated[EntityId, RefersTo("issue")], ...] = ()
    terms: Terms = ()
    text: LocalText | None = None
    counter_to: Annotated[EntityId, RefersTo("proposal")] | None = None
    mandate: Annotated[EntityId, RefersTo("mandate")] | None = (
        None  # needed to table on behalf of another party
    )


class RespondToProposal(Command):
    """The answer of the party a proposal was addressed to; its liaison may give it."""

    command_name: ClassVar[str] = "proposal.respond"
    kind: ClassVar[str] = "proposal"
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS | {Role.LIAISON}

    outcome: ProposalOutcome
    reasons: Prose | None = None
    counter: Annotated[EntityId, RefersTo("proposal")] | None = None


class WithdrawProposal(Command):
    command_name: ClassVar[str] = "proposal.withdraw"
    kind: ClassVar[str] = "proposal"

    reason: Prose | None = None


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
    _check_mandate(cmd, ctx)
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
            mandate=cmd.mandate,
        )
    ]


def _check_mandate(cmd: TableProposal, ctx: Context) -> None:
    """An account that speaks for a party tables proposals of its own party, records those
    addressed to it, and tables on behalf of another party only under a mandate that party
    gave to its own party (or to one of its people), in force and covering the issues."""
    speaks_for = ctx.actor.party
    if cmd.mandate is None:
        if speaks_for is None or speaks_for in (cmd.from_party, cmd.to_party):
            return
        raise DomainError(
            "no_mandate",
            f"this account speaks for '{speaks_for}'; to table a proposal on behalf of "
            f"'{cmd.from_party}', name the mandate '{cmd.from_party}' gave it",
            field="mandate",
        )
    mandate = ctx.require("mandate", cmd.mandate, "mandate")
    assert isinstance(mandate, MandateState)
    if mandate.status is not MandateStatus.ACTIVE:
        raise DomainError(
            "mandate_ended", f"the mandate is {mandate.status.value}", field="mandate"
        )
    if cmd.from_party not in mandate.granted_by:
        raise DomainError(
            "mandate_not_from_party",
            f"the mandate was not given by '{cmd.from_party}'",
            field="mandate",
        )
    holder = mandate.to.id
    if mandate.to.kind.value == "person":
        holder = str(getattr(ctx.lookup.get("person", mandate.to.id), "party", None) or "")
    if speaks_for is not None and holder != speaks_for:
        raise DomainError(
            "mandate_not_held",
            f"the mandate is held by another party, not by '{speaks_for}'",
            field="mandate",
        )
    now = ctx.occurred_at
    if (mandate.valid_from is not None and now < mandate.valid_from) or (
        mandate.valid_until is not None and now >= mandate.valid_until
    ):
        raise DomainError(
            "mandate_out_of_term", "the mandate is not in force at that time", field="mandate"
        )
    outside = [i for i in cmd.issues if mandate.issues and i not in mandate.issues]
    if outside:
        raise DomainError(
            "mandate_scope",
            f"the mandate does not cover the issues {', '.join(outside)}",
            field="issues",
        )


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

    party: Annotated[EntityId, RefersTo("party")]
    issue: Annotated[EntityId, RefersTo("issue")]
    stance: Prose | None = None
    terms: Terms = ()  # what the party would accept, as terms (compared across a side)
    bottom_line: Prose | None = None
    red_lines: tuple[Prose, ...] = ()
    ceiling: Prose | None = None
    bottom_line_note: Prose | None = None


class RevisePosition(Command):
    """Change the stance and/or the confidential set; what is not given stays as it was."""

    command_name: ClassVar[str] = "position.revise"
    kind: ClassVar[str] = "position"

    stance: Prose | None = None
    note: Prose | None = None
    terms: Terms | None = None  # () clears them
    bottom_line: Prose | None = None
    red_lines: tuple[Prose, ...] | None = None  # () clears them
    ceiling: Prose | None = None
    bottom_line_note: Prose | None = None


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
    if cmd.stance is None and not cmd.terms and not confidential:
        raise DomainError(
            "empty_position", "give the stance, its terms, or a bottom line, red lines or ceiling"
        )
    ctx.require("party", cmd.party, "party")
    ctx.require("issue", cmd.issue, "issue")
    check_terms(ctx, cmd.terms)
    events: list[EventData] = [
        PositionStated(party=cmd.party, issue=cmd.issue, stance=cmd.stance, terms=cmd.terms)
    ]
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
    if cmd.terms is not None:
        check_terms(ctx, cmd.terms)
    # The same terms in the same words are no revision (words read from an earlier journal,
    # whose language is not known, and the same words given with it, say the same).
    new_terms = cmd.terms is not None and [what_it_says(t) for t in cmd.terms] != [
        what_it_says(t) for t in state.terms
    ]
    if cmd.stance is not None or new_terms:
        if cmd.stance is not None and cmd.stance == state.stance and not new_terms:
            raise DomainError("unchanged", "the stance is already this", field="stance")
        events.append(
            PositionRevised(
                stance=cmd.stance, note=cmd.note, terms=cmd.terms if new_terms else None
            )
        )
    elif cmd.terms is not None:
        raise DomainError("unchanged", "the terms are already these", field="terms")
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
