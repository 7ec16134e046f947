"""Convoys as they move: stops and legs, figures as they are known, cargo, people who are
not evacuees, and fire wherever the convoy stands."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mamar import reads
from mamar.convoys.events import ConvoyStatus
from mamar.convoys.model import TRANSITIONS
from mamar.domain.figures import Certainty, Figure, combine, exact
from mamar.manifests.stops import stops_of
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.movement_builders import refused, run, setup, state, types_of

S = ConvoyStatus


def places(system: Mamar, *ids: str) -> None:
    for place in ids:
        run(
            system,
            "place.register",
            when="2016-12-12T09:00+02:00",
            id=place,
            operation="op",
            name={"en": place.title()},
            place_kind="neighbourhood",
        )


def world(system: Mamar) -> None:
    setup(system, "sarc")
    places(system, "town-a", "town-b", "screening", "holding", "camp", "crossing")


def plan(system: Mamar, convoy: str = "c1", **fields: Any) -> None:
    run(system, "convoy.plan", id=convoy, operation="op", name={"en": convoy}, **fields)


def overview(system: Mamar) -> dict[str, Any]:
    with system.reading() as conn:
        return reads.overview(conn, viewer=SYSTEM, operation="op")


# -- figures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "certainty", "low", "upper", "short"),
    [
        (500, Certainty.EXACT, 500, 500, "500"),
        ("~500", Certainty.APPROXIMATE, 500, 500, "~500"),
        (">300", Certainty.AT_LEAST, 300, None, ">300"),
        ("1,100-1,200", Certainty.RANGE, 1100, 1200, "1100-1200"),
        ("unknown", Certainty.UNKNOWN, None, None, "unknown"),
    ],
)
def test_a_figure_is_written_as_it_is_known(
    written: object, certainty: Certainty, low: int | None, upper: int | None, short: str
) -> None:
    figure = Figure.model_validate(written)
    assert (figure.certainty, figure.low, figure.upper, figure.short()) == (
        certainty,
        low,
        upper,
        short,
    )


@pytest.mark.parametrize(
    "bad",
    [
        "about five hundred",
        "~300-400",
        {"certainty": "range", "value": 500, "high": 400},
        {"certainty": "unknown", "value": 3},
        {"certainty": "exact"},
        {"certainty": "approximate", "value": 5, "high": 6},
        -3,
    ],
)
def test_a_figure_that_says_nothing_coherent_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        Figure.model_validate(bad)


def test_figures_add_up_to_a_range_and_unknown_is_not_zero() -> None:
    total = combine([[exact(100)], [Figure.model_validate("~50")], [Figure.model_validate(">10")]])
    assert (total.low, total.high, total.unknown, total.approximate) == (160, None, 0, True)
    total = combine(
        [
            [Figure(value=300, source="ICRC"), Figure(value=350, source="local council")],
            [exact(None)],
        ]
    )
    assert (total.low, total.high, total.unknown) == (300, None, 1)
    assert total.conflicting and [s.original for s in total.sources] == ["ICRC", "local council"]
    assert combine([[exact(5)], [exact(7)]]).exact


# -- stops and legs --------------------------------------------------------------------------


def test_stops_on_both_legs_with_arrival_and_departure_at_each(system: Mamar) -> None:
    world(system)
    plan(
        system,
        origin="town-a",
        destination="camp",
        stops=[
            {"place": "crossing", "kind": "transit", "leg": "in"},
            {"place": "town-a", "kind": "pickup"},
            {"place": "town-b", "kind": "pickup"},
            {"place": "screening", "kind": "screening"},
        ],
    )
    run(system, "convoy.add_stop", id="c1", stop={"place": "holding", "kind": "holding"})
    run(
        system,
        "convoy.reach_stop",
        id="c1",
        place="crossing",
        leg="in",
        when="2016-12-14T07:00+02:00",
    )
    run(
        system,
        "convoy.leave_stop",
        id="c1",
        place="crossing",
        leg="in",
        when="2016-12-14T07:20+02:00",
    )
    run(system, "convoy.reach_stop", id="c1", place="town-a", when="2016-12-14T08:00+02:00")
    run(system, "convoy.leave_stop", id="c1", place="town-a", when="2016-12-14T09:30+02:00")
    convoy = state(system, "convoy", "c1")
    assert [(s.place, s.kind.value, s.leg.value) for s in convoy.stops] == [
        ("crossing", "transit", "in"),
        ("town-a", "pickup", "out"),
        ("town-b", "pickup", "out"),
        ("screening", "screening", "out"),
        ("holding", "holding", "out"),
    ]
    assert convoy.stops[0].arrived_at.startswith("2016-12-14T07:00")
    assert convoy.stops[0].departed_at.startswith("2016-12-14T07:20")
    assert convoy.stops[1].departed_at.startswith("2016-12-14T09:30")
    assert convoy.stops[2].arrived_at is None
    # The manifests' stops are those of the way out, in order, between origin and destination.
    assert stops_of(convoy) == (
        "origin",
        "town-a",
        "town-b",
        "screening",
        "holding",
        "destination",
    )


def test_stops_are_checked(system: Mamar) -> None:
    world(system)
    plan(system, stops=[{"place": "town-a", "kind": "pickup"}])
    refused(
        system,
        "convoy.add_stop",
        code="stop_twice",
        id="c1",
        stop={"place": "town-a", "kind": "holding"},
    )
    refused(
        system,
        "convoy.add_stop",
        code="not_found",
        field="stops",
        id="c1",
        stop={"place": "nowhere", "kind": "holding"},
    )
    refused(
        system, "convoy.reach_stop", code="unknown_stop", field="place", id="c1", place="town-b"
    )
    refused(system, "convoy.leave_stop", code="stop_not_reached", id="c1", place="town-a")
    run(system, "convoy.reach_stop", id="c1", place="town-a")
    refused(system, "convoy.reach_stop", code="stop_already_reached", id="c1", place="town-a")
    # The same place may be a stop of the drive in and of the way out.
    run(
        system, "convoy.add_stop", id="c1", stop={"place": "town-a", "kind": "staging", "leg": "in"}
    )
    assert types_of(system, "convoy:c1")[-1] == "convoy.stop_added"


# -- counts per stop, figures from several sources --------------------------------------------


def test_counts_per_stop_are_kept_apart_and_added_up(system: Mamar) -> None:
    world(system)
    plan(
        system,
        stops=[
            {"place": "town-a", "kind": "pickup"},
            {"place": "town-b", "kind": "pickup"},
            {"place": "screening", "kind": "screening"},
        ],
    )
    for status in ("preparing", "departed"):
        run(system, "convoy.change_status", id="c1", status=status)
    run(system, "convoy.report_figure", id="c1", count="boarded", stop="town-a", figure=120)
    run(system, "convoy.report_figure", id="c1", count="boarded", stop="town-b", figure="~80")
    run(system, "convoy.report_figure", id="c1", count="stayed", stop="screening", figure=12)
    refused(
        system,
        "convoy.report_figure",
        code="not_a_pickup",
        id="c1",
        count="boarded",
        stop="screening",
        figure=3,
    )
    convoy = state(system, "convoy", "c1")
    assert [(f.count.value, f.stop, f.figure.short()) for f in convoy.figures] == [
        ("boarded", "town-a", "120"),
        ("boarded", "town-b", "~80"),
        ("stayed", "screening", "12"),
    ]
    boarded = overview(system)["evacuated_figures"]["boarded"]
    assert (boarded["low"], boarded["high"], boarded["approximate"]) == (200, 200, True)


def test_conflicting_figures_are_all_kept_and_shown_as_a_range(system: Mamar) -> None:
    world(system)
    plan(system, counts={"planned": 1000})
    for status in ("preparing", "departed", "arrived"):
        run(system, "convoy.change_status", id="c1", status=status)
    run(
        system,
        "convoy.report_figure",
        id="c1",
        count="arrived",
        figure={"value": 950, "source": "ICRC"},
    )
    run(
        system,
        "convoy.report_figure",
        id="c1",
        count="arrived",
        figure={"certainty": "range", "value": 900, "high": 1000, "source": "local council"},
    )
    data = overview(system)
    arrived = data["evacuated_figures"]["arrived"]
    assert (arrived["low"], arrived["high"], arrived["conflicting"]) == (900, 1000, True)
    # Each source kept with its language (plain words given now with no Arabic letter: not known).
    assert [(s["original"], s["language"]) for s in arrived["sources"]] == [
        ("ICRC", "und"),
        ("local council", "und"),
    ]
    assert data["evacuated"]["arrived"] == 900
    # Nobody said how many boarded although the convoy left: unknown, not 0.
    assert data["evacuated_figures"]["boarded"]["unknown"] == 1
    assert data["evacuated_figures"]["boarded"]["high"] is None


def test_a_missing_arrival_count_is_unknown_not_zero(system: Mamar) -> None:
    world(system)
    plan(system, "counted", counts={"planned": 40})
    plan(system, "uncounted", counts={"planned": 30})
    for convoy in ("counted", "uncounted"):
        for status in ("preparing", "departed", "arrived"):
            run(system, "convoy.change_status", id=convoy, status=status)
    run(system, "convoy.record_counts", id="counted", counts={"boarded": 38, "arrived": 38})
    data = overview(system)
    arrived = data["evacuated_figures"]["arrived"]
    assert (arrived["low"], arrived["high"], arrived["unknown"], arrived["exact"]) == (
        38,
        None,
        1,
        False,
    )
    # A convoy that has not arrived yet adds nothing to "arrived", rightly.
    plan(system, "later", counts={"planned": 5})
    assert overview(system)["evacuated_figures"]["arrived"]["unknown"] == 1


def test_private_cars_with_no_known_head_count(system: Mamar) -> None:
    world(system)
    plan(system, vehicles=[{"kind": "private cars"}], counts={})
    run(system, "convoy.report_figure", id="c1", count="planned", figure="unknown")
    convoy = state(system, "convoy", "c1")
    assert convoy.vehicles[0].count is None
    planned = overview(system)["evacuated_figures"]["planned"]
    assert (planned["low"], planned["unknown"], planned["high"]) == (0, 1, None)


def test_arrivals_wait_for_the_convoy_to_arrive(system: Mamar) -> None:
    world(system)
    plan(system)
    refused(system, "convoy.report_figure", code="not_arrived", id="c1", count="arrived", figure=3)


# -- who is carried -------------------------------------------------------------------------


def test_detainees_hostages_and_bodies_are_counted_apart_from_evacuees(system: Mamar) -> None:
    world(system)
    plan(system, "civilians", counts={"planned": 200})
    plan(system, "exchange", group="detainees", counts={"planned": 40})
    plan(system, "remains", group="bodies")
    run(system, "convoy.report_figure", id="remains", count="planned", figure="~15")
    run(system, "convoy.report_figure", id="civilians", count="planned", group="hostages", figure=3)
    data = overview(system)
    assert data["evacuated"]["planned"] == 200
    others = data["not_evacuees"]
    assert set(others) == {"detainees", "bodies", "hostages"}
    assert others["detainees"]["planned"]["low"] == 40
    assert others["bodies"]["planned"]["approximate"] is True
    assert others["hostages"]["planned"]["low"] == 3
    assert state(system, "convoy", "exchange").group.value == "detainees"


# -- cargo -----------------------------------------------------------------------------------


def test_cargo_delivered_kind_and_quantity(system: Mamar) -> None:
    world(system)
    plan(system, destination="camp", stops=[{"place": "holding", "kind": "holding"}])
    run(
        system,
        "convoy.record_cargo",
        id="c1",
        cargo={"kind": "flour", "quantity": "~20", "unit": "tonnes", "delivered_at": "camp"},
    )
    run(
        system,
        "convoy.record_cargo",
        id="c1",
        cargo={"kind": "medical kits", "quantity": 300, "delivered_at": "holding"},
    )
    refused(
        system,
        "convoy.record_cargo",
        code="unknown_stop",
        id="c1",
        cargo={"kind": "water", "quantity": 1, "delivered_at": "town-a"},
    )
    cargo = state(system, "convoy", "c1").cargo
    assert [(c.kind.original, c.quantity.short(), c.unit and c.unit.original) for c in cargo] == [
        ("flour", "~20", "tonnes"),
        ("medical kits", "300", None),
    ]


# -- fire wherever the convoy stands -----------------------------------------------------------


@pytest.mark.parametrize("where", [S.STAGED, S.LOADING, S.HALTED, S.PREPARING, S.DEPARTED])
def test_a_convoy_can_come_under_fire_or_be_attacked_wherever_it_stands(where: S) -> None:
    assert S.UNDER_FIRE in TRANSITIONS[where] and S.ATTACKED in TRANSITIONS[where]


def test_a_convoy_attacked_while_held_goes_on_or_is_called_off(system: Mamar) -> None:
    world(system)
    plan(system)
    for status in ("staged", "loading", "departed", "halted", "attacked", "halted", "cancelled"):
        run(system, "convoy.change_status", id="c1", status=status)
    history = [h.status.value for h in state(system, "convoy", "c1").history]
    assert history[-3:] == ["attacked", "halted", "cancelled"]


# -- what exports and reports read ------------------------------------------------------------


def test_exports_and_the_sitrep_read_the_new_shapes(system: Mamar) -> None:
    import csv
    import io

    import orjson

    from mamar.domain.time import now_utc
    from mamar.exchange.exports import make_export
    from mamar.reports.sitrep import Period, situation_report

    world(system)
    for party in ("army", "rebels"):
        run(
            system,
            "party.register",
            when="2016-12-12T09:00+02:00",
            id=party,
            operation="op",
            name={"en": party.title()},
            party_kind="armed_group",
        )
    run(
        system,
        "incident.report",
        id="blast",
        operation="op",
        visibility="shared",
        event_type="explosions_remote_violence",
        weapon="vehicle_borne_ied",
        description={"original": "A car bomb at the holding point", "language": "en"},
        source={"text": "media", "kind": "media"},
        place="holding",
        allegations=[
            {"party": "rebels", "confidence": "likely", "alleged_by": "army"},
            {"party": "army", "confidence": "possible", "alleged_by": "rebels"},
        ],
        humanitarian=["attack_on_convoy"],
    )
    plan(system, "buses", visibility="shared", counts={"planned": 100})
    plan(system, "swap", visibility="shared", group="detainees", counts={"planned": 20})
    run(system, "convoy.change_status", id="buses", status="preparing")
    run(system, "convoy.change_status", id="buses", status="departed")
    run(system, "convoy.report_figure", id="buses", count="boarded", figure="~90")

    def export(fmt: str, of: str = "incidents") -> bytes:
        return make_export(system, SYSTEM, fmt=fmt, operation="op", lang="en", of=of).content

    feature = next(
        f for f in orjson.loads(export("geojson"))["features"] if f["properties"]["id"] == "blast"
    )["properties"]
    assert [
        (a["name"], a["confidence"], a["alleged_by_name"]) for a in feature["alleged_perpetrators"]
    ] == [
        ("Rebels", "likely", "Army"),
        ("Army", "possible", "Rebels"),
    ]
    assert feature["humanitarian"] == ["attack_on_convoy"]
    acled_row = next(csv.DictReader(io.StringIO(export("acled").decode())))
    assert acled_row["actor1"] == "Rebels"
    assert "perpetrator confidence: likely" in acled_row["tags"]
    assert "also alleged: Army (possible, alleged by Rebels)" in acled_row["tags"]
    rows = list(csv.reader(io.StringIO(export("hxl", "convoys").decode())))
    tags, body = rows[1], rows[2:]
    by_id = {r[0]: dict(zip(tags, r, strict=True)) for r in body}
    assert by_id["buses"]["#targeted+ind"] == "100"
    assert by_id["buses"]["#reached+ind+boarded"] == "90"
    assert by_id["swap"]["#meta+group"] == "detainees"
    with system.reading() as conn:
        report = situation_report(conn, viewer=SYSTEM, operation="op", period=Period(now_utc()))
    assert report["convoys"]["totals"]["planned"] == 100  # the detainees are not evacuees
    listed = next(i for i in report["incidents"]["listed"] if i["id"] == "blast")
    assert (listed["alleged_perpetrator"], listed["also_alleged"]) == ("rebels", ["army"])
    buses = next(r for r in report["convoys"]["rows"] if r["id"] == "buses")
    assert buses["boarded"] == 90 and buses["approximate"] == ["boarded"]
