"""Commands on vehicles and their manifests, and the decisions that accept or refuse them."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from mamar.domain.errors import DomainError
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, Value, decides
from mamar.domain.text import Name, ProseLine
from mamar.domain.visibility import Role, Visibility
from mamar.journal.registry import EventData
from mamar.manifests.events import (
    ChildAlone,
    GroupKind,
    GroupListed,
    Injury,
    Listed,
    PersonHandedOver,
    PersonRemoved,
    PersonStatus,
    PersonTriaged,
    PrioritySet,
    StatusRecorded,
    Triage,
    VehicleRegistered,
)
from mamar.manifests.model import PERSON_TRANSITIONS, VehicleState
from mamar.manifests.personal import PersonDetails
from mamar.manifests.photos import MAX_BYTES, PhotoRefused, clean
from mamar.manifests.stops import DESTINATION, ORIGIN, stops_of

#: Who registers people: the roles that hold the medical compartment (people by name).
PEOPLE_ROLES = frozenset({Role.MEDICAL, Role.COORDINATOR, Role.ADMIN})
#: Most people a vehicle's manifest holds (a train of buses is several vehicles).
MAX_ON_VEHICLE = 500


class RegisterVehicle(CreateCommand):
    command_name: ClassVar[str] = "vehicle.register"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES
    default_visibility: ClassVar[Visibility] = Visibility.MEDICAL

    convoy: Annotated[Reference, RefersTo("convoy")]
    label: ProseLine
    vehicle_kind: ProseLine | None = None
    party: Annotated[Reference, RefersTo("party")] | None = None


def _photo_bytes(value: Any) -> Any:
    """A photo sent as JSON is base64 text; from a page's form it is the file's bytes."""
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise PydanticCustomError("photo_not_image", "the photo is not base64") from None
    return value


def _cleaned(value: bytes) -> bytes:
    try:
        return clean(value)
    except PhotoRefused as refused:
        limit = MAX_BYTES // 1_000_000  # megabytes
        raise PydanticCustomError(refused.code, "the photo is refused", {"limit": limit}) from None


#: A photo as sent, checked and re-encoded (JPEG, no metadata) when the command is built.
Photo = Annotated[bytes, BeforeValidator(_photo_bytes), AfterValidator(_cleaned)]


class NewPerson(Value):
    """A person to list: ``details`` (and ``photo``) go to the vault before deciding;
    ``vault_ref`` is set then. The photo is a vault record of its own, named only inside
    the person's record, and erased with it."""

    details: PersonDetails | None = None
    vault_ref: str | None = None
    child: ChildAlone | None = None
    photo: Photo | None = Field(default=None, repr=False)


class ListGroup(Command):
    """Put a family (or a household, or one person) on the vehicle's manifest."""

    command_name: ClassVar[str] = "vehicle.list_group"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES
    # Each person's ``details`` are sealed into the vault, one record each.
    personal_items: ClassVar[tuple[str, ...]] = ("people",)

    group_kind: GroupKind = GroupKind.FAMILY
    stop: Name = ORIGIN
    people: tuple[NewPerson, ...] = Field(min_length=1, max_length=60)
    #: At reception: people who arrived on this vehicle but were on no manifest.
    arrived: bool = False


class RecordStatus(Command):
    """Where people of the manifest stand at a stop: boarded, arrived, missing …"""

    command_name: ClassVar[str] = "vehicle.record_status"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES

    people: tuple[int, ...] = Field(min_length=1, max_length=MAX_ON_VEHICLE)
    stop: Name
    status: PersonStatus
    #: Arrived on another vehicle than this manifest's (checked at reception).
    on_vehicle: Annotated[Reference, RefersTo("vehicle")] | None = None


class ErasePersonal(Command):
    """Erase one person's personal data (crypto-shredding); their number stays."""

    command_name: ClassVar[str] = "vehicle.erase_person"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = frozenset({Role.COORDINATOR, Role.ADMIN})

    number: int
    reason: Name = "request"


@decides(RegisterVehicle)
def register(state: None, cmd: RegisterVehicle, ctx: Context) -> list[EventData]:
    ctx.require("convoy", cmd.convoy, "convoy")
    if cmd.party is not None:
        ctx.require("party", cmd.party, "party")
    return [
        VehicleRegistered(
            convoy=cmd.convoy, label=cmd.label, vehicle_kind=cmd.vehicle_kind, party=cmd.party
        )
    ]


def _require_stop(ctx: Context, state: VehicleState, stop: str) -> None:
    convoy = ctx.require("convoy", state.convoy, "convoy")
    allowed = stops_of(convoy)
    if stop not in allowed:
        raise DomainError(
            "unknown_stop",
            f"the convoy has no stop '{stop}'; its stops are: {', '.join(allowed)}",
            field="stop",
        )


