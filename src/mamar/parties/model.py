"""State of parties, sides and influence links, and how their events change it."""

from __future__ import annotations

from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.domain.text import LocalName, Prose
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
from mamar.parties.refs import PartyOrPerson


class PartyState(EntityState):
    name: LocalName
    kind: PartyKind
    aliases: tuple[str, ...] = ()
    side: str | None = None
    description: Prose | None = None


class SideState(EntityState):
    """A coalition. ``members`` are those named when it was formed; a party that
    joins later records it on its own stream (``PartyState.side``)."""

    name: LocalName
    members: tuple[str, ...] = ()
    description: Prose | None = None


class InfluenceState(EntityState):
    source: PartyOrPerson
    target: PartyOrPerson
    means: Prose | None = None
    strength: InfluenceStrength = InfluenceStrength.MODERATE
    retired: bool = False
    retired_reason: Prose | None = None


@aggregate("party", PartyState)
def evolve_party(state: PartyState | None, event: EventData, meta: EventMeta) -> PartyState:
    if isinstance(event, PartyRegistered):
        return PartyState(
            **base_fields(meta),
            name=event.name,
            kind=event.kind,
            aliases=event.aliases,
            side=event.side,
            description=event.description,
        )
    assert state is not None
    match event:
        case PartyUpdated():
            changes = {
                key: value
                for key, value in {
                    "name": event.name,
                    "kind": event.kind,
                    "aliases": event.aliases,
                    "description": event.description,
                }.items()
                if value is not None
            }
            return touched(state, meta, **changes)
        case PartyJoinedSide():
            return touched(state, meta, side=event.side)
    return state


@aggregate("side", SideState)
def evolve_side(state: SideState | None, event: EventData, meta: EventMeta) -> SideState:
    if isinstance(event, SideFormed):
        return SideState(
            **base_fields(meta),
            name=event.name,
            members=event.members,
            description=event.description,
        )
    assert state is not None
    return state


@aggregate("influence", InfluenceState)
def evolve_influence(
    state: InfluenceState | None, event: EventData, meta: EventMeta
) -> InfluenceState:
    if isinstance(event, InfluenceMapped):
        return InfluenceState(
            **base_fields(meta),
            source=event.source,
            target=event.target,
            means=event.means,
            strength=event.strength,
        )
    assert state is not None
    if isinstance(event, InfluenceRetired):
        return touched(state, meta, retired=True, retired_reason=event.reason)
    return state
