"""Events of a convoy's life."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from mamar.domain.figures import Figure
from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Value
from mamar.domain.subjects import Group
from mamar.domain.text import LocalName, Prose, ProseLine
from mamar.domain.visibility import Visibility
from mamar.journal.registry import EventData, event_type


class ConvoyStatus(StrEnum):
    PLANNED = "planned"
    PREPARING = "preparing"
    STAGED = "staged"
    DEPARTED = "departed"
    LOADING = "loading"
    HALTED = "halted"
    UNDER_FIRE = "under_fire"
    ATTACKED = "attacked"
    TURNED_BACK = "turned_back"
    POSTPONED = "postponed"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


class Vehicles(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ProseLine  # "ambulance", "bus", "private cars", … : the users' words
    count: int | None = Field(default=None, ge=1, le=10000)  # None: not known (private cars)
    # The organisation providing them.
    party: Annotated[Reference, RefersTo("party")] | None = None


class Escort(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    party: Annotated[Reference, RefersTo("party")]
    description: Prose | None = None
    vehicles: int = Field(default=0, ge=0, le=10000)


class Counts(BaseModel):
    """People: planned to leave, boarded, arrived."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    planned: int | None = Field(default=None, ge=0, le=1_000_000)
    boarded: int | None = Field(default=None, ge=0, le=1_000_000)
    arrived: int | None = Field(default=None, ge=0, le=1_000_000)


class StopKind(StrEnum):
    """What a convoy does at a stop."""

    STAGING = "staging"
    PICKUP = "pickup"
    SCREENING = "screening"
    HOLDING = "holding"
    TRANSIT = "transit"
    DESTINATION = "destination"


class Leg(StrEnum):
    """The drive in (vehicles going in empty to collect people) and the way out."""

    IN = "in"
    OUT = "out"


class Stop(Value):
    """A place on the convoy's way; its key is ``place`` (once per leg)."""

    place: Annotated[Reference, RefersTo("place")]
    kind: StopKind
    leg: Leg = Leg.OUT
    note: Prose | None = None


class CountOf(StrEnum):
    """What a figure counts: people planned, boarded (at a pickup), who stayed at a stop
    (held at a screening point, left at a holding point), arrived, or handed over (in an
    exchange)."""

    PLANNED = "planned"
    BOARDED = "boarded"
    STAYED = "stayed"
    ARRIVED = "arrived"
    HANDED_OVER = "handed_over"


class Cargo(Value):
    """Goods carried: aid delivered, in the users' words and units."""

    kind: ProseLine  # "flour", "medical supplies", … : the users' words, in their language
    quantity: Figure
    unit: ProseLine | None = None  # "tonnes", "food baskets", …
    # One of the convoy's stops or its destination.
    delivered_at: Annotated[Reference, RefersTo("place")] | None = None
    note: Prose | None = None


@event_type
class ConvoyPlanned(EventData):
    type_name = "convoy.planned"

    name: LocalName
    batch_of: ProseLine | None = None  # "wounded", "civilians", …
    origin: str | None = None
    destination: str | None = None
    route: str | None = None
    route_version: int | None = None
    vehicles: tuple[Vehicles, ...] = ()
    teams: tuple[str, ...] = ()
    escorts: tuple[Escort, ...] = ()
    counts: Counts = Counts()
    # Who the convoy carries (evacuees by default; detainees, bodies … are counted apart).
    group: Group = Group.EVACUEES
    stops: tuple[Stop, ...] = ()


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
    reason: Prose | None = None
    place: str | None = None
    incident: str | None = None
    conditions: Prose | None = None  # "rain and snow"


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


@event_type
class ConvoyStopAdded(EventData):
    type_name = "convoy.stop_added"

    stop: Stop


@event_type
class ConvoyStopReached(EventData):
    """The convoy arrived at one of its stops (when: the event's time)."""

    type_name = "convoy.stop_reached"

    place: str
    leg: Leg = Leg.OUT


@event_type
class ConvoyStopLeft(EventData):
    """The convoy departed from one of its stops (when: the event's time)."""

    type_name = "convoy.stop_left"

    place: str
    leg: Leg = Leg.OUT


@event_type
class ConvoyFigureReported(EventData):
    """A figure as someone gives it: every one is kept, however it differs from others."""

    type_name = "convoy.figure_reported"

    count: CountOf
    figure: Figure
    group: Group = Group.EVACUEES
    stop: str | None = None  # a stop's place; None: the whole convoy


@event_type
class ConvoyCargoRecorded(EventData):
    type_name = "convoy.cargo_recorded"

    cargo: Cargo
