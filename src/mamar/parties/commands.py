"""Commands on parties, sides and influence links, and the decisions on them."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, Name, Prose
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData
from mamar.parties.events import (
    InfluenceMapped,
    InfluenceRetired,
    InfluenceStrength,
    PartyJoinedSide,
    PartyKind,
    PartyRegistered,
    PartyUpdated,
    SideFormed,
)
from mamar.parties.model import InfluenceState, PartyState
from mamar.parties.refs import Who, refuse_duplicates, require_all, require_who


class RegisterParty(CreateCommand):
    """``party_kind`` (not ``kind``): ``kind`` names the entity kind of every command."""

    command_name: ClassVar[str] = "party.register"
    kind: ClassVar[str] = "party"
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    name: LocalName
    party_kind: PartyKind
    aliases: tuple[Name, ...] = ()
    side: Annotated[EntityId, RefersTo("side")] | None = None
    description: Prose | None = None


class UpdateParty(Command):
    command_name: ClassVar[str] = "party.update"
    kind: ClassVar[str] = "party"

    name: LocalName | None = None
    party_kind: PartyKind | None = None
    aliases: tuple[Name, ...] | None = None
    description: Prose | None = None


class JoinSide(Command):
    command_name: ClassVar[str] = "party.join_side"
    kind: ClassVar[str] = "party"

    side: Annotated[EntityId, RefersTo("side")]


class FormSide(CreateCommand):
    command_name: ClassVar[str] = "side.form"
    kind: ClassVar[str] = "side"
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    name: LocalName
    members: tuple[Annotated[EntityId, RefersTo("party")], ...] = ()
    description: Prose | None = None


class MapInfluence(CreateCommand):
    command_name: ClassVar[str] = "influence.map"
    kind: ClassVar[str] = "influence"

    source: Who
    target: Who
    means: Prose | None = None
    strength: InfluenceStrength = InfluenceStrength.MODERATE


class RetireInfluence(Command):
    command_name: ClassVar[str] = "influence.retire"
    kind: ClassVar[str] = "influence"

    reason: Prose | None = None


@decides(RegisterParty)
def register(state: None, cmd: RegisterParty, ctx: Context) -> list[EventData]:
    if cmd.side is not None:
        ctx.require("side", cmd.side, "side")
    refuse_duplicates(cmd.aliases, "aliases")
    return [
        PartyRegistered(
            name=cmd.name,
            kind=cmd.party_kind,
            aliases=cmd.aliases,
            side=cmd.side,
            description=cmd.description,
        )
    ]


@decides(UpdateParty)
def update(state: PartyState, cmd: UpdateParty, ctx: Context) -> list[EventData]:
    if cmd.aliases is not None:
        refuse_duplicates(cmd.aliases, "aliases")
    changed = PartyUpdated(
        name=cmd.name if cmd.name not in (None, state.name) else None,
        kind=cmd.party_kind if cmd.party_kind not in (None, state.kind) else None,
        aliases=cmd.aliases if cmd.aliases not in (None, state.aliases) else None,
        description=cmd.description if cmd.description not in (None, state.description) else None,
    )
    if changed == PartyUpdated():
        raise DomainError("unchanged", "nothing to change: every field given is as recorded")
    return [changed]


@decides(JoinSide)
def join_side(state: PartyState, cmd: JoinSide, ctx: Context) -> list[EventData]:
    ctx.require("side", cmd.side, "side")
    if state.side == cmd.side:
        raise DomainError("unchanged", f"the party is already in side '{cmd.side}'", field="side")
    return [PartyJoinedSide(side=cmd.side, previous=state.side)]


@decides(FormSide)
def form_side(state: None, cmd: FormSide, ctx: Context) -> list[EventData]:
    refuse_duplicates(cmd.members, "members")
    require_all(ctx, "party", cmd.members, "members")
    return [SideFormed(name=cmd.name, members=cmd.members, description=cmd.description)]


@decides(MapInfluence)
def map_influence(state: None, cmd: MapInfluence, ctx: Context) -> list[EventData]:
    require_who(ctx, cmd.source, "source")
    require_who(ctx, cmd.target, "target")
    if cmd.source == cmd.target:
        raise DomainError("same_ends", "source and target must differ", field="target")
    return [
        InfluenceMapped(
            source=cmd.source, target=cmd.target, means=cmd.means, strength=cmd.strength
        )
    ]


@decides(RetireInfluence)
def retire_influence(state: InfluenceState, cmd: RetireInfluence, ctx: Context) -> list[EventData]:
    if state.retired:
        raise DomainError("already_retired", "this influence link is already retired")
    return [InfluenceRetired(reason=cmd.reason)]
