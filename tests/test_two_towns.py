"""The built-in two-towns scenario (invented): a simultaneous two-way evacuation that uses
every capability of issue 15's points 1-8 - roles, a unilateral declaration, parties
joining and leaving; phases, conditions, partial fulfilment, linked convoys; recurring and
overlapping ceasefire windows with violations per window; convoys with stops on two legs,
counts per stop, private cars, cargo, an attack at a holding point; figures as they are
known from sources that disagree; detainees and bodies counted apart; incidents with
mutual blame and humanitarian categories; positions per faction, proposals that became
terms, a mandate and a path of intermediaries. It replays on both engines (the ``system``
fixture is SQLite and PostgreSQL), and the read models and pages show all of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from mamar import reads
from mamar.accounts.credentials import set_password
from mamar.ceasefires.model import outside_windows, overlaps, windows
from mamar.domain.errors import NotFound
from mamar.domain.model import commands
from mamar.domain.text import said
from mamar.journal import store
from mamar.journal.verify import verify
from mamar.parties.refs import PartyOrPerson, WhoKind
from mamar.reads.negotiation import (
    combined_positions,
    convoys_waiting,
    negotiation_state,
    proposal_outcomes,
    reach_path,
)
from mamar.reads.overviews import overview
from mamar.scenarios import runner
from mamar.system import Mamar
from mamar.web.app import create_app
from tests.test_access_matrix import _kind, record_ids, routes
from tests.test_arabic_everywhere import ArabicPages
from tests.web_support import PASSWORD, signed_in

OP = "two-towns"


@pytest.fixture
def towns(system: Mamar) -> Iterator[Mamar]:
    runner.run(system, runner.load(OP))
    yield system


def entity(system: Mamar, kind: str, entity_id: str, viewer: str = "relief-officer") -> Any:
    with system.reading() as conn:
        return reads.get_entity(conn, viewer=system.actor(viewer), kind=kind, entity_id=entity_id)


def state(system: Mamar, kind: str, entity_id: str, viewer: str = "relief-officer") -> Any:
    with system.reading() as conn:
        return reads.get_state(conn, viewer=system.actor(viewer), kind=kind, entity_id=entity_id)


def test_replay_verifies_and_names_every_role(towns: Mamar) -> None:
    with towns.reading() as conn:
        assert verify(conn).ok
    agreement = entity(towns, "agreement", "two-way-agreement")
    assert agreement["brokers"] == ["state-of-belen"]
    assert agreement["facilitators"] == ["neutral-relief", "crescent-society"]
    assert agreement["observers"] == ["monitoring-mission"]
    assert agreement["guarantors"] == ["state-of-azra", "state-of-belen"]
    assert agreement["parties"] == ["valley-front-north", "eastern-command", "valley-front-hills"]
    first, second = agreement["versions"]
    assert first["parties"] == ["valley-front-north", "eastern-command", "nada-defence"]
    assert (second["joined"], second["left"]) == (["valley-front-hills"], ["nada-defence"])
    # Belen's guarantee was named while version 2 was current: it is version 2's.
    assert first["guarantors"] == ["state-of-azra"]
    assert second["guarantors"] == ["state-of-azra", "state-of-belen"]
    pause = entity(towns, "agreement", "eastern-pause")
    assert pause["declared_by"] == "eastern-command" and pause["parties"] == ["eastern-command"]


def test_phases_fulfilment_and_linked_convoys(towns: Mamar) -> None:
    agreement = state(towns, "agreement", "two-way-agreement")
    started = [(p.phase, p.status, p.condition_met) for p in agreement.phases]
    assert started == [(1, "started", None), (1, "completed", None), (2, "started", True)]
    released = agreement.fulfilment_of("detainees")
    assert (released.status, released.done, released.of) == ("fulfilled", 1500, 1500)
    first = next(r for r in agreement.fulfilment if r.term == "detainees")
    assert (first.status, first.done, first.of) == ("partial", 750, 1500)
    assert [(e.kind, e.id) for e in first.evidence] == [
        ("note", "release-handover-record"),
        ("convoy", "first-release"),
    ]
    nada = agreement.fulfilment_of("nada-wounded")
    assert (nada.done, nada.of) == (79, 80)
    civilians = agreement.fulfilment_of("qasr-civilians")
    assert (civilians.status, civilians.done, civilians.of) == ("partial", 880, None)
    assert {e.kind for e in civilians.evidence} == {"convoy", "incident"}
    assert agreement.phase_convoys == {
        "1": ("qasr-wounded-convoy", "nada-wounded-convoy", "first-release"),
        "2": ("qasr-civilians-convoy", "nada-cars-convoy", "bodies-return"),
    }
    bodies = next(t for t in agreement.terms if getattr(t, "key", None) == "bodies")
    assert bodies.condition is not None and bodies.condition.term == "qasr-civilians"
    with towns.reading() as conn:
        waits = convoys_waiting(conn, viewer=towns.actor("monitor"), operation=OP)
        seen = negotiation_state(conn, viewer=towns.actor("monitor"), operation=OP)
    assert {
        w["convoy"]: [(x["waits_for"], x["until"], x["link"], x["done"]) for x in w["waits"]]
        for w in waits
    } == {
        "qasr-wounded-convoy": [("nada-wounded-convoy", "staged", "simultaneous", True)],
        "nada-wounded-convoy": [("qasr-wounded-convoy", "staged", "simultaneous", True)],
        "first-release": [("qasr-wounded-convoy", "departed", "exchange", True)],
        "qasr-civilians-convoy": [("nada-cars-convoy", "departed", "simultaneous", True)],
        "bodies-return": [("qasr-civilians-convoy", "arrived", "exchange", True)],
    }
    # The private cars stopped waiting for the buses (held at Wadi Khan) and went.
    assert state(towns, "convoy", "nada-cars-convoy").waits_for == ()
    with towns.reading() as conn:
        ended = [
            e.data
            for e in store.read_all(conn)
            if e.stream == "convoy:nada-cars-convoy" and e.type == "convoy.wait_ended"
        ]
    assert [d["waits_for"] for d in ended] == ["qasr-civilians-convoy"]
    phases = next(a for a in seen["agreements"] if a["id"] == "two-way-agreement")["phases"]
    assert [(p["number"], p["status"], p["holds"]) for p in phases] == [
        (1, "completed", None),
        (2, "started", True),
    ]


def test_ceasefire_windows_as_declared(towns: Mamar) -> None:
    daily = state(towns, "ceasefire", "daily-pause")
    assert daily.declared_by == "eastern-command" and len(windows(daily)) == 5
    assert [w.violations for w in windows(daily)] == [1, 1, 0, 0, 0]
    assert outside_windows(daily) == 1
    assert [
        (w.starts_at.hour, w.ends_at.hour) for w in windows(daily) if w.starts_at and w.ends_at
    ] == [(8, 18)] * 5
    both = state(towns, "ceasefire", "two-towns-ceasefire")
    point = state(towns, "ceasefire", "exchange-point-truce")
    assert (both.starts_precision, both.ends_precision) == ("hour", "day")
    assert point.places == ("marj-zahir",) and overlaps(both, point)
    assert [w.violations for w in windows(point)] == [1]
    assert len(state(towns, "ceasefire", "two-towns-ceasefire").violations) == 1  # the car bomb


def test_convoys_as_they_move(towns: Mamar) -> None:
    buses = entity(towns, "convoy", "qasr-civilians-convoy", viewer="monitor")
    assert [(s["place"], s["kind"], s["leg"]) for s in buses["stops"]] == [
        ("marj-zahir", "transit", "in"),  # the drive in, empty
        ("qasr-square", "pickup", "out"),
        ("qasr-school", "pickup", "out"),
        ("marj-zahir", "screening", "out"),
        ("wadi-khan", "holding", "out"),
        ("ras-hadi", "destination", "out"),
    ]
    # Arrival and departure at every stop but the last, where it ends.
    assert all(s["arrived_at"] for s in buses["stops"])
    assert [bool(s["departed_at"]) for s in buses["stops"]] == [True] * 5 + [False]
    per_stop = {(f["count"], f["stop"]): f["figure"] for f in buses["figures"] if f["stop"]}
    assert per_stop[("boarded", "qasr-square")]["value"] == 640
    assert per_stop[("boarded", "qasr-school")]["certainty"] == "approximate"
    assert per_stop[("stayed", "marj-zahir")]["value"] == 12
    assert [
        (said(c["kind"], "en").words, c["quantity"]["certainty"], said(c["unit"], "en").words)
        for c in buses["cargo"]
    ] == [("flour", "approximate", "tonnes"), ("medical kits", "exact", "kits")]
    assert [(said(c["kind"], "ar").words, c["delivered_at"]) for c in buses["cargo"]] == [
        ("طحين", "qasr-square"),
        ("لوازم طبية", "qasr-square"),
    ]
    # Attacked while held at the holding point, then on its way again.
    hit = [(h["status"], h.get("place"), h.get("incident")) for h in buses["history"]]
    held = hit.index(("halted", "wadi-khan", None))
    assert hit[held + 1] == ("attacked", "wadi-khan", "wadi-khan-car-bomb")
    assert hit[-1][0] == "arrived"
    cars = entity(towns, "convoy", "nada-cars-convoy", viewer="monitor")
    [vehicle] = cars["vehicles"]
    assert (vehicle["count"], vehicle["party"]) == (None, None)  # how many is not known
    assert vehicle["kind"]["translations"][0]["text"] == "private cars"


def test_figures_as_known_and_people_who_are_not_evacuees(towns: Mamar) -> None:
    with towns.reading() as conn:
        seen = overview(conn, viewer=towns.actor("monitor"), operation=OP)
    arrived = seen["evacuated_figures"]["arrived"]
    # 118 + 79 wounded, 880-950 by two sources at Ras Hadi, and more than 300 in the cars.
    assert arrived["low"] == 118 + 79 + 880 + 300
    assert arrived["high"] is None  # "more than 300" has no upper bound
    assert arrived["conflicting"] and arrived["approximate"] and not arrived["exact"]
    assert {
        "Relief Committee count at Ras Hadi",
        "Ras Hadi reception centre",
        "Mission monitors at Bayt Sahl",
    } <= {said(x, "en").words for x in arrived["sources"]}  # each kept with its language
    # Nobody counted the cars' passengers: unknown, not 0.
    boarded = seen["evacuated_figures"]["boarded"]
    assert boarded["unknown"] == 1 and boarded["high"] is None
    assert boarded["low"] == 118 + 80 + 640 + 300
    planned = seen["evacuated_figures"]["planned"]
    assert (planned["low"], planned["unknown"]) == (120 + 80 + 1000 + 200, 1)
    # Detainees and bodies are counted apart, never among the evacuated.
    apart = seen["not_evacuees"]
    assert apart["detainees"]["arrived"]["low"] == 750 and apart["detainees"]["arrived"]["exact"]
    bodies = apart["bodies"]["arrived"]
    assert (bodies["low"], bodies["high"], bodies["conflicting"]) == (12, 14, True)
    assert {said(x, "en").words for x in bodies["sources"]} == {
        "Local Crescent Society",
        "Eastern Command",
    }
    assert {x["language"] for x in bodies["sources"]} == {"ar"}
    handed = entity(towns, "convoy", "first-release", viewer="monitor")["figures"]
    assert [(f["count"], f["group"], f["figure"]["value"]) for f in handed] == [
        ("handed_over", "detainees", 750)
    ]


def test_incidents_as_alleged(towns: Mamar) -> None:
    bomb = entity(towns, "incident", "wadi-khan-car-bomb", viewer="monitor")
    assert bomb["weapon"] == "vehicle_borne_ied" and bomb["convoy"] == "qasr-civilians-convoy"
    assert [(a["party"], a["alleged_by"]) for a in bomb["allegations"]] == [
        ("eastern-command", "valley-front-north"),
        ("valley-front-hills", "eastern-command"),
    ]
    assert bomb["humanitarian"] == ["attack_on_convoy", "attack_on_aid_workers"]
    killed, injured = bomb["casualties"]["killed"], bomb["casualties"]["injured"]
    assert (killed["total"], killed["children"], killed["breakdown"]["aid_workers"]) == (9, 3, 2)
    assert injured["breakdown"]["civil_defence"] == 1
    mortars = entity(towns, "incident", "pause-day-two-mortars", viewer="monitor")
    assert mortars["weapon"] == "mortar" and len(mortars["allegations"]) == 2
    stopped = entity(towns, "incident", "ambulance-stopped", viewer="monitor")
    assert stopped["humanitarian"] == ["denial_of_access", "detention_of_staff"]
    with towns.reading() as conn:
        incidents = overview(conn, viewer=towns.actor("monitor"), operation=OP)["incidents"]
    assert incidents["by_humanitarian_impact"] == {
        "attack_on_aid_workers": 1,
        "attack_on_convoy": 1,
        "denial_of_access": 1,
        "detention_of_staff": 1,
    }
    # Blamed on several parties: counted once under each one alleged.
    assert incidents["by_alleged_perpetrator"]["eastern-command"] == 2
    assert incidents["by_alleged_perpetrator"]["valley-front-hills"] == 3


def test_negotiation_in_depth(towns: Mamar) -> None:
    proposal = entity(towns, "proposal", "front-proposal")
    assert proposal["mandate"] == "relief-mandate" and proposal["status"] == "countered"
    negotiator = towns.actor("front-negotiator")
    with towns.reading() as conn:
        (combined,) = combined_positions(conn, viewer=negotiator, operation=OP)
        path = reach_path(
            conn,
            viewer=towns.actor("relief-officer"),
            operation=OP,
            start=PartyOrPerson(kind=WhoKind.PARTY, id="valley-front-north"),
            goal=PartyOrPerson(kind=WhoKind.PARTY, id="eastern-command"),
        )
    assert [t["who"] for t in combined["meet"]] == ["wounded"]
    assert [d["key"] for d in combined["differ"]] == ["evacuation:fighters"]
    assert path is not None
    assert [hop["channel"] for hop in path] == [
        "front-to-relief",
        "relief-to-azra",
        "azra-to-eastern",
    ]
    assert path[2]["last_worked"] == "2025-02-24T11:00:00+02:00"  # the call through Azra
    with towns.reading() as conn:
        became = proposal_outcomes(conn, viewer=towns.actor("monitor"), operation=OP)
    assert sorted(t["term"] for t in became["eastern-counter"]) == ["detainees", "qasr-wounded"]
    # The factions' positions are internal to their team: the Relief Committee sees none.
    with pytest.raises(NotFound):
        entity(towns, "position", "north-on-exit", viewer="relief-officer")


def _client(system: Mamar, username: str) -> Any:
    return signed_in(system, username)


#: Pages of two-towns, each by what it shows: a record's page, a view, a form (with what
#: the form is for).
_AGREEMENT = f"/ops/{OP}/agreements/two-way-agreement"
_BUSES = f"/ops/{OP}/convoys/qasr-civilians-convoy"
PAGES = {
    "agreement": _AGREEMENT,
    "pause": f"/ops/{OP}/agreements/eastern-pause",
    "daily": f"/ops/{OP}/ceasefires/daily-pause",
    "point": f"/ops/{OP}/ceasefires/exchange-point-truce",
    "negotiation": f"/ops/{OP}/negotiation?reach_from=party:valley-front-north"
    "&reach_to=party:eastern-command",
    "dashboard": f"/ops/{OP}/dashboard",
    "buses": _BUSES,
    "cars": f"/ops/{OP}/convoys/nada-cars-convoy",
    "bodies": f"/ops/{OP}/convoys/bodies-return",
    "bomb": f"/ops/{OP}/incidents/wadi-khan-car-bomb",
    "stopped": f"/ops/{OP}/incidents/ambulance-stopped",
    "mortars": f"/ops/{OP}/incidents/pause-day-two-mortars",
    "roles form": f"{_AGREEMENT}/roles",
    "phase form": f"{_AGREEMENT}/phase?phase=2",
    "fulfilment form": f"{_AGREEMENT}/fulfilment?term=bodies",
    "convoys form": f"{_AGREEMENT}/convoys?phase=2",
    "wait form": f"/ops/{OP}/convoys/hills-fighters-convoy/wait",
    "stop waiting form": f"{_BUSES}/stop-waiting",
}


def _in_arabic(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang=ar"


def test_pages_show_it_all_by_name_in_arabic_and_english(towns: Mamar) -> None:
    # The strict oracle of the Arabic-page test: only account names (and what its
    # REMAINING list says a page still shows unmarked) are taken out before the words of
    # a page are checked; a user's English words unmarked, or a raw id, are caught.
    oracle = ArabicPages.of(towns)
    relief = _client(towns, "relief-officer")
    operations = _client(towns, "relief-operations")
    shown = {}
    for name, path in PAGES.items():
        convoy_form = "/convoys/" in path and name.endswith("form")
        client, who = (
            (operations, "relief-operations") if convoy_form else (relief, "relief-officer")
        )
        response = client.get(_in_arabic(path))
        assert response.status_code == 200, (path, response.text[:300])
        text = oracle.read(path, response.text, who)
        for raw in ("state-of-belen", "eastern-command", "qasr-wounded-convoy", "relief-mandate"):
            assert raw not in text, (path, raw)
        shown[name] = text
    assert oracle.found == {}, oracle.report()
    assert "دولة بيلين" in shown["agreement"] and "الميسّرون" in shown["agreement"]
    # The agreement's forms are offered where they apply; the convoy says what it waits for.
    for offered in ("تسمية الأدوار", "تغيير حالة هذه المرحلة", "تكليف قوافل", "تسجيل مدى التنفيذ"):
        assert offered in shown["agreement"], offered
    assert "انتظار قافلة أخرى" in shown["buses"]
    assert "تنتظر أن تبلغ سيارات تل ندى الخاصة حالة «انطلقت»" in shown["buses"]
    assert "جانب القيادة الشرقية" not in shown["roles form"]  # sides are not parties
    assert "دولة أزرا" in shown["roles form"] and "مرج زاهر" not in shown["roles form"]
    assert "المرحلة 2" in shown["agreement"] and "عند وصول قوافل المرحلة 1" in shown["agreement"]
    assert "750 من 1,500" in shown["agreement"] or "1,500 من 1,500" in shown["agreement"]
    assert "أعلنه من جانب واحد" in shown["pause"] and "القيادة الشرقية" in shown["pause"]
    assert "الخروقات خارج ساعات المهلة" in shown["daily"] and "مهلة يوم" in shown["daily"]
    assert "يتداخل مع" in shown["point"]
    assert "دولة أزرا" in shown["negotiation"] and "آخر مرة عملت" in shown["negotiation"]
    assert "قوافل تنتظر غيرها" in shown["dashboard"] and "جرحى تل ندى" in shown["dashboard"]
    # Stops on two legs, counts per stop as said, cargo delivered at a stop.
    for words in ("طريق الدخول (القافلة فارغة)", "نقطة انتظار", "نحو 300", "من 880 إلى 900"):
        assert words in shown["buses"], words
    assert "بقوا في النقطة" in shown["buses"] and "سُلّمت في ساحة قصر أمل" in shown["buses"]
    assert "غير معروف" in shown["cars"] and "300 على الأقل" in shown["cars"]
    assert "الجثامين" in shown["bodies"] and "جمعية الهلال المحلية" in shown["bodies"]
    # Counted apart; conflicting sources make a range.
    assert "نُقلوا وليسوا ممّن يجري إجلاؤهم" in shown["dashboard"]
    assert (
        "من 12 إلى 14" in shown["dashboard"]
        and "احتجاز عاملين في المجال الإنساني" in shown["dashboard"]
    )
    # Mutual blame, who alleges it, casualties by group.
    assert "بحسب جبهة الوادي - الفصيل الشمالي" in shown["bomb"]
    assert "بحسب القيادة الشرقية" in shown["bomb"] and "سيارة مفخخة" in shown["bomb"]
    assert "عاملون في المجال الإنساني: 2" in shown["bomb"] and "دفاع مدني: 1" in shown["bomb"]
    assert "منع وصول المساعدات الإنسانية" in shown["stopped"]
    # Only the groups a report counts, each with its number (never a label left empty).
    assert "أطفال: 1" in shown["mortars"] and "عاملون في المجال الإنساني" not in shown["mortars"]
    empty = re.compile(
        r"(?:أطفال|عاملون في المجال الإنساني|دفاع مدني|كوادر طبية):\s*(?:·|،|$)", re.M
    )
    assert [name for name, text in shown.items() if empty.search(text)] == []
    english = relief.get(f"/ops/{OP}/agreements/two-way-agreement?lang=en").text
    assert "Facilitators" in english and "State of Belen" in english
    assert "partly carried out" in english or "carried out" in english
    assert "Phase 2" in english and "when the convoys of phase 1 have arrived" in english


#: Who reads every page: two roles of two organisations (the Valley Front's team, and the
#: Relief Committee that carries out the evacuation).
READERS = ("front-coordinator", "front-negotiator", "relief-officer", "relief-operations")


def _every_page(system: Mamar) -> list[str]:
    """Every GET page of the route table bound to two-towns: each record's own pages for
    every record of its kind (and a missing one), the general form of every command, and
    the pages above with their queries."""
    templates = [
        t
        for t in routes(create_app(system), "GET")
        if not t.startswith(("/api/", "/live", "/static"))
    ]
    ids = record_ids(system)
    paths: list[str] = []
    for template in templates:
        path = template.replace("{op}", OP)
        if "{command_name}" in path:
            paths += [path.replace("{command_name}", name) for name in sorted(commands())]
            continue
        kind = _kind(template)
        chosen = [] if kind is None else [*ids.get(kind, []), "no-such-record"]
        paths += [path.replace("{id}", i) for i in chosen] if chosen else [path]
    return list(dict.fromkeys([*paths, *PAGES.values()]))


def test_every_page_of_two_towns_in_arabic_shows_no_english_of_its_own(
    sqlite_system: Mamar,
) -> None:
    """The strict oracle of the Arabic-page test over every page of the second scenario,
    as two roles of two organisations: its texts and names are said in Arabic, or marked
    with their language."""
    runner.run(sqlite_system, runner.load(OP))
    oracle = ArabicPages.of(sqlite_system)
    paths = _every_page(sqlite_system)
    assert len(paths) > 100
    for username in READERS:
        client = _client(sqlite_system, username)
        for path in paths:
            response = client.get(_in_arabic(path))
            assert response.status_code < 500, (path, username, response.text[:300])
            if "text/html" in response.headers.get("content-type", ""):
                oracle.read(path, response.text, username)
    assert oracle.pages > 300
    assert oracle.found == {}, oracle.report()


def test_the_front_sees_its_combined_position_the_liaison_does_not(towns: Mamar) -> None:
    with towns.writing() as conn:
        for username in ("front-negotiator", "azra-liaison"):
            set_password(conn, username, PASSWORD)
    front = _client(towns, "front-negotiator").get(f"/ops/{OP}/negotiation?lang=en").text
    assert "Each side&#39;s combined position" in front or "Each side's combined position" in front
    assert "Where they differ:" in front
    liaison = _client(towns, "azra-liaison").get(f"/ops/{OP}/negotiation?lang=en").text
    assert "Where they differ:" not in liaison  # positions are the front's own records
    assert "Where the negotiation stands" in liaison
