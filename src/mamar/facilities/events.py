"""Events of a receiving facility."""

from __future__ import annotations

from mamar.domain.text import LocalName, Name
from mamar.journal.registry import EventData, event_type


@event_type
class FacilityRegistered(EventData):
    type_name = "facility.registered"

    name: LocalName
    capacity: int  # beds (or places) for wounded it can still take when registered
    place: str | None = None
    facility_kind: Name | None = None  # "field hospital", "hospital": the users' words


@event_type
class FacilityCapacitySet(EventData):
    type_name = "facility.capacity_set"

    capacity: int
