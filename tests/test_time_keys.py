"""UTC keys: the fixed-width text every read model sorts and filters moments by."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from mamar.domain.time import parse_utc_key, utc_key

# Offsets as the world has them (UTC-12 to UTC+14, in quarter hours).
_zones = st.integers(min_value=-48, max_value=56).map(lambda q: timezone(timedelta(minutes=15 * q)))
# Away from the ends of the calendar, where a moment's UTC time leaves it.
_moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_zones
)


@given(_moments)
def test_keys_are_fixed_width_and_read_back(moment: datetime) -> None:
    key = utc_key(moment)
    assert len(key) == len("2016-12-15T04:00:00.000000Z")
    assert key.endswith("Z")
    assert parse_utc_key(key) == moment


@given(_moments, _moments)
def test_keys_sort_as_the_moments_do(first: datetime, second: datetime) -> None:
    assert (utc_key(first) < utc_key(second)) == (first < second)
    assert (utc_key(first) == utc_key(second)) == (first == second)


def test_early_years_are_padded() -> None:
    assert utc_key(datetime(999, 1, 1, 0, 30, tzinfo=UTC)) == "0999-01-01T00:30:00.000000Z"
    assert utc_key(datetime.fromisoformat("2016-12-15T06:00+02:00")) == (
        "2016-12-15T04:00:00.000000Z"
    )
