"""Events of a gazetteer place."""

from __future__ import annotations

from enum import StrEnum

from mamar.domain.text import LocalName, Name, Prose
from mamar.geo.values import AreaShape, GeoPoint, Precision
from mamar.journal.registry import EventData, event_type


class PlaceKind(StrEnum):
    CITY = "city"
    NEIGHBOURHOOD = "neighbourhood"
    ROUNDABOUT = "roundabout"
    CROSSING = "crossing"
    ROAD = "road"
    VILLAGE = "village"
    CAMP = "camp"
    CHECKPOINT = "checkpoint"
    OTHER = "other"


@event_type
class PlaceRegistered(EventData):
    type_name = "place.registered"

    name: LocalName
    kind: PlaceKind
    aliases: tuple[Name, ...] = ()
    point: GeoPoint | None = None
    polygon: AreaShape | None = None
    precision: Precision = Precision.EXACT
    notes: Prose | None = None


@event_type
class PlaceUpdated(EventData):
    """Only the fields given changed."""

    type_name = "place.updated"

    name: LocalName | None = None
    kind: PlaceKind | None = None
    point: GeoPoint | None = None
    polygon: AreaShape | None = None
    precision: Precision | None = None
    notes: Prose | None = None


@event_type
class PlaceAliasAdded(EventData):
    type_name = "place.alias_added"

    alias: Name
