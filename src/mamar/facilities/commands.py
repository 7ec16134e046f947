"""Registering a receiving facility and setting its capacity."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from mamar.domain.errors import DomainError
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, Name
from mamar.facilities.events import FacilityCapacitySet, FacilityRegistered
from mamar.facilities.model import FacilityState
from mamar.journal.registry import EventData


class RegisterFacility(CreateCommand):
    command_name: ClassVar[str] = "facility.register"
    kind: ClassVar[str] = "facility"

    name: LocalName
    capacity: int = Field(ge=0, le=100_000)
    place: Annotated[Reference, RefersTo("place")] | None = None
    facility_kind: Name | None = None


class SetFacilityCapacity(Command):
    command_name: ClassVar[str] = "facility.set_capacity"
    kind: ClassVar[str] = "facility"

    capacity: int = Field(ge=0, le=100_000)


@decides(RegisterFacility)
def register(state: None, cmd: RegisterFacility, ctx: Context) -> list[EventData]:
    if cmd.place is not None:
        ctx.require("place", cmd.place, "place")
    return [
        FacilityRegistered(
            name=cmd.name, capacity=cmd.capacity, place=cmd.place, facility_kind=cmd.facility_kind
        )
    ]


@decides(SetFacilityCapacity)
def set_capacity(state: FacilityState, cmd: SetFacilityCapacity, ctx: Context) -> list[EventData]:
    if state.capacity == cmd.capacity:
        raise DomainError("unchanged", "this is already the facility's capacity", field="capacity")
    return [FacilityCapacitySet(capacity=cmd.capacity)]
