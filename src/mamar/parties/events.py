"""Events of parties, sides (coalitions) and the influence map."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.text import LocalName, Name, Prose
from mamar.journal.registry import EventData, event_type
from mamar.parties.refs import PartyOrPerson


class PartyKind(StrEnum):
    ARMED_GROUP = "armed_group"
    STATE_FORCES = "state_forces"
    MILITIA = "militia"
    GUARANTOR_STATE = "guarantor_state"
    HUMANITARIAN_ORGANISATION = "humanitarian_organisation"
    CIVIL_DEFENCE = "civil_defence"
    MEDICAL = "medical"
    CIVILIAN_BODY = "civilian_body"
    OTHER = "other"


class InfluenceStrength(StrEnum):
    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


@event_type
class PartyRegistered(EventData):
    type_name = "party.registered"

    name: LocalName
    kind: PartyKind
    aliases: tuple[Name, ...] = ()
    side: str | None = None
    description: Prose | None = None


@event_type
class PartyUpdated(EventData):
    """Only the fields given changed."""

    type_name = "party.updated"

    name: LocalName | None = None
    kind: PartyKind | None = None
    aliases: tuple[Name, ...] | None = None
    description: Prose | None = None


@event_type
class PartyJoinedSide(EventData):
    type_name = "party.joined_side"

    side: str
    previous: str | None = None


@event_type
class SideFormed(EventData):
    type_name = "side.formed"

    name: LocalName
    members: tuple[str, ...] = ()
    description: Prose | None = None


@event_type
class InfluenceMapped(EventData):
    type_name = "influence.mapped"

    source: PartyOrPerson
    target: PartyOrPerson
    means: Prose | None = None
    strength: InfluenceStrength = InfluenceStrength.MODERATE


@event_type
class InfluenceRetired(EventData):
    type_name = "influence.retired"

    reason: Prose | None = None
