"""The built-in aleppo-2016 scenario replays the whole account and ends where the account ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamar import reads
from mamar.domain.errors import NotFound
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.journal.verify import verify
from mamar.scenarios import runner
from mamar.system import Mamar
from tests.helpers import at


@pytest.fixture
def aleppo(system: Mamar) -> Iterator[Mamar]:
    runner.run(system, runner.load("aleppo-2016"))
    yield system


def entity(system: Mamar, kind: str, entity_id: str, viewer: Actor | None = None) -> dict[str, Any]:
    """A record as ``viewer`` sees it (default: the factions' coordinator)."""
    viewer = viewer or system.actor("coordinator")
    with system.reading() as conn:
        return reads.get_entity(conn, viewer=viewer, kind=kind, entity_id=entity_id)


def test_every_step_of_the_account_is_in_order() -> None:
    scenario = runner.load("aleppo-2016")
    labels = [step.step for step in scenario.steps]
    assert sorted(labels, key=lambda s: int(s[1:])) == [f"S{n}" for n in range(1, 31)]
    times = [step.at for step in scenario.steps]
    assert labels.index("S30") == len(labels) - 1
    assert times[-1] > times[0]


def test_replay_verifies_and_the_convoy_story_matches_the_account(aleppo: Mamar) -> None:
    with aleppo.reading() as conn:
        assert verify(conn).ok
    convoy = entity(aleppo, "convoy", "first-wounded")
    statuses = [h["status"] for h in convoy["history"]]
    assert statuses == [
        "planned",
        "preparing",
        "departed",
        "under_fire",
        "departed",
        "under_fire",
        "turned_back",
        "staged",
        "postponed",
        "departed",
        "arrived",
    ]
    staged = next(h for h in convoy["history"] if h["status"] == "staged")
    assert staged["place"] == "jisr-al-hajj-roundabout"
    assert [e["party"] for e in convoy["escorts"]] == ["sarc", "icrc"]
    assert (convoy["route"], convoy["route_version"]) == ("exit-route", 3)


def test_route_change_rejected_for_lack_of_guarantee(aleppo: Mamar) -> None:
    route = entity(aleppo, "route", "exit-route")
    assert route["current_version"] == 3
    v2 = route["versions"][1]
    assert [w["place"] for w in v2["waypoints"]][-2:] == ["layramoun-roundabout", "kafr-hamra"]
    rejection = route["rejections"][0]
    assert (rejection["version"], rejection["party"]) == (2, "aleppo-factions")
    assert "No guarantee of the vehicles' safety" in rejection["reasons"]
    assert {(a["version"], a["party"]) for a in route["approvals"]} >= {
        (1, "aleppo-factions"),
        (3, "aleppo-factions"),
        (3, "turkey"),
    }


def test_guarantees_agreement_versions_and_ceasefire(aleppo: Mamar) -> None:
    assert entity(aleppo, "guarantee", "turkey-safe-arrival")["outcome"] == "honoured"
    broken = entity(aleppo, "guarantee", "russia-ceasefire-continues")
    assert broken["outcome"] == "broken" and broken["incidents"] == ["shelling-after-midnight"]
    agreement = entity(aleppo, "agreement", "evacuation-agreement")
    assert agreement["current_version"] == 2
    assert agreement["versions"][1]["supersedes"] == 1
    evacuation = [
        t for t in agreement["terms"] if t["type"] == "evacuation" and t["who"] == "everyone"
    ]
    assert evacuation[0]["arms"] == "light"
    ceasefire = entity(aleppo, "ceasefire", "ceasefire-1")
    assert ceasefire["status"] == "restored" and ceasefire["agreement_version"] == 2
    assert [v["incident"] for v in ceasefire["violations"]] == [
        "ramouseh-gunfire",
        "shelling-after-midnight",
    ]


def test_incidents_including_the_own_sides_return_fire(aleppo: Mamar) -> None:
    sniper = entity(aleppo, "incident", "sniper-civil-defence-chief")
    assert sniper["weapon"] == "sniper" and sniper["convoy"] == "first-wounded"
    assert sniper["casualties"]["injured"]["breakdown"]["civil_defence"] == 1
    own = entity(aleppo, "incident", "return-fire")
    assert own["own_side"] is True and own["alleged_perpetrator"] == "aleppo-factions"


def test_imprecise_times_keep_their_precision_and_words(aleppo: Mamar) -> None:
    with aleppo.reading() as conn:
        revised = next(
            e for e in store.read_stream(conn, "route:exit-route") if e.type == "route.revised"
        )
    assert revised.occurred_at.startswith("2016-12-14T17:00") and revised.occurred_at.endswith(
        "+02:00"
    )
    assert (revised.precision, revised.phrase) == ("approximate", "after sunset, approximately")


def test_overview_at_moments_of_the_account(aleppo: Mamar) -> None:
    # As the operations room of the factions' team sees it (its own records and the shared).
    room = aleppo.actor("coordinator")
    with aleppo.reading() as conn:
        waiting = reads.overview(
            conn, viewer=room, operation="aleppo-2016", at=at("2016-12-14T20:00+02:00").at
        )
        shelling = reads.overview(
            conn, viewer=room, operation="aleppo-2016", at=at("2016-12-15T01:30+02:00").at
        )
        end = reads.overview(conn, viewer=room, operation="aleppo-2016")
    assert list(waiting["convoys_by_status"]) == ["staged"]
    assert waiting["ceasefires"][0]["status"] == "violated"
    assert shelling["ceasefires"][0]["status"] == "suspended"
    assert [e["id"] for e in shelling["open_escalations"]] == ["truce-broken-escalation"]
    assert shelling["guarantee_outcomes"] == {"broken": 1, "pending": 1}
    assert end["guarantee_outcomes"] == {"broken": 1, "honoured": 1}
    assert end["evacuated"] == {"planned": 1150, "boarded": 1150, "arrived": 1150}
    assert end["incidents"]["by_alleged_perpetrator"]["government-forces"] == 3
    assert end["incidents"]["injured"] == 1


def test_liaison_of_the_other_side_sees_shared_records_only(aleppo: Mamar) -> None:
    liaison = aleppo.actor("liaison-ru")
    assert liaison.role is Role.LIAISON
    with aleppo.reading() as conn:
        seen = reads.visible_states(conn, viewer=liaison, operation="aleppo-2016")
        events = list(reads.timeline(conn, viewer=liaison, operation="aleppo-2016"))
        overview = reads.overview(conn, viewer=liaison, operation="aleppo-2016")
        all_bodies = b"".join(e.body for e in store.read_all(conn))
    assert seen and all(s.visibility.value == "shared" for s in seen)
    assert {e.visibility for e in events} == {"shared"}
    kinds = {e.kind for e in events}
    assert "position" not in kinds and "person" not in kinds and "contact" not in kinds
    assert "aleppo-factions" not in overview["incidents"]["by_alleged_perpetrator"]
    convoy = entity(aleppo, "convoy", "first-wounded", viewer=liaison)
    assert "manifest" not in convoy
    # The vault's names never reach the journal at all.
    assert "هائل عاصي".encode() not in all_bodies


def test_negotiator_sees_the_bottom_line_operations_does_not(aleppo: Mamar) -> None:
    position = entity(aleppo, "position", "factions-on-exit", viewer=aleppo.actor("negotiator"))
    assert "handover" in position["bottom_line"]
    # The doctor of the same team sees the position, not its bottom line.
    hidden = entity(aleppo, "position", "factions-on-exit", viewer=aleppo.actor("medic"))
    assert "bottom_line" not in hidden and "red_lines" not in hidden
    # The Red Crescent does not see the factions' internal position at all.
    with pytest.raises(NotFound):
        entity(aleppo, "position", "factions-on-exit", viewer=aleppo.actor("operations"))


def test_states_handed_over_by_the_projector_equal_the_stored_ones(aleppo: Mamar) -> None:
    """Commands reuse the state the projector just wrote instead of parsing it again:
    it must be exactly what parsing the stored text gives."""
    from sqlalchemy import select

    from mamar.db.tables import entities
    from mamar.domain.model import aggregate_for
    from mamar.projections.entities import load_state

    with aleppo.reading() as conn:
        rows = conn.execute(select(entities.c.kind, entities.c.state)).all()
    assert len(rows) > 50
    for kind, text in rows:
        parsed = aggregate_for(kind).state_type.model_validate_json(text)
        assert load_state(kind, text) == parsed, kind
