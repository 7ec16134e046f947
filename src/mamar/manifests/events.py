"""Events of a vehicle and its manifest: people are numbers on it, their data in the vault."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from mamar.domain.model import Value
from mamar.domain.text import Name
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


class Listed(Value):
    """One person added to a manifest: a number on the vehicle and the vault reference."""

    number: int
    vault_ref: str | None = None
    child: ChildAlone | None = None


@event_type
class VehicleRegistered(EventData):
    type_name = "vehicle.registered"

    convoy: str
    label: Name  # "bus 12", a plate number: the users' words
    vehicle_kind: Name | None = None
    party: str | None = None


@event_type
class GroupListed(EventData):
    """A family (or household, or a person alone) put on the vehicle's manifest at ``stop``."""

    type_name = "vehicle.group_listed"

    group: int
    group_kind: GroupKind
    stop: str
    people: tuple[Listed, ...]


@event_type
class StatusRecorded(EventData):
    type_name = "vehicle.status_recorded"

    people: tuple[int, ...]
    stop: str
    status: PersonStatus


@event_type
class PersonRemoved(EventData):
    """A person's personal data erased (crypto-shredding, same transaction); the number stays."""

    type_name = "vehicle.person_erased"
    erases_vault_ref: ClassVar[bool] = True

    number: int
    vault_ref: str | None = None
    reason: str = "request"  # "request", or "retention" when the operation's period ran out