@decides(ListGroup)
def list_group(state: VehicleState, cmd: ListGroup, ctx: Context) -> list[EventData]:
    if any(p.details is not None or p.photo is not None for p in cmd.people):
        # The services seal personal data before deciding; never let it reach an event.
        raise DomainError("unsealed", "personal data must go to the vault", field="people")
    _require_stop(ctx, state, cmd.stop)
    if len(state.entries) + len(cmd.people) > MAX_ON_VEHICLE:
        raise DomainError(
            "vehicle_full",
            f"a vehicle's manifest holds at most {MAX_ON_VEHICLE} people",
            field="people",
        )
    if cmd.arrived and cmd.stop != DESTINATION:
        raise DomainError(
            "arrival_only_at_destination",
            "people are listed as arrived only at the destination",
            field="stop",
        )
    first = len(state.entries) + 1
    listed = tuple(
        Listed(number=first + i, vault_ref=p.vault_ref, child=p.child)
        for i, p in enumerate(cmd.people)
    )
    return [
        GroupListed(
            group=state.groups + 1,
            group_kind=cmd.group_kind,
            stop=cmd.stop,
            people=listed,
            arrived=cmd.arrived,
        )
    ]


@decides(RecordStatus)
def record_status(state: VehicleState, cmd: RecordStatus, ctx: Context) -> list[EventData]:
    _require_stop(ctx, state, cmd.stop)
    if cmd.status is PersonStatus.BOARDED and cmd.stop == DESTINATION:
        raise DomainError(
            "no_boarding_at_destination", "no one boards at the destination", field="stop"
        )
    if cmd.status is PersonStatus.ARRIVED and cmd.stop == ORIGIN:
        raise DomainError("no_arrival_at_origin", "no one arrives at the origin", field="stop")
    if len(set(cmd.people)) != len(cmd.people):
        raise DomainError("duplicate", "a person is named twice", field="people")
    for number in cmd.people:
        entry = state.entry(number)
        if entry is None:
            raise DomainError(
                "not_on_manifest",
                f"number {number} is not on this vehicle's manifest",
                field="people",
            )
        PERSON_TRANSITIONS.require(entry.status, cmd.status)
    on_vehicle = cmd.on_vehicle if cmd.on_vehicle != state.id else None
    if on_vehicle is not None:
        if cmd.status is not PersonStatus.ARRIVED:
            raise DomainError(
                "other_vehicle_only_on_arrival",
                "only an arrival is recorded on another vehicle",
                field="on_vehicle",
            )
        other = ctx.require("vehicle", on_vehicle, "on_vehicle")
        if not isinstance(other, VehicleState):
            raise DomainError("not_found", "there is no such vehicle", field="on_vehicle")
    return [
        StatusRecorded(
            people=tuple(cmd.people), stop=cmd.stop, status=cmd.status, on_vehicle=on_vehicle
        )
    ]


@decides(ErasePersonal)
def erase_person(state: VehicleState, cmd: ErasePersonal, ctx: Context) -> list[EventData]:
    entry = state.entry(cmd.number)
    if entry is None:
        raise DomainError(
            "not_on_manifest",
            f"number {cmd.number} is not on this vehicle's manifest",
            field="number",
        )
    if entry.erased or entry.vault_ref is None:
        raise DomainError("already_erased", "this person's personal data is already erased")
    return [PersonRemoved(number=cmd.number, vault_ref=entry.vault_ref, reason=cmd.reason)]


class TriagePerson(Command):
    """START category, injuries by body region and type, and the receiving facility."""

    command_name: ClassVar[str] = "vehicle.triage"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES

    number: int
    category: Triage
    injuries: tuple[Injury, ...] = Field(default=(), max_length=20)
    facility: Annotated[Reference, RefersTo("facility")] | None = None


class HandOver(Command):
    command_name: ClassVar[str] = "vehicle.hand_over"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES

    number: int
    facility: Annotated[Reference, RefersTo("facility")]


class SetPriority(Command):
    """The batch's place in the order batches of wounded leave in (1: first; none: by triage)."""

    command_name: ClassVar[str] = "vehicle.set_priority"
    kind: ClassVar[str] = "vehicle"
    roles: ClassVar[frozenset[Role]] = PEOPLE_ROLES

    priority: int | None = Field(default=None, ge=1, le=10_000)


def _entry(state: VehicleState, number: int) -> None:
    if state.entry(number) is None:
        raise DomainError(
            "not_on_manifest", f"number {number} is not on this vehicle's manifest", field="number"
        )


@decides(TriagePerson)
def triage(state: VehicleState, cmd: TriagePerson, ctx: Context) -> list[EventData]:
    _entry(state, cmd.number)
    if cmd.facility is not None:
        ctx.require("facility", cmd.facility, "facility")
    if len(set(cmd.injuries)) != len(cmd.injuries):
        raise DomainError("duplicate", "an injury is given twice", field="injuries")
    return [
        PersonTriaged(
            number=cmd.number, category=cmd.category, injuries=cmd.injuries, facility=cmd.facility
        )
    ]


@decides(HandOver)
def hand_over(state: VehicleState, cmd: HandOver, ctx: Context) -> list[EventData]:
    _entry(state, cmd.number)
    ctx.require("facility", cmd.facility, "facility")
    return [PersonHandedOver(number=cmd.number, facility=cmd.facility)]


@decides(SetPriority)
def set_priority(state: VehicleState, cmd: SetPriority, ctx: Context) -> list[EventData]:
    if state.priority == cmd.priority:
        raise DomainError("unchanged", "this is already the batch's priority", field="priority")
    return [PrioritySet(priority=cmd.priority)]
