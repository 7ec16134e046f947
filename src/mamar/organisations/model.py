"""Organisation events, state and commands."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import Reference, RefersTo
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
from mamar.domain.text import LocalName, Prose
from mamar.domain.visibility import INSTALLATION, Role, Visibility
from mamar.journal.registry import EventData, event_type


class OrganisationKind(StrEnum):
    NEGOTIATING_TEAM = "negotiating_team"  # a side's or a party's team
    GUARANTOR = "guarantor"  # a guarantor state's liaison officers
    HUMANITARIAN = "humanitarian"  # a Red Crescent society, the ICRC, an agency
    MONITOR = "monitor"  # a ceasefire monitoring mission
    INSTALLATION = "installation"  # those who run this installation
    OTHER = "other"


@event_type
class OrganisationRegistered(EventData):
    type_name = "organisation.registered"

    name: LocalName
    kind: OrganisationKind
    party: Reference | None = None  # the party it speaks for, where it is one
    description: Prose | None = None


@event_type
class OrganisationRenamed(EventData):
    type_name = "organisation.renamed"

    name: LocalName


class OrganisationState(EntityState):
    name: LocalName
    kind: OrganisationKind
    party: str | None = None
    description: Prose | None = None


@aggregate("organisation", OrganisationState)
def evolve(state: OrganisationState | None, event: EventData, meta: EventMeta) -> OrganisationState:
    if isinstance(event, OrganisationRegistered):
        # An organisation owns its own record.
        return OrganisationState(
            **{**base_fields(meta), "owner": meta.entity_id},
            name=event.name,
            kind=event.kind,
            party=event.party,
            description=event.description,
        )
    assert state is not None
    if isinstance(event, OrganisationRenamed):
        return touched(state, meta, name=event.name)
    return state


_ADMIN = frozenset({Role.ADMIN})


class RegisterOrganisation(Command):
    command_name: ClassVar[str] = "organisation.register"
    kind: ClassVar[str] = "organisation"
    creates: ClassVar[bool] = True
    roles: ClassVar[frozenset[Role]] = _ADMIN
    # Every organisation of the installation may read another's name.
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    name: LocalName
    organisation_kind: OrganisationKind
    party: Annotated[Reference, RefersTo("party")] | None = None
    description: Prose | None = None


class RenameOrganisation(Command):
    command_name: ClassVar[str] = "organisation.rename"
    kind: ClassVar[str] = "organisation"
    roles: ClassVar[frozenset[Role]] = _ADMIN

    name: LocalName


def _installation_admin(ctx: Context) -> None:
    if ctx.actor.organisation != INSTALLATION:
        raise NotPermitted("only the installation's administrators register organisations")


@decides(RegisterOrganisation)
def register(state: None, cmd: RegisterOrganisation, ctx: Context) -> list[EventData]:
    _installation_admin(ctx)
    return [
        OrganisationRegistered(
            name=cmd.name, kind=cmd.organisation_kind, party=cmd.party, description=cmd.description
        )
    ]


@decides(RenameOrganisation)
def rename(state: OrganisationState, cmd: RenameOrganisation, ctx: Context) -> list[EventData]:
    if ctx.actor.organisation not in (INSTALLATION, state.id):
        raise NotPermitted(
            "an organisation is renamed by its own or the installation's administrators"
        )
    if state.name == cmd.name:
        raise DomainError("unchanged", "the organisation already has this name", field="name")
    return [OrganisationRenamed(name=cmd.name)]
