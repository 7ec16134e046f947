"""Registering and erasing persons."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, Name
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData
from mamar.parties.refs import refuse_duplicates
from mamar.persons.events import ErasureReason, PersonErased, PersonRegistered
from mamar.persons.model import PersonState
from mamar.persons.personal import PersonalRecord

_MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})


class RegisterPerson(CreateCommand):
    """``personal`` is moved into the vault before deciding; the event carries ``vault_ref``."""

    command_name: ClassVar[str] = "person.register"
    kind: ClassVar[str] = "person"
    personal_field: ClassVar[str] = "personal"

    personal: PersonalRecord | None = None
    vault_ref: str | None = None
    party: Annotated[EntityId, RefersTo("party")] | None = None
    role_title: LocalName | None = None
    tags: tuple[Name, ...] = ()


class ErasePerson(Command):
    command_name: ClassVar[str] = "person.erase"
    kind: ClassVar[str] = "person"
    roles: ClassVar[frozenset[Role]] = _MANAGERS

    reason: ErasureReason | None = None  # the web asks it (see web.confirm)


@decides(RegisterPerson)
def register(state: None, cmd: RegisterPerson, ctx: Context) -> list[EventData]:
    if cmd.personal is not None:
        # The services seal personal data before deciding; never let it reach an event.
        raise DomainError("unsealed", "personal data must go to the vault", field="personal")
    if cmd.party is not None:
        ctx.require("party", cmd.party, "party")
    refuse_duplicates(cmd.tags, "tags")
    return [
        PersonRegistered(
            party=cmd.party, role_title=cmd.role_title, tags=cmd.tags, vault_ref=cmd.vault_ref
        )
    ]


@decides(ErasePerson)
def erase(state: PersonState, cmd: ErasePerson, ctx: Context) -> list[EventData]:
    if state.erased:
        raise DomainError("already_erased", "this person's record is already erased")
    return [PersonErased(vault_ref=state.vault_ref, reason=cmd.reason)]
