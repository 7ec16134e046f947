"""Commands on routes and the decisions that accept or refuse them."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, Prose
from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData
from mamar.routes.events import RouteApproved, RouteProposed, RouteRejected, RouteRevised, Waypoint
from mamar.routes.model import RouteState, RouteStatus

# A party's liaison officer may propose, revise, approve or reject for that party.
_WITH_LIAISON = FIELD_TEAMS | {Role.LIAISON}


class ProposeRoute(CreateCommand):
    command_name: ClassVar[str] = "route.propose"
    kind: ClassVar[str] = "route"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    name: LocalName
    proposed_by: Annotated[Reference, RefersTo("party")] | None = None
    waypoints: tuple[Waypoint, ...]
    note: Prose | None = None


class ReviseRoute(Command):
    """A new version of the route: approvals of earlier versions stop counting."""

    command_name: ClassVar[str] = "route.revise"
    kind: ClassVar[str] = "route"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON

    proposed_by: Annotated[Reference, RefersTo("party")] | None = None
    waypoints: tuple[Waypoint, ...]
    note: Prose | None = None


class ApproveRoute(Command):
    command_name: ClassVar[str] = "route.approve"
    kind: ClassVar[str] = "route"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON

    version: int
    party: Annotated[Reference, RefersTo("party")]
    note: Prose | None = None


class RejectRoute(Command):
    command_name: ClassVar[str] = "route.reject"
    kind: ClassVar[str] = "route"
    roles: ClassVar[frozenset[Role]] = _WITH_LIAISON

    version: int
    party: Annotated[Reference, RefersTo("party")]
    reasons: tuple[Prose, ...]


def _check_waypoints(ctx: Context, waypoints: tuple[Waypoint, ...]) -> None:
    if len(waypoints) < 2:
        raise DomainError(
            "too_few_waypoints",
            "a route needs at least two waypoints (where it starts and where it ends)",
            field="waypoints",
        )
    for index, point in enumerate(waypoints):
        if point.place is not None:
            ctx.require("place", point.place, f"waypoints.{index}.place")


def _check_party(ctx: Context, party: str | None, field: str) -> None:
    """The party must exist; a liaison officer acts only for their own party."""
    if ctx.actor.role is Role.LIAISON and party != ctx.actor.party:
        raise NotPermitted("a liaison officer may act on routes only for their own party")
    # The actor's own party was checked when the account was made (and may be hidden from it).
    if party is not None and party != ctx.actor.party:
        ctx.require("party", party, field)


def _check_current(state: RouteState, version: int) -> None:
    if version != state.current_version:
        raise DomainError(
            "not_current_version",
            f"version {version} is not the route's current version ({state.current_version});"
            " decisions apply to the current version only",
            field="version",
        )


@decides(ProposeRoute)
def propose(state: None, cmd: ProposeRoute, ctx: Context) -> list[EventData]:
    _check_party(ctx, cmd.proposed_by, "proposed_by")
    _check_waypoints(ctx, cmd.waypoints)
    return [
        RouteProposed(
            name=cmd.name, proposed_by=cmd.proposed_by, waypoints=cmd.waypoints, note=cmd.note
        )
    ]


@decides(ReviseRoute)
def revise(state: RouteState, cmd: ReviseRoute, ctx: Context) -> list[EventData]:
    _check_party(ctx, cmd.proposed_by, "proposed_by")
    _check_waypoints(ctx, cmd.waypoints)
    if cmd.waypoints == state.current().waypoints:
        raise DomainError(
            "unchanged",
            "these waypoints are the current version's; a revision must change the route",
            field="waypoints",
        )
    return [
        RouteRevised(
            version=state.current_version + 1,
            proposed_by=cmd.proposed_by,
            waypoints=cmd.waypoints,
            note=cmd.note,
            voided=state.approved_parties_for_current(),
        )
    ]


@decides(ApproveRoute)
def approve(state: RouteState, cmd: ApproveRoute, ctx: Context) -> list[EventData]:
    _check_current(state, cmd.version)
    _check_party(ctx, cmd.party, "party")
    if state.decisions_for_current().get(cmd.party) is RouteStatus.APPROVED:
        raise DomainError(
            "already_approved",
            f"party '{cmd.party}' has already approved version {cmd.version}",
            field="party",
        )
    return [RouteApproved(version=cmd.version, party=cmd.party, note=cmd.note)]


@decides(RejectRoute)
def reject(state: RouteState, cmd: RejectRoute, ctx: Context) -> list[EventData]:
    reasons = tuple(r for r in cmd.reasons if r.original)
    if not reasons:
        raise DomainError(
            "reason_required",
            "say why the route is rejected (at least one reason)",
            field="reasons",
        )
    _check_current(state, cmd.version)
    _check_party(ctx, cmd.party, "party")
    if state.decisions_for_current().get(cmd.party) is RouteStatus.REJECTED:
        raise DomainError(
            "already_rejected",
            f"party '{cmd.party}' has already rejected version {cmd.version}",
            field="party",
        )
    return [RouteRejected(version=cmd.version, party=cmd.party, reasons=reasons)]
