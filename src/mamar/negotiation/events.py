"""Events of issues, proposals and positions."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.text import LocalName, LocalText, Prose
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData, event_type
from mamar.negotiation.terms import Terms

# --- issues -------------------------------------------------------------------------------


@event_type
class IssueRaised(EventData):
    type_name = "issue.raised"

    title: LocalName
    description: Prose | None = None


@event_type
class IssueClosed(EventData):
    type_name = "issue.closed"

    reason: Prose | None = None


# --- proposals ----------------------------------------------------------------------------


class ProposalStatus(StrEnum):
    TABLED = "tabled"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTERED = "countered"
    WITHDRAWN = "withdrawn"


class ProposalOutcome(StrEnum):
    """How the other side answered a proposal."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTERED = "countered"


@event_type
class ProposalTabled(EventData):
    type_name = "proposal.tabled"

    from_party: str
    to_party: str
    via_parties: tuple[str, ...] = ()
    via_persons: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    terms: Terms = ()
    text: LocalText | None = None
    counter_to: str | None = None
    mandate: str | None = None  # the mandate it was tabled under (added later)


@event_type
class ProposalResponded(EventData):
    type_name = "proposal.responded"

    outcome: ProposalOutcome
    reasons: Prose | None = None
    counter: str | None = None  # the counter-proposal, when countered


@event_type
class ProposalWithdrawn(EventData):
    type_name = "proposal.withdrawn"

    reason: Prose | None = None


# --- positions ----------------------------------------------------------------------------


@event_type
class PositionStated(EventData):
    type_name = "position.stated"

    party: str
    issue: str
    stance: Prose | None = None
    terms: Terms = ()  # what the party would accept, as terms (added later)


@event_type
class PositionRevised(EventData):
    type_name = "position.revised"

    stance: Prose | None = None
    note: Prose | None = None
    terms: Terms | None = None  # None: the terms stay as they were (added later)


@event_type
class PositionBottomLineSet(EventData):
    """A side's bottom line, red lines and ceiling: the whole confidential set, as now held."""

    type_name = "position.bottom_line_set"
    compartment = Visibility.NEGOTIATION

    bottom_line: Prose | None = None
    red_lines: tuple[Prose, ...] = ()
    ceiling: Prose | None = None
    note: Prose | None = None
