"""Account events, state and commands. Credentials live outside the journal."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.ids import Reference
from mamar.domain.model import (
    Command,
    Context,
    EntityState,
    EventMeta,
    aggregate,
    base_fields,
    decides,
    touched,
)
from mamar.domain.text import FreeText, Name
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData, event_type

_ADMIN = frozenset({Role.ADMIN})


@event_type
class AccountCreated(EventData):
    type_name = "account.created"

    display_name: Name
    role: Role
    party: str | None = None


@event_type
class AccountRoleChanged(EventData):
    type_name = "account.role_changed"

    role: Role


@event_type
class AccountDisabled(EventData):
    type_name = "account.disabled"

    reason: str | None = None


@event_type
class AccountEnabled(EventData):
    type_name = "account.enabled"


class AccountState(EntityState):
    display_name: str
    role: Role
    party: str | None = None
    disabled: bool = False


@aggregate("account", AccountState)
def evolve(state: AccountState | None, event: EventData, meta: EventMeta) -> AccountState:
    if isinstance(event, AccountCreated):
        return AccountState(
            **base_fields(meta), display_name=event.display_name, role=event.role, party=event.party
        )
    assert state is not None
    match event:
        case AccountRoleChanged():
            return touched(state, meta, role=event.role)
        case AccountDisabled():
            return touched(state, meta, disabled=True)
        case AccountEnabled():
            return touched(state, meta, disabled=False)
    return state


class CreateAccount(Command):
    command_name: ClassVar[str] = "account.create"
    kind: ClassVar[str] = "account"
    creates: ClassVar[bool] = True
    roles: ClassVar[frozenset[Role]] = _ADMIN

    display_name: Name
    role: Role
    party: Reference | None = None


class ChangeAccountRole(Command):
    command_name: ClassVar[str] = "account.change_role"
    kind: ClassVar[str] = "account"
    roles: ClassVar[frozenset[Role]] = _ADMIN

    role: Role


class DisableAccount(Command):
    command_name: ClassVar[str] = "account.disable"
    kind: ClassVar[str] = "account"
    roles: ClassVar[frozenset[Role]] = _ADMIN

    reason: FreeText | None = None


class EnableAccount(Command):
    command_name: ClassVar[str] = "account.enable"
    kind: ClassVar[str] = "account"
    roles: ClassVar[frozenset[Role]] = _ADMIN


@decides(CreateAccount)
def create(state: None, cmd: CreateAccount, ctx: Context) -> list[EventData]:
    if cmd.party is not None:
        ctx.require("party", cmd.party, "party")
    return [AccountCreated(display_name=cmd.display_name, role=cmd.role, party=cmd.party)]


@decides(ChangeAccountRole)
def change_role(state: AccountState, cmd: ChangeAccountRole, ctx: Context) -> list[EventData]:
    if state.role == cmd.role:
        raise DomainError(
            "unchanged", f"the account already has the role '{cmd.role.value}'", field="role"
        )
    return [AccountRoleChanged(role=cmd.role)]


@decides(DisableAccount)
def disable(state: AccountState, cmd: DisableAccount, ctx: Context) -> list[EventData]:
    if state.disabled:
        raise DomainError("already_disabled", "the account is already disabled")
    if cmd.id == ctx.actor.username:
        raise DomainError("self_disable", "an administrator cannot disable their own account")
    return [AccountDisabled(reason=cmd.reason)]


@decides(EnableAccount)
def enable(state: AccountState, cmd: EnableAccount, ctx: Context) -> list[EventData]:
    if not state.disabled:
        raise DomainError("not_disabled", "the account is not disabled")
    return [AccountEnabled()]
