"""When something happened, with how precisely it is known.

The account says "after sunset" and "after midnight": we record a time together
with its precision and the original phrase instead of inventing exactness.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from mamar.domain.errors import DomainError
from mamar.domain.text import PhraseText, is_recorded


class Precision(StrEnum):
    EXACT = "exact"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    APPROXIMATE = "approximate"


def _require_offset(value: datetime, info: ValidationInfo) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "time_naive", "time must include a UTC offset, e.g. 2016-12-13T19:00+02:00"
        )
    if not is_recorded(info):
        require_utc(value)
    return value


def require_utc(value: datetime) -> datetime:
    """``value`` in UTC; a ``PydanticCustomError`` if it has none (0001-01-01T00:00+14:00)."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "time_out_of_range",
            "this time is outside the calendar once converted to UTC (years 1 to 9999)",
        ) from None


AwareDatetime = Annotated[datetime, AfterValidator(_require_offset)]


class OccurredAt(BaseModel):
    """A moment in the world, its precision, and optionally the words used for it (in their
    language: see :class:`~mamar.domain.text.LocalPhrase`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: AwareDatetime
    precision: Precision = Precision.EXACT
    phrase: PhraseText | None = None

    def iso(self) -> str:
        return self.at.isoformat()

    def utc_key(self) -> str:
        return utc_key(self.at)


class TimeBounds(BaseModel):
    """The times an operation's events may be said to have happened at.

    A typo ("9999" for "2016") would otherwise be recorded for good and stretch the
    map's time slider over millennia. Each operation may set its own.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    not_before: AwareDatetime = Field(
        default=datetime(1900, 1, 1, tzinfo=UTC), description="The earliest time allowed"
    )
    ahead_hours: int = Field(
        default=24, ge=0, le=24 * 366, description="How far after now a time may be, in hours"
    )

    def check(self, moment: datetime, now: datetime, *, field: str = "occurred.at") -> None:
        """Refuse ``moment`` outside the bounds, naming ``field``."""
        latest = now + timedelta(hours=self.ahead_hours)
        if moment < self.not_before:
            raise DomainError(
                "time_too_early",
                f"this time is before {self.not_before.isoformat()}, "
                "the earliest this operation accepts",
                field=field,
            )
        if moment > latest:
            raise DomainError(
                "time_too_late",
                f"this time is more than {self.ahead_hours} hours after now "
                f"(latest accepted: {latest.isoformat(timespec='minutes')})",
                field=field,
            )


DEFAULT_BOUNDS = TimeBounds()


def utc_key(moment: datetime) -> str:
    """Fixed-width sortable UTC text: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.

    ``isoformat`` pads every year to four digits (``strftime("%Y")`` does not below
    1000, which would break the fixed width) and costs less on the append path.
    """
    return moment.astimezone(UTC).isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"


def parse_utc_key(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def now_utc() -> datetime:
    return datetime.now(UTC)


def seconds_between(start: datetime, end: datetime) -> float:
    return (end - start) / timedelta(seconds=1)
