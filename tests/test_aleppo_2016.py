"""The built-in aleppo-2016 scenario replays the whole account and ends where the account ends."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from mamar import reads
from mamar.domain.errors import NotFound
from mamar.domain.model import Actor
from mamar.domain.text import as_text, said
from mamar.domain.time import utc_key
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
        "under_fire",
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
    # Said in Arabic, with the translation into English (the account's own words).
    assert "No guarantee of the vehicles' safety" in [
        said(r, "en").words for r in rejection["reasons"]
    ]
    assert "لا ضمانة لسلامة المركبات" in [said(r, "ar").words for r in rejection["reasons"]]
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
    assert revised.precision == "approximate"
    # The words of the account, in Arabic, with their English translation.
    assert _phrase(revised, "ar") == "بعد المغرب تقريباً"
    assert _phrase(revised, "en") == "after sunset, approximately"


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
    assert end["guarantee_outcomes"] == {"broken": 1, "honoured": 1, "pending": 1}
    assert end["evacuated"] == {"planned": 1150, "boarded": 1150, "arrived": 1150}
    # Nobody counted the first convoy of wounded: "not known", not 0 added.
    arrived = end["evacuated_figures"]["arrived"]
    assert (arrived["low"], arrived["known_high"], arrived["unknown"]) == (1150, 1150, 1)
    assert end["incidents"]["by_alleged_perpetrator"]["government-forces"] == 3
    # The sniper's victim, and the 15 December convoy's dead and injured (public reports).
    assert (end["incidents"]["killed"], end["incidents"]["injured"]) == (1, 5)
    assert end["incidents"]["by_humanitarian_impact"] == {"attack_on_convoy": 1}


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
    assert "handover" in said(position["bottom_line"], "en").words
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


def _events(system: Mamar, stream: str) -> list[Any]:
    with system.reading() as conn:
        return list(store.read_stream(conn, stream))


def _phrase(event: Any, lang: str) -> str | None:
    """The words said for an event's time, as a reader of ``lang`` reads them."""
    return said(as_text(event.phrase), lang).words if event.phrase is not None else None


def _position_of(system: Mamar, stream: str, type_name: str) -> int:
    return next(e.position for e in _events(system, stream) if e.type == type_name)


def test_the_first_ambulances_were_the_negotiators_sides(aleppo: Mamar) -> None:
    convoy = entity(aleppo, "convoy", "first-wounded")
    # Prepared by the negotiator's side (how many is not said) and recorded by its team;
    [vehicle] = convoy["vehicles"]
    assert (vehicle["count"], vehicle["party"]) == (None, "medical-staff")
    assert vehicle["kind"]["original"] == "سيارة إسعاف"
    assert vehicle["kind"]["translations"][0]["text"] == "ambulance"
    assert convoy["owner"] == "factions-team"
    planned = _events(aleppo, "convoy:first-wounded")
    assert all(e.actor == "coordinator" for e in planned if e.occurred_at < "2016-12-15")
    # the Red Crescent and Red Cross vehicles entered the next day.
    escorts = [e for e in planned if e.type == "convoy.escort_added"]
    assert [e.occurred_at[:10] for e in escorts] == ["2016-12-15", "2016-12-15"]


def test_the_initiative_is_presented_in_the_seven_oclock_call(aleppo: Mamar) -> None:
    held = _events(aleppo, "contact:call-with-general")[-1]
    tabled = _events(aleppo, "proposal:factions-initiative")[0]
    assert held.type == "contact.held" and tabled.type == "proposal.tabled"
    assert held.occurred_at.startswith("2016-12-12T19:00")
    assert tabled.occurred_at == held.occurred_at and tabled.position > held.position


def test_the_ceiling_is_built_after_the_consultations(aleppo: Mamar) -> None:
    negotiator = aleppo.actor("negotiator")
    stated = _events(aleppo, "position:factions-on-exit")[0]
    assert stated.type == "position.stated" and not stated.data.get("ceiling")
    with aleppo.reading() as conn:
        first = reads.get_entity(
            conn,
            viewer=negotiator,
            kind="position",
            entity_id="factions-on-exit",
            at_utc=utc_key(at("2016-12-12T12:00+02:00").at),
        )
    assert not first.get("ceiling")
    consulted = _position_of(aleppo, "contact:shuttle-consultations", "contact.logged")
    revised = _position_of(aleppo, "position:factions-on-exit", "position.revised")
    assert revised > consulted
    final = entity(aleppo, "position", "factions-on-exit", viewer=negotiator)
    assert "light weapons" in said(final["ceiling"], "en").words


def test_turkey_guarantees_the_renewed_agreement_and_is_party_to_the_calls(
    aleppo: Mamar,
) -> None:
    agreement = entity(aleppo, "agreement", "evacuation-agreement")
    first, renewed_version = agreement["versions"][0], agreement["versions"][1]
    # A role on the renewed version, not only a guarantee record beside it.
    assert first["guarantors"] == ["russian-military"]
    assert renewed_version["guarantors"] == ["russian-military", "turkey"]
    assert agreement["guarantors"] == ["russian-military", "turkey"]
    renewed = entity(aleppo, "guarantee", "turkey-guarantees-renewed-agreement")
    assert renewed["guarantor"] == "turkey"
    assert {"kind": "agreement", "id": "evacuation-agreement"} in renewed["subject"]
    for call in ("call-to-turkish-translator", "calls-for-new-ceasefire"):
        contact = entity(aleppo, "contact", call)
        assert {"kind": "party", "id": "turkey"} in contact["participants"], call


