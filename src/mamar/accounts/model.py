"""Account events, state and commands. Credentials live outside the journal."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import (
    Actor,
    Command,
    Context,
    EntityState,
    EventMeta,
    aggregate,
    base_fields,
    decides,
    touched,
)
from mamar.domain.text import Name, Prose
from mamar.domain.visibility import INSTALLATION, Role
from mamar.journal.registry import EventData, event_type, upcaster

_ADMIN = frozenset({Role.ADMIN})


@event_type
class AccountCreated(EventData):
    type_name = "account.created"
    schema_version = 2

    display_name: Name
    role: Role
    organisation: str
    party: str | None = None


@upcaster("account.created", 1)
def _into_the_installation(data: dict[str, Any]) -> dict[str, Any]:
    """Before organisations, the whole installation was one organisation."""
    return {**data, "organisation": INSTALLATION}


@event_type
class AccountRoleChanged(EventData):
    type_name = "account.role_changed"

    role: Role


@event_type
class AccountDisabled(EventData):
    type_name = "account.disabled"

    reason: Prose | None = None


@event_type
class AccountEnabled(EventData):
    type_name = "account.enabled"


class AccountState(EntityState):
    display_name: str
    role: Role
    organisation: str = INSTALLATION
    party: str | None = None
    disabled: bool = False


@aggregate("account", AccountState)
def evolve(state: AccountState | None, event: EventData, meta: EventMeta) -> AccountState:
    if isinstance(event, AccountCreated):
        # An account belongs to (and is a record of) its organisation, whoever created it.
        return AccountState(
            **{**base_fields(meta), "owner": event.organisation},
            display_name=event.display_name,
            role=event.role,
            organisation=event.organisation,
            party=event.party,
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
    organisation: Annotated[Reference, RefersTo("organisation")] | None = (
        None  # default: the creating administrator's
    )
    party: Annotated[Reference, RefersTo("party")] | None = None


class ChangeAccountRole(Command):
    command_name: ClassVar[str] = "account.change_role"
    kind: ClassVar[str] = "account"
    roles: ClassVar[frozenset[Role]] = _ADMIN

    role: Role


class DisableAccount(Command):
    command_name: ClassVar[str] = "account.disable"
    kind: ClassVar[str] = "account"
    roles: ClassVar[frozenset[Role]] = _ADMIN

    reason: Prose | None = None


class EnableAccount(Command):
    command_name: ClassVar[str] = "account.enable"
    kind: ClassVar[str] = "account"
    roles: ClassVar[frozenset[Role]] = _ADMIN


def _administers(ctx: Context, organisation: str) -> None:
    """An administrator administers their own organisation's accounts; the
    installation's administrators, every organisation's."""
    if ctx.actor.organisation not in (INSTALLATION, organisation):
        raise NotPermitted("an administrator manages only their own organisation's accounts")


@decides(CreateAccount)
def create(state: None, cmd: CreateAccount, ctx: Context) -> list[EventData]:
    organisation = cmd.organisation or ctx.actor.organisation
    _administers(ctx, organisation)
    if organisation != INSTALLATION:
        ctx.require("organisation", organisation, "organisation")
    if cmd.party is not None:
        ctx.require("party", cmd.party, "party")
    return [
        AccountCreated(
            display_name=cmd.display_name,
            role=cmd.role,
            organisation=organisation,
            party=cmd.party,
        )
    ]


@decides(ChangeAccountRole)
def change_role(state: AccountState, cmd: ChangeAccountRole, ctx: Context) -> list[EventData]:
    _administers(ctx, state.organisation)
    if state.role == cmd.role:
        raise DomainError(
            "unchanged", f"the account already has the role '{cmd.role.value}'", field="role"
        )
    return [AccountRoleChanged(role=cmd.role)]


@decides(DisableAccount)
def disable(state: AccountState, cmd: DisableAccount, ctx: Context) -> list[EventData]:
    _administers(ctx, state.organisation)
    if state.disabled:
        raise DomainError("already_disabled", "the account is already disabled")
    if cmd.id == ctx.actor.username:
        raise DomainError("self_disable", "an administrator cannot disable their own account")
    return [AccountDisabled(reason=cmd.reason)]


@decides(EnableAccount)
def enable(state: AccountState, cmd: EnableAccount, ctx: Context) -> list[EventData]:
    _administers(ctx, state.organisation)
    if not state.disabled:
        raise DomainError("not_disabled", "the account is not disabled")
    return [AccountEnabled()]


def actor_of(username: str, state: EntityState) -> Actor:
    """The account whose state is ``state`` as an acting account."""
    assert isinstance(state, AccountState), f"'{username}' is not an account"
    return Actor(
        username=username,
        role=state.role,
        party=state.party,
        organisation=state.organisation,
        display_name=state.display_name or None,
    )
