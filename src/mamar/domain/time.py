"""When something happened, with how precisely it is known.

The account says "after sunset" and "after midnight": we record a time together
with its precision and the original phrase instead of inventing exactness.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Precision(StrEnum):
    EXACT = "exact"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    APPROXIMATE = "approximate"


def _require_offset(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time must include a UTC offset, e.g. 2016-12-13T19:00+02:00")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_require_offset)]


class OccurredAt(BaseModel):
    """A moment in the world, its precision, and optionally the words used for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: AwareDatetime
    precision: Precision = Precision.EXACT
    phrase: str | None = Field(default=None, max_length=200)

    def iso(self) -> str:
        return self.at.isoformat()

    def utc_key(self) -> str:
        return utc_key(self.at)


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