def test_the_15_december_convoy_came_under_fire(aleppo: Mamar) -> None:
    incident = entity(aleppo, "incident", "first-convoy-under-fire")
    assert incident["casualties"]["killed"]["total"] == 1
    assert incident["casualties"]["injured"]["total"] == 4
    assert incident["source"]["kind"] == "media" and incident["convoy"] == "first-wounded"
    history = entity(aleppo, "convoy", "first-wounded")["history"]
    fired_on = [h for h in history if h["status"] == "under_fire" and h["at"] >= "2016-12-15"]
    assert [h["incident"] for h in fired_on] == ["first-convoy-under-fire"]


def _control(aleppo: Mamar) -> Any:
    from mamar.access.viewer import viewer_of
    from mamar.geodata.service import GeoView

    with aleppo.reading() as conn:
        return GeoView.load(conn, viewer_of(aleppo.actor("coordinator"))).control_index()


JISR_AL_HAJJ = (37.154, 36.186)
SUKKARI = (37.152, 36.177)


def test_jisr_al_hajj_is_government_held_on_14_december(aleppo: Mamar) -> None:
    from mamar.geo.territory import who_controls

    index = _control(aleppo)
    on_14 = at("2016-12-14T19:00+02:00").at
    assert who_controls(JISR_AL_HAJJ, on_14, index) == ("government-forces",)
    assert who_controls(SUKKARI, on_14, index) == ("aleppo-factions",)


def test_control_changes_over_several_periods_before(aleppo: Mamar) -> None:
    from mamar.geo.territory import who_controls

    index = _control(aleppo)
    periods = sorted(
        (r.valid_from, r.valid_to) for r in index.records if r.party == "aleppo-factions"
    )
    assert len(periods) >= 3
    # One after the other, each ending where the next begins.
    assert all(a[1] == b[0] for a, b in pairwise(periods))
    assert who_controls(JISR_AL_HAJJ, at("2016-12-09T12:00+02:00").at, index) == (
        "aleppo-factions",
    )
    # Ramouseh-side of the old pocket, lost before the six neighbourhoods were left.
    assert who_controls((37.185, 36.205), at("2016-12-03T12:00+02:00").at, index) == (
        "aleppo-factions",
    )
    assert who_controls((37.185, 36.205), at("2016-12-10T12:00+02:00").at, index) == ()


def test_the_western_countryside_is_not_held_by_the_besieged_factions(aleppo: Mamar) -> None:
    area = entity(aleppo, "control_area", "western-countryside")
    assert area["party"] == "western-countryside-factions"
    party = entity(aleppo, "party", "western-countryside-factions")
    assert party["name"]["en"] == "Factions of the western Aleppo countryside"


def test_time_phrases_sit_on_the_events_they_describe(aleppo: Mamar) -> None:
    with aleppo.reading() as conn:
        events = list(store.read_all(conn))
    told = [e for e in events if e.type.split(".")[0] not in ("organisation", "account")]
    # Every event of the account says in words when it happened, or why its time is estimated.
    unsaid = [
        (e.type, e.entity_id)
        for e in told
        if e.phrase is None and not e.occurred_at.startswith("2016-12-01T08:00")
    ]
    assert unsaid == []
    for e in told:
        if "estimated" in (_phrase(e, "en") or ""):
            assert e.precision in ("approximate", "day"), (e.type, e.entity_id)
    # A command with its own time does not take the step's words: the postponement
    # "after long hours of waiting" is said of the call, not of the staging hours before.
    staged = next(
        e
        for e in _events(aleppo, "convoy:first-wounded")
        if e.type == "convoy.status_changed" and b'"staged"' in e.body
    )
    assert _phrase(staged, "en") != "after long hours of waiting"
    route_assigned = [
        e for e in _events(aleppo, "convoy:first-wounded") if e.type == "convoy.route_assigned"
    ]
    assert _phrase(route_assigned[1], "en") == "time estimated: the account gives none"
    assert _phrase(route_assigned[1], "ar") == "وقت تقديري: الرواية لا تذكر وقتاً"
    call = _events(aleppo, "contact:postponement-call")[0]
    assert _phrase(call, "en") == "after long hours of waiting"
    assert call.phrase["language"] == "ar"


def test_an_incidents_casualties_name_only_the_groups_counted(aleppo: Mamar) -> None:
    """The 15 December convoy's report gives totals alone (1 killed, 4 injured): the page
    says those, with no group left as a label without its number."""
    from tests.arabic_text import visible_text
    from tests.web_support import signed_in

    page = signed_in(aleppo, "icrc-delegate").get(
        "/ops/aleppo-2016/incidents/first-convoy-under-fire?lang=ar"
    )
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "القتلى: 1، الجرحى: 4" in text
    for group in ("أطفال", "عاملون في المجال الإنساني", "دفاع مدني", "كوادر طبية"):
        assert f"{group}:" not in text, group
