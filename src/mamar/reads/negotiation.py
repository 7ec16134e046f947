"""The negotiation as the viewer may see it: its state (open issues, last proposal,
agreements and their versions, phases and what they wait for), each side's combined
position, the proposals each agreement term came from, and how to reach someone.

Every function reads through :func:`~mamar.reads.states.visible_states` with the caller:
what the viewer may not see takes no part (a channel it cannot see is not on a path).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from mamar.access.viewer import viewer_of
from mamar.agreements.conditions import condition_holds, convoys_of
from mamar.agreements.model import AgreementState
from mamar.channels.model import ChannelState
from mamar.channels.reach import reach
from mamar.contacts.model import ContactState
from mamar.convoys.links import waiting
from mamar.convoys.model import ConvoyState
from mamar.negotiation.combined import combine
from mamar.negotiation.model import IssueState, IssueStatus, PositionState, ProposalState
from mamar.negotiation.terms import PhaseTerm, term_keys
from mamar.parties.model import SideState
from mamar.parties.refs import PartyOrPerson
from mamar.reads.states import Caller, visible_states


def _of(
    conn: Connection, viewer: Caller, operation: str, kind: str, at_utc: str | None = None
) -> list[Any]:
    return visible_states(conn, viewer=viewer, operation=operation, kinds=[kind], at_utc=at_utc)


def phases(agreement: AgreementState, convoys: dict[str, ConvoyState]) -> list[dict[str, Any]]:
    """Each phase of the current version: its status, its condition and whether it holds
    now, and the convoys it waits for (those the viewer may see)."""

    def status_of(convoy: str) -> str | None:
        found = convoys.get(convoy)
        return None if found is None else found.status.value

    out = []
    for term in agreement.terms:
        if not isinstance(term, PhaseTerm):
            continue
        held = agreement.phase_status(term.number)
        condition = term.condition
        out.append(
            {
                "number": term.number,
                "description": term.description.model_dump(mode="json")
                if term.description
                else None,
                "status": held.value if held is not None else "not_started",
                "condition": condition.model_dump(mode="json") if condition else None,
                "holds": condition_holds(condition, agreement, status_of) if condition else None,
                "waiting_for": [
                    {"convoy": c, "status": status_of(c)}
                    for c in (convoys_of(condition, agreement) if condition else ())
                    if c in convoys
                ],
                "convoys": [
                    c for c in agreement.phase_convoys.get(str(term.number), ()) if c in convoys
                ],
            }
        )
    return sorted(out, key=lambda p: p["number"])


def fulfilment(agreement: AgreementState) -> list[dict[str, Any]]:
    """Per term of the current version: the latest report on it (if any) and how many
    reports there were; terms with conditions say whether they hold."""
    rows = []
    for key, term in zip(term_keys(agreement.terms), agreement.terms, strict=True):
        if isinstance(term, PhaseTerm):
            continue
        latest = agreement.fulfilment_of(key)
        rows.append(
            {
                "key": key,
                "term": term.model_dump(mode="json"),
                "latest": latest.model_dump(mode="json") if latest else None,
                "reports": sum(1 for r in agreement.fulfilment if r.term == key),
            }
        )
    return rows


def agreement_detail(
    conn: Connection, *, viewer: Caller, agreement: AgreementState
) -> dict[str, Any]:
    """An agreement the viewer has read: its phases and each term's fulfilment."""
    seer = viewer_of(viewer)
    convoys = {c.id: c for c in _of(conn, seer, str(agreement.operation), "convoy")}
    return {"phases": phases(agreement, convoys), "fulfilment": fulfilment(agreement)}


