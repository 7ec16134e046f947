"""Events of a ceasefire window."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from mamar.domain.model import Value
from mamar.domain.text import Prose
from mamar.domain.time import AwareDatetime, Precision
from mamar.journal.registry import EventData, event_type


class CeasefireStatus(StrEnum):
    DECLARED = "declared"
    IN_FORCE = "in_force"
    VIOLATED = "violated"
    SUSPENDED = "suspended"
    RESTORED = "restored"
    EXPIRED = "expired"


class Daily(Value):
    """A window that recurs every day (08:00–18:00) from one day to another, inclusive, in
    the operation's time zone. An end before the start runs past midnight."""

    opens: time
    closes: time
    first_day: date
    last_day: date

    @model_validator(mode="after")
    def _sensible(self) -> Daily:
        if self.opens == self.closes:
            raise PydanticCustomError("empty_window", "a daily window opens and closes apart")
        if self.last_day < self.first_day:
            raise PydanticCustomError("ends_before_start", "last_day is before first_day")
        if (self.last_day - self.first_day).days > 366:
            raise PydanticCustomError("too_long", "a daily window recurs for a year at most")
        return self


@event_type
class CeasefireDeclared(EventData):
    type_name = "ceasefire.declared"

    area: Prose
    agreement: str | None = None
    agreement_version: int | None = None
    parties: tuple[str, ...] = ()
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    note: Prose | None = None
    # Added later (older journals have none of these).
    declared_by: str | None = None  # one party declaring it alone
    daily: Daily | None = None
    timezone: str | None = None  # the zone of the daily hours (the operation's)
    starts_precision: Precision | None = None
    ends_precision: Precision | None = None
    places: tuple[str, ...] = ()  # the area, as places of the gazetteer


@event_type
class CeasefireTookEffect(EventData):
    type_name = "ceasefire.took_effect"

    note: Prose | None = None


@event_type
class CeasefireViolated(EventData):
    """A violation, evidenced by an incident; the ceasefire is then ``violated``."""

    type_name = "ceasefire.violated"

    incident: str
    note: Prose | None = None


@event_type
class CeasefireSuspended(EventData):
    type_name = "ceasefire.suspended"

    reason: Prose | None = None


@event_type
class CeasefireRestored(EventData):
    type_name = "ceasefire.restored"

    reason: Prose | None = None
    agreement_version: int | None = None  # the agreement version that restored it (S29)


@event_type
class CeasefireExpired(EventData):
    type_name = "ceasefire.expired"

    reason: Prose | None = None
