"""Events of a vehicle and its manifest: people are numbers on it, their data in the vault."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from mamar.domain.model import Value
from mamar.domain.text import ProseLine
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData, event_type


class PersonStatus(StrEnum):
    """Where a person on a manifest stands at a stop."""

    REGISTERED = "registered"
    BOARDED = "boarded"
    ARRIVED = "arrived"
    STAYED_BEHIND = "stayed_behind"
    DIED_ON_THE_WAY = "died_on_the_way"
    MISSING = "missing"


class ChildAlone(StrEnum):
    """A child travelling without both parents: with no adult at all, or with another adult."""

    UNACCOMPANIED = "unaccompanied"
    SEPARATED = "separated"


class GroupKind(StrEnum):
    FAMILY = "family"
    HOUSEHOLD = "household"
    ALONE = "alone"


class Triage(StrEnum):
    """START categories (Simple Triage and Rapid Treatment), and dead."""

    IMMEDIATE = "immediate"
    DELAYED = "delayed"
    MINOR = "minor"
    EXPECTANT = "expectant"
    DEAD = "dead"


class BodyRegion(StrEnum):
    HEAD = "head"
    FACE = "face"
    NECK = "neck"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    BACK = "back"
    PELVIS = "pelvis"
    UPPER_LIMB = "upper_limb"
    LOWER_LIMB = "lower_limb"
    MULTIPLE = "multiple"


class InjuryType(StrEnum):
    SHRAPNEL = "shrapnel"
    GUNSHOT = "gunshot"
    BLAST = "blast"
    BURN = "burn"
    FRACTURE = "fracture"
    CRUSH = "crush"
    LACERATION = "laceration"
    AMPUTATION = "amputation"
    OTHER = "other"


class Injury(Value):
    """Where and what: codes only, never words about the person."""

    region: BodyRegion
    kind: InjuryType


class Listed(Value):
    """One person added to a manifest: a number on the vehicle and the vault reference."""

    number: int
    vault_ref: str | None = None
    child: ChildAlone | None = None


@event_type
class VehicleRegistered(EventData):
    type_name = "vehicle.registered"

    convoy: str
    label: ProseLine  # "bus 12", a plate number: the users' words
    vehicle_kind: ProseLine | None = None
    party: str | None = None


@event_type
class GroupListed(EventData):
    """A family (or household, or a person alone) put on the vehicle's manifest at ``stop``."""

    type_name = "vehicle.group_listed"

    group: int
    group_kind: GroupKind
    stop: str
    people: tuple[Listed, ...]
    # Listed at the destination as they arrive: they were on no manifest when it left.
    arrived: bool = False


@event_type
class StatusRecorded(EventData):
    type_name = "vehicle.status_recorded"

    people: tuple[int, ...]
    stop: str
    status: PersonStatus
    # Arrived on another vehicle than the one whose manifest lists them.
    on_vehicle: str | None = None


@event_type
class PersonRemoved(EventData):
    """A person's personal data erased (crypto-shredding, same transaction); the number stays."""

    type_name = "vehicle.person_erased"
    erases_vault_ref: ClassVar[bool] = True

    number: int
    vault_ref: str | None = None
    reason: str = "request"  # "request", or "retention" when the operation's period ran out


@event_type
class PersonTriaged(EventData):
    """A person on the manifest triaged: START category, injuries (codes), the facility
    they are to be received at. Medical compartment; the person's identity stays in the
    vault, so once it is erased these codes name no one."""

    type_name = "vehicle.person_triaged"
    compartment: ClassVar[Visibility | None] = Visibility.MEDICAL

    number: int
    category: Triage
    injuries: tuple[Injury, ...] = ()
    facility: str | None = None


@event_type
class PersonHandedOver(EventData):
    """A wounded person handed to a receiving facility at the destination."""

    type_name = "vehicle.person_handed_over"
    compartment: ClassVar[Visibility | None] = Visibility.MEDICAL

    number: int
    facility: str


@event_type
class PrioritySet(EventData):
    """The batch's place in the order batches of wounded leave in (1: first)."""

    type_name = "vehicle.priority_set"

    priority: int | None = None