def negotiation_state(
    conn: Connection, *, viewer: Caller, operation: str, at_utc: str | None = None
) -> dict[str, Any]:
    """Open issues, the last proposal, agreements with their versions and phases (as of
    ``at_utc``, default now)."""
    seer = viewer_of(viewer)
    issues: list[IssueState] = _of(conn, seer, operation, "issue", at_utc)
    proposals: list[ProposalState] = sorted(
        _of(conn, seer, operation, "proposal", at_utc), key=lambda p: p.tabled_at
    )
    agreements: list[AgreementState] = _of(conn, seer, operation, "agreement", at_utc)
    convoys = {c.id: c for c in _of(conn, seer, operation, "convoy", at_utc)}
    last = proposals[-1] if proposals else None
    return {
        "open_issues": [
            {"id": i.id, "title": i.title.model_dump(mode="json")}
            for i in issues
            if i.status is IssueStatus.OPEN
        ],
        "closed_issues": sum(1 for i in issues if i.status is IssueStatus.CLOSED),
        "proposals": len(proposals),
        "awaiting_answer": sum(1 for p in proposals if p.status.value == "tabled"),
        "last_proposal": None
        if last is None
        else {
            "id": last.id,
            "from_party": last.from_party,
            "to_party": last.to_party,
            "status": last.status.value,
            "tabled_at": last.tabled_at,
        },
        "agreements": [
            {
                "id": a.id,
                "title": a.title.model_dump(mode="json"),
                "status": a.status.value,
                "current_version": a.current_version,
                "versions": [
                    {
                        "version": v.version,
                        "adopted_at": v.adopted_at,
                        "joined": list(v.joined),
                        "left": list(v.left),
                    }
                    for v in a.versions
                ],
                "phases": phases(a, convoys),
            }
            for a in agreements
        ],
    }


def convoys_waiting(
    conn: Connection, *, viewer: Caller, operation: str, at_utc: str | None = None
) -> list[dict[str, Any]]:
    """Each convoy that waits for another, with what it waits for and whether that is done
    (see :func:`mamar.convoys.links.waiting`); only convoys the viewer may see."""
    seer = viewer_of(viewer)
    convoys = [c.model_dump(mode="json") for c in _of(conn, seer, operation, "convoy", at_utc)]
    names = {c["id"]: c for c in convoys}
    return [
        {"convoy": convoy, "name": names[convoy]["name"], "waits": waits}
        for convoy, waits in waiting(convoys).items()
    ]


def combined_positions(conn: Connection, *, viewer: Caller, operation: str) -> list[dict[str, Any]]:
    """For each side and each issue on which at least one member has a position: the
    side's combined position (:func:`~mamar.negotiation.combined.combine`)."""
    seer = viewer_of(viewer)
    positions: list[PositionState] = _of(conn, seer, operation, "position")
    sides: list[SideState] = _of(conn, seer, operation, "side")
    members_of = {s.id: list(s.members) for s in sides}
    for party in _of(conn, seer, operation, "party"):
        if party.side in members_of and party.id not in members_of[party.side]:
            members_of[party.side].append(party.id)
    out = []
    for side in sides:
        members = members_of[side.id]
        for issue in sorted({p.issue for p in positions if p.party in members}):
            held = combine(issue, members, positions)
            out.append({"side": side.id, **held.model_dump(mode="json")})
    return out


def proposal_outcomes(conn: Connection, *, viewer: Caller, operation: str) -> dict[str, list[Any]]:
    """Proposal id → the agreement terms it became: (agreement, version, term key)."""
    seer = viewer_of(viewer)
    out: dict[str, list[Any]] = {}
    for agreement in _of(conn, seer, operation, "agreement"):
        assert isinstance(agreement, AgreementState)
        terms = agreement.terms
        version = agreement.current_version
        for key, term in zip(term_keys(terms), terms, strict=True):
            if term.proposal is not None:
                out.setdefault(term.proposal, []).append(
                    {"agreement": agreement.id, "version": version, "term": key}
                )
    return out


def reach_path(
    conn: Connection,
    *,
    viewer: Caller,
    operation: str,
    start: PartyOrPerson,
    goal: PartyOrPerson,
) -> list[dict[str, Any]] | None:
    """The channels from ``start`` to ``goal`` the viewer may see, each with the last time
    it worked (see :func:`mamar.channels.reach.reach`); None when there is no way."""
    seer = viewer_of(viewer)
    channels: list[ChannelState] = _of(conn, seer, operation, "channel")
    held: dict[str, list[str]] = {}
    for contact in _of(conn, seer, operation, "contact"):
        assert isinstance(contact, ContactState)
        if contact.channel and contact.held_at:
            held.setdefault(contact.channel, []).append(contact.held_at)
    path = reach(channels, start, goal, held)
    return None if path is None else [hop.model_dump(mode="json") for hop in path]
