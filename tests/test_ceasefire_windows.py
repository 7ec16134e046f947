"""Ceasefires as they are declared: daily windows from day to day, declared by one party,
several overlapping windows with their own areas, times with their precision, and
violations counted per window (issue 15, point 3)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mamar.ceasefires.commands import DeclareCeasefire
from mamar.ceasefires.model import outside_windows, overlaps, windows
from mamar.domain.errors import DomainError, NotFound
from mamar.system import Mamar
from tests.negotiation_builders import (
    command,
    incident,
    operation_with_parties,
    refused,
    run,
    state,
)

DAILY = {"opens": "08:00", "closes": "18:00", "first_day": "2016-12-14", "last_day": "2016-12-16"}


def pause(**changes: object) -> DeclareCeasefire:
    fields: dict[str, object] = {
        "id": "daily-pause",
        "operation": "op",
        "area": "The eastern districts",
        "declared_by": "government-forces",
        "parties": ("government-forces",),
        "daily": DAILY,
    }
    fields.update(changes)
    return DeclareCeasefire.model_validate(fields)


@pytest.fixture
def paused(system: Mamar) -> Mamar:
    operation_with_parties(system)
    run(system, pause(), when="2016-12-13T20:00+02:00")
    run(system, command("ceasefire.take_effect", id="daily-pause"), when="2016-12-14T08:00+02:00")
    return system


def test_a_daily_window_declared_by_one_party_runs_from_day_to_day(paused: Mamar) -> None:
    held = state(paused, "ceasefire", "daily-pause")
    assert held.declared_by == "government-forces" and held.timezone == "Asia/Damascus"
    assert held.starts_at.isoformat() == "2016-12-14T08:00:00+02:00"
    assert held.ends_at.isoformat() == "2016-12-16T18:00:00+02:00"
    spans = [(w.starts_at.isoformat(), w.ends_at.isoformat()) for w in windows(held)]
    assert spans == [
        ("2016-12-14T08:00:00+02:00", "2016-12-14T18:00:00+02:00"),
        ("2016-12-15T08:00:00+02:00", "2016-12-15T18:00:00+02:00"),
        ("2016-12-16T08:00:00+02:00", "2016-12-16T18:00:00+02:00"),
    ]


def test_violations_are_counted_per_window_and_outside_the_hours(paused: Mamar) -> None:
    system = paused
    for name, when in [
        ("first-day-shelling", "2016-12-14T10:00+02:00"),
        ("first-day-sniper", "2016-12-14T16:30+02:00"),
        ("night-shelling", "2016-12-14T23:00+02:00"),
        ("third-day-shelling", "2016-12-16T09:00+02:00"),
    ]:
        incident(system, name, when=when)
        run(
            system,
            command("ceasefire.record_violation", id="daily-pause", incident=name),
            when=when,
        )
    held = state(system, "ceasefire", "daily-pause")
    assert [w.violations for w in windows(held)] == [2, 0, 1]
    assert outside_windows(held) == 1


def test_overlapping_windows_with_their_own_areas_and_precision(system: Mamar) -> None:
    operation_with_parties(system)
    run(
        system,
        command(
            "place.register",
            id="old-town",
            operation="op",
            name={"en": "Old town"},
            place_kind="neighbourhood",
        ),
    )
    run(system, pause())
    run(
        system,
        command(
            "ceasefire.declare",
            id="old-town-truce",
            operation="op",
            area="The old town only",
            places=("old-town",),
            parties=("factions", "government-forces"),
            starts_at="2016-12-15T00:00+02:00",
            starts_precision="day",
            ends_at="2016-12-20T00:00+02:00",
            ends_precision="approximate",
        ),
    )
    daily = state(system, "ceasefire", "daily-pause")
    local = state(system, "ceasefire", "old-town-truce")
    assert local.places == ("old-town",)
    assert (local.starts_precision, local.ends_precision) == ("day", "approximate")
    assert overlaps(daily, local) and overlaps(local, daily)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"declared_by": "nobody"}, NotFound, "declared_by"),
        ({"places": ("nowhere",)}, NotFound, "places"),
        ({"starts_at": "2016-12-14T08:00+02:00"}, DomainError, "starts_at"),
    ],
)
def test_bad_declarations_are_refused(
    system: Mamar, changes: dict[str, object], error: type[DomainError], field: str
) -> None:
    operation_with_parties(system)
    refused(system, pause(**changes), error, field=field)


def test_a_daily_window_must_open_and_close_apart_in_order() -> None:
    with pytest.raises(ValidationError, match="opens and closes apart"):
        pause(daily={**DAILY, "closes": "08:00"})
    with pytest.raises(ValidationError, match="before first_day"):
        pause(daily={**DAILY, "last_day": "2016-12-01"})


def test_a_window_past_midnight_closes_the_next_day(system: Mamar) -> None:
    operation_with_parties(system)
    run(
        system,
        pause(daily={**DAILY, "opens": "20:00", "closes": "06:00", "last_day": "2016-12-14"}),
    )
    (only,) = windows(state(system, "ceasefire", "daily-pause"))
    assert only.ends_at.isoformat() == "2016-12-15T06:00:00+02:00"
