"""Events of a convoy's life."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from mamar.domain.ids import Reference
from mamar.domain.text import FreeText, LocalName, Name
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData, event_type


class ConvoyStatus(StrEnum):
    PLANNED = "planned"
    PREPARING = "preparing"
    STAGED = "staged"
    DEPARTED = "departed"
    HALTED = "halted"
    UNDER_FIRE = "under_fire"
    TURNED_BACK = "turned_back"
    POSTPONED = "postponed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


class Vehicles(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Name  # "ambulance", "bus", … : the users' words
    count: int = Field(ge=1, le=10000)
    party: Reference | None = None  # the organisation providing them


class Escort(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    party: Reference
    description: FreeText | None = None
    vehicles: int = Field(default=0, ge=0, le=10000)


class Counts(BaseModel):
    """People: planned to leave, boarded, arrived."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    planned: int | None = Field(default=None, ge=0, le=1_000_000)
    boarded: int | None = Field(default=None, ge=0, le=1_000_000)
    arrived: int | None = Field(default=None, ge=0, le=1_000_000)


@event_type
class ConvoyPlanned(EventData):
    type_name = "convoy.planned"

    name: LocalName
    batch_of: FreeText | None = None  # "wounded", "civilians", …
    origin: str | None = None
    destination: str | None = None
    route: str | None = None
    route_version: int | None = None
    vehicles: tuple[Vehicles, ...] = ()
    teams: tuple[str, ...] = ()
    escorts: tuple[Escort, ...] = ()
    counts: Counts = Counts()


@event_type
class ConvoyRouteAssigned(EventData):
    type_name = "convoy.route_assigned"

    route: str
    route_version: int


@event_type
class ConvoyStatusChanged(EventData):
    type_name = "convoy.status_changed"

    status: ConvoyStatus
    previous: ConvoyStatus
    reason: FreeText | None = None
    place: str | None = None
    incident: str | None = None
    conditions: FreeText | None = None  # "rain and snow"


@event_type
class ConvoyCountsRecorded(EventData):
    type_name = "convoy.counts_recorded"

    counts: Counts


@event_type
class ConvoyEscortAdded(EventData):
    type_name = "convoy.escort_added"

    escort: Escort


@event_type
class ConvoyVehiclesAdded(EventData):
    type_name = "convoy.vehicles_added"

    vehicles: Vehicles


@event_type
class ConvoyManifestEntryAdded(EventData):
    """A person on the manifest: only an opaque person id; names stay in the vault."""

    type_name = "convoy.manifest_entry_added"
    compartment = Visibility.MEDICAL

    person: str
