"""A receiving facility's state: name, place and capacity."""

from __future__ import annotations

from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.domain.text import LocalName
from mamar.facilities.events import FacilityCapacitySet, FacilityRegistered
from mamar.journal.registry import EventData


class FacilityState(EntityState):
    name: LocalName
    capacity: int
    place: str | None = None
    facility_kind: str | None = None


@aggregate("facility", FacilityState)
def evolve(state: FacilityState | None, event: EventData, meta: EventMeta) -> FacilityState:
    if isinstance(event, FacilityRegistered):
        return FacilityState(
            **base_fields(meta),
            name=event.name,
            capacity=event.capacity,
            place=event.place,
            facility_kind=event.facility_kind,
        )
    assert state is not None
    if isinstance(event, FacilityCapacitySet):
        return touched(state, meta, capacity=event.capacity)
    return state
