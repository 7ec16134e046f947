"""A convoy's vehicles and escorts as lists that grow, on the form planning it and on the form
adding to it: "add another" shows one more row and records nothing, a refused form comes back
with every row as typed and the reason beside the row's field, every row is recorded (and, on
the convoy's page, every row or none), and an escorting party is picked by its name."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from mamar.system import Mamar
from tests.test_web_movement import _forms_with_messages, _state
from tests.test_web_terms import _values
from tests.web_support import OP, Web, csrf, make_web

PLAN = f"/ops/{OP}/convoys"
GROW = "more_terms"


def _words(text: str, language: str = "ar") -> dict[str, Any]:
    return {"original": text, "language": language, "translations": []}


def _operations(system: Mamar) -> tuple[Web, TestClient, str]:
    """The web app, signed in as the operations officer, and the form token."""
    web = make_web(system)
    client = web.client("operations")
    return web, client, csrf(client)


def _form(page: str, action: str) -> str:
    """The form of ``page`` that posts to ``action``."""
    return page.split(f'<form method="post" action="{action}"', 1)[1].split("</form>", 1)[0]


def test_the_plan_forms_rows_grow_are_kept_when_refused_and_are_all_recorded(
    system: Mamar,
) -> None:
    web, client, token = _operations(system)
    page = client.get(f"{PLAN}?lang=ar").text
    assert 'name="vehicles.1.kind"' in page and 'name="vehicles.2.kind"' not in page
    assert 'name="escorts.0.party"' in page and 'name="escorts.1.party"' not in page
    # An escorting party is picked by its name, its identifier the option's value only.
    party = page.split('name="escorts.0.party"', 1)[1].split("</select>", 1)[0]
    assert 'value="sarc"' in party and "الهلال الأحمر العربي السوري" in party
    typed = {
        "name.ar": "قافلة الحافلات الخضراء",
        "vehicles.0.kind": "سيارات إسعاف",
        "vehicles.0.count": "٤",
        "vehicles.0.party": "sarc",
        "vehicles.1.kind": "حافلات",
        "vehicles.1.count": "20",
        "escorts.0.party": "sarc",
        "escorts.0.vehicles": "2",
    }
    size = web.journal_size()
    # "Add another vehicle", then "add another escort": the form again, as typed, one row
    # more each time; nothing recorded.
    grown = client.post(f"{PLAN}?lang=ar", data={**typed, "csrf": token, GROW: "vehicle"})
    assert grown.status_code == 200 and web.journal_size() == size
    assert 'name="vehicles.2.kind"' in grown.text and 'name="vehicles.3.kind"' not in grown.text
    kept = _values(grown.text)
    assert {k: kept[k] for k in typed} == typed
    kept["vehicles.2.kind"] = "سيارات خاصة"
    grown = client.post(f"{PLAN}?lang=ar", data={**kept, "csrf": token, GROW: "escort"})
    assert grown.status_code == 200 and web.journal_size() == size
    assert 'name="escorts.1.party"' in grown.text and 'name="vehicles.3.kind"' not in grown.text
    kept = _values(grown.text)
    assert kept["vehicles.2.kind"] == "سيارات خاصة" and kept["escorts.0.party"] == "sarc"
    # Refused: a number in words in the third vehicles row, an escort of no party. Each
    # reason beside its row's field, every row kept.
    kept |= {
        "vehicles.2.count": "ثلاثة",
        "escorts.1.vehicles": "1",
        "escorts.1.description": "دخلت سيارات الصليب الأحمر قبل القافلة",
    }
    refused = client.post(f"{PLAN}?lang=ar", data={**kept, "csrf": token})
    assert refused.status_code == 422 and web.journal_size() == size
    assert 'id="vehicles-2-count-error"' in refused.text
    assert 'id="escorts-1-party-error"' in refused.text
    again = _values(refused.text)
    assert all(again[k] == x for k, x in kept.items() if k != "csrf")
    # A row left empty is skipped: the command's second vehicles are said beside row 2.
    skipped = client.post(
        f"{PLAN}?lang=ar",
        data={**kept, "csrf": token, "vehicles.1.kind": "", "vehicles.1.count": ""}
        | {"vehicles.2.count": "0", "escorts.1.party": "icrc"},
    )
    assert skipped.status_code == 422 and web.journal_size() == size
    assert 'id="vehicles-2-count-error"' in skipped.text
    assert 'id="vehicles-1-count-error"' not in skipped.text
    # Every row recorded, in order; a number left out is not known (private cars).
    again |= {"vehicles.2.count": "", "escorts.1.party": "icrc"}
    planned = client.post(f"{PLAN}?lang=ar", data={**again, "csrf": token})
    assert planned.status_code == 303, planned.text[-3000:]
    state = _state(system, "convoy", planned.headers["location"].rsplit("/", 1)[1])
    assert state["vehicles"] == [
        {"kind": _words("سيارات إسعاف"), "count": 4, "party": "sarc"},
        {"kind": _words("حافلات"), "count": 20, "party": None},
        {"kind": _words("سيارات خاصة"), "count": None, "party": None},
    ]
    escorts = state["escorts"]
    assert isinstance(escorts, list)
    assert [(e["party"], e["vehicles"]) for e in escorts] == [("sarc", 2), ("icrc", 1)]
    assert escorts[1]["description"]["original"] == "دخلت سيارات الصليب الأحمر قبل القافلة"


def test_vehicles_and_escorts_are_added_to_a_convoy_every_row_or_none(system: Mamar) -> None:
    web, client, token = _operations(system)
    plan = client.post(
        PLAN, data={"csrf": token, "name.ar": "قافلة الجرحى الثانية", "vehicles.0.kind": "إسعاف"}
    )
    assert plan.status_code == 303, plan.text[-2000:]
    base = plan.headers["location"]
    convoy = base.rsplit("/", 1)[1]
    action = f"{base}/vehicles"
    form = _form(client.get(f"{base}?lang=ar").text, action)
    assert 'name="vehicles.0.kind"' in form and 'name="vehicles.1.kind"' not in form
    assert 'name="escorts.0.party"' in form and "الهلال الأحمر العربي السوري" in form
    size = web.journal_size()
    # Nothing typed: said, nothing recorded.
    empty = client.post(f"{action}?lang=ar", data={"csrf": token, "vehicles.0.kind": ""})
    assert empty.status_code == 422 and web.journal_size() == size
    assert "أدخل المركبات أو المرافقة المراد إضافتها" in _form(empty.text, action)
    # Rows added with the buttons, as typed.
    typed = {"vehicles.0.kind": "حافلات", "vehicles.0.count": "10", "escorts.0.party": "sarc"}
    for more in ("vehicle", "vehicle", "escort"):
        grown = client.post(f"{action}?lang=ar", data={**typed, "csrf": token, GROW: more})
        assert grown.status_code == 200 and web.journal_size() == size
        typed = _values(_form(grown.text, action))
    assert 'name="vehicles.2.kind"' in _form(grown.text, action)
    assert typed["vehicles.0.kind"] == "حافلات" and typed["escorts.0.party"] == "sarc"
    typed |= {
        "vehicles.1.kind": "سيارات إسعاف",
        "vehicles.1.count": "3",
        "vehicles.1.party": "icrc",
        "vehicles.2.kind": "شاحنة مياه",
        "vehicles.2.count": "-1",
        "escorts.1.party": "icrc",
        "escorts.1.vehicles": "2",
    }
    # A negative count: refused beside its row, no other row recorded, and no other form of
    # the page shows a message or the values typed.
    refused = client.post(f"{action}?lang=ar", data={**typed, "csrf": token})
    assert refused.status_code == 422 and web.journal_size() == size
    shown = _forms_with_messages(refused.text)
    assert shown["vehicles"] == 1 and shown["stops"] == shown["figures"] == shown["cargo"] == 0
    assert 'id="vehicles-2-count-error"' in refused.text
    assert _values(_form(refused.text, action)) == typed
    # A party that is none (sent by hand): refused by the last command, after the others
    # were decided; none of them is recorded.
    unknown = client.post(
        f"{action}?lang=ar",
        data={**typed, "csrf": token, "vehicles.2.count": "1", "escorts.1.party": "nobody"},
    )
    assert unknown.status_code == 422 and web.journal_size() == size
    assert 'id="escorts-1-party-error"' in unknown.text
    added = client.post(f"{action}?lang=ar", data={**typed, "csrf": token, "vehicles.2.count": ""})
    assert added.status_code == 303, added.text[-2000:]
    state = _state(system, "convoy", convoy)
    assert state["vehicles"] == [
        {"kind": _words("إسعاف"), "count": None, "party": None},
        {"kind": _words("حافلات"), "count": 10, "party": None},
        {"kind": _words("سيارات إسعاف"), "count": 3, "party": "icrc"},
        {"kind": _words("شاحنة مياه"), "count": None, "party": None},
    ]
    escorts = state["escorts"]
    assert isinstance(escorts, list)
    assert [(e["party"], e["vehicles"]) for e in escorts] == [("sarc", 0), ("icrc", 2)]
    page = client.get(f"{base}?lang=ar").text
    assert "شاحنة مياه" in page and "اللجنة الدولية للصليب الأحمر" in page
