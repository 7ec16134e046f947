"""Route state: its versions, and approvals and rejections that hold for one version only."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalName, Prose
from mamar.journal.registry import EventData
from mamar.routes.events import (
    RouteApproved,
    RouteProposed,
    RouteRejected,
    RouteRevised,
    Waypoint,
)


class RouteStatus(StrEnum):
    """Where the current version stands (earlier versions' decisions do not count)."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class RouteVersion(Value):
    version: int
    waypoints: tuple[Waypoint, ...]
    proposed_by: str | None = None
    note: Prose | None = None
    at: str


class Approval(Value):
    version: int
    party: str
    at: str
    note: Prose | None = None


class Rejection(Value):
    version: int
    party: str
    reasons: tuple[Prose, ...]
    at: str


class Standing(Value):
    """A party's latest decision on the current version."""

    party: str
    decision: RouteStatus


class RouteState(EntityState):
    name: LocalName
    proposed_by: str | None = None
    versions: tuple[RouteVersion, ...]
    current_version: int = 1
    approvals: tuple[Approval, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    status: RouteStatus = RouteStatus.PROPOSED
    # Decisions on the current version only: a revision empties it (approvals are voided).
    standing: tuple[Standing, ...] = ()

    def current(self) -> RouteVersion:
        return self.versions[self.current_version - 1]

    def decisions_for_current(self) -> dict[str, RouteStatus]:
        """Each party's latest decision on the current version."""
        return {s.party: s.decision for s in self.standing}

    def approved_parties_for_current(self) -> tuple[str, ...]:
        return tuple(sorted(s.party for s in self.standing if s.decision is RouteStatus.APPROVED))

    def rejecting_parties_for_current(self) -> tuple[str, ...]:
        return tuple(sorted(s.party for s in self.standing if s.decision is RouteStatus.REJECTED))


def _decide(state: RouteState, party: str, decision: RouteStatus) -> tuple[Standing, ...]:
    others = tuple(s for s in state.standing if s.party != party)
    return (*others, Standing(party=party, decision=decision))


def _status(state: RouteState) -> RouteStatus:
    """One party's standing rejection outweighs others' approvals: the route is not agreed."""
    decisions = {s.decision for s in state.standing}
    if RouteStatus.REJECTED in decisions:
        return RouteStatus.REJECTED
    if RouteStatus.APPROVED in decisions:
        return RouteStatus.APPROVED
    return RouteStatus.PROPOSED


def _with_status(state: RouteState) -> RouteState:
    return state.model_copy(update={"status": _status(state)})


@aggregate("route", RouteState)
def evolve(state: RouteState | None, event: EventData, meta: EventMeta) -> RouteState:
    if isinstance(event, RouteProposed):
        first = RouteVersion(
            version=1,
            waypoints=event.waypoints,
            proposed_by=event.proposed_by,
            note=event.note,
            at=meta.occurred_at,
        )
        return RouteState(
            **base_fields(meta), name=event.name, proposed_by=event.proposed_by, versions=(first,)
        )
    assert state is not None
    match event:
        case RouteRevised():
            version = RouteVersion(
                version=event.version,
                waypoints=event.waypoints,
                proposed_by=event.proposed_by,
                note=event.note,
                at=meta.occurred_at,
            )
            state = touched(
                state,
                meta,
                versions=(*state.versions, version),
                current_version=event.version,
                standing=(),
            )
        case RouteApproved():
            approval = Approval(
                version=event.version, party=event.party, at=meta.occurred_at, note=event.note
            )
            state = touched(
                state,
                meta,
                approvals=(*state.approvals, approval),
                standing=_decide(state, event.party, RouteStatus.APPROVED),
            )
        case RouteRejected():
            rejection = Rejection(
                version=event.version,
                party=event.party,
                reasons=event.reasons,
                at=meta.occurred_at,
            )
            state = touched(
                state,
                meta,
                rejections=(*state.rejections, rejection),
                standing=_decide(state, event.party, RouteStatus.REJECTED),
            )
    return _with_status(state)
