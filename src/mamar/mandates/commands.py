"""Granting, revoking and expiring mandates."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import Prose
from mamar.domain.time import AwareDatetime
from mamar.journal.registry import EventData
from mamar.mandates.events import MandateExpired, MandateGranted, MandateRevoked, MandateStatus
from mamar.mandates.model import TRANSITIONS, MandateState
from mamar.parties.refs import Who, refuse_duplicates, require_all, require_who


class GrantMandate(CreateCommand):
    command_name: ClassVar[str] = "mandate.grant"
    kind: ClassVar[str] = "mandate"

    granted_by: tuple[Annotated[EntityId, RefersTo("party")], ...]
    to: Who
    scope: Prose
    issues: tuple[Annotated[EntityId, RefersTo("issue")], ...] = ()
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None


class RevokeMandate(Command):
    command_name: ClassVar[str] = "mandate.revoke"
    kind: ClassVar[str] = "mandate"

    reason: Prose | None = None


class ExpireMandate(Command):
    """Records that a mandate's term has run out."""

    command_name: ClassVar[str] = "mandate.expire"
    kind: ClassVar[str] = "mandate"


@decides(GrantMandate)
def grant(state: None, cmd: GrantMandate, ctx: Context) -> list[EventData]:
    if not cmd.granted_by:
        raise DomainError(
            "no_grantor", "name at least one party granting the mandate", field="granted_by"
        )
    if not cmd.scope.original:
        raise DomainError("empty", "say what the mandate covers", field="scope")
    refuse_duplicates(cmd.granted_by, "granted_by")
    refuse_duplicates(cmd.issues, "issues")
    require_all(ctx, "party", cmd.granted_by, "granted_by")
    require_who(ctx, cmd.to, "to")
    require_all(ctx, "issue", cmd.issues, "issues")
    if (
        cmd.valid_from is not None
        and cmd.valid_until is not None
        and cmd.valid_until <= cmd.valid_from
    ):
        raise DomainError("bad_interval", "a mandate must end after it begins", field="valid_until")
    return [
        MandateGranted(
            granted_by=cmd.granted_by,
            to=cmd.to,
            scope=cmd.scope,
            issues=cmd.issues,
            valid_from=cmd.valid_from,
            valid_until=cmd.valid_until,
        )
    ]


@decides(RevokeMandate)
def revoke(state: MandateState, cmd: RevokeMandate, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, MandateStatus.REVOKED)
    return [MandateRevoked(reason=cmd.reason)]


@decides(ExpireMandate)
def expire(state: MandateState, cmd: ExpireMandate, ctx: Context) -> list[EventData]:
    TRANSITIONS.require(state.status, MandateStatus.EXPIRED)
    if state.valid_until is not None and ctx.occurred_at < state.valid_until:
        raise DomainError(
            "not_yet_expired",
            f"the mandate is valid until {state.valid_until.isoformat()}",
            field="status",
        )
    return [MandateExpired()]
