"""Names, not ids: every field naming another record is picked by name, never typed.

The general record form is walked for every command it offers (to any role): each field
of the command's model that refers to a record (an id checked like ``Reference`` or
``EntityId``, a value naming its kind and id, or a list of either), and each such part of
a value given part by part (an escort's party), is a list to pick from. The references
are found by introspecting the models, so that a new command declaring one without
:class:`~mamar.domain.ids.RefersTo` fails here. Lists of values holding references (a
convoy's stops, a route's waypoints, an agreement's terms) are listed here, so that a new
one is noticed: each is asked for row by row, its references picked by name in each row,
or (terms, of many kinds) not asked for at all but its own page named and linked. No command's
form has anything to type as JSON: its only boxes are words, with their language beside.

Picking records the right ids; a refused form comes back with what was picked; only
records the viewer may see are offered. The convoy status form and the administration
page pick places, incidents, parties and accounts by name too.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from mamar import reads
from mamar.domain.ids import EntityId, Reference
from mamar.domain.model import Command, command_type, commands
from mamar.system import Mamar
from tests.arabic_text import offences, recorded_texts, visible_text
from tests.helpers import at
from tests.web_support import OP, PASSWORD, Web, csrf, make_web, signed_in

#: What makes a string a record's id (the validator of ``Reference``, the pattern of
#: ``EntityId``).
_ID_MARKS = (*get_args(Reference)[1:], *get_args(EntityId)[1:])
#: Who may record what: every role that has the general form.
_ROLES = ("coordinator", "admin", "operations", "negotiator", "medical", "monitor", "liaison")


def _unwrap(tp: Any) -> Any:
    """``X | None`` → ``X``."""
    if get_origin(tp) in (Union, types.UnionType):
        given = [a for a in get_args(tp) if a is not type(None)]
        if len(given) == 1:
            return _unwrap(given[0])
    return tp


def _names_a_record(tp: Any, metadata: tuple[Any, ...] = ()) -> bool:
    """An id of another record, or a value naming a record by its kind and id."""
    if any(m in _ID_MARKS for m in metadata):
        return True
    if get_origin(tp) is Annotated:
        inner, *marks = get_args(tp)
        return _names_a_record(inner, (*metadata, *marks))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {"kind", "id"} <= set(tp.model_fields)
    return False


def _holds_a_reference(tp: Any, metadata: tuple[Any, ...] = (), depth: int = 0) -> bool:
    if _names_a_record(tp, metadata):
        return True
    if get_origin(tp) is Annotated:
        inner, *marks = get_args(tp)
        return _holds_a_reference(inner, (*metadata, *marks), depth)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and depth < 5:
        return any(
            _holds_a_reference(f.annotation, tuple(f.metadata), depth + 1)
            for f in tp.model_fields.values()
        )
    return any(_holds_a_reference(a, (), depth) for a in get_args(tp))


#: Lists of values holding references: asked for row by row on the general form, or (terms)
#: on their own page (the negotiation's forms), which it links to.
ROWS = {
    ("agreement.adopt_version", "terms"),
    ("agreement.draft", "terms"),
    ("convoy.plan", "escorts"),
    ("convoy.plan", "stops"),
    ("convoy.plan", "vehicles"),
    ("incident.correct", "allegations"),
    ("incident.report", "allegations"),
    ("position.state", "terms"),
    ("proposal.table", "terms"),
    ("route.propose", "waypoints"),
    ("route.revise", "waypoints"),
}


def _reference_fields(command: type[Command]) -> dict[str, bool]:
    """The inputs of the general form for ``command`` that name records (``escort.party``
    for a part of a value) → whether several are named (a list)."""
    found: dict[str, bool] = {}
    for name, info in command.model_fields.items():
        if command.creates and name in ("id", "operation"):
            continue  # generated, or a new record's own name (an account's user name)
        found.update(_as_reference(name, info))
        tp = _unwrap(info.annotation)
        if isinstance(tp, type) and issubclass(tp, BaseModel) and name not in found:
            for part, inner in tp.model_fields.items():  # a value asked for part by part
                found.update(_as_reference(f"{name}.{part}", inner))
    return found


def _rows(command: type[Command]) -> set[tuple[str, str]]:
    """The lists of values holding references of ``command``."""
    found = set()
    for name, info in command.model_fields.items():
        tp = _unwrap(info.annotation)
        listed = get_args(tp)[0] if get_origin(tp) in (tuple, list) else None
        if listed and not _names_a_record(_unwrap(listed)) and _holds_a_reference(listed):
            found.add((command.command_name, name))
    return found


def _row_references(command: type[Command], name: str) -> list[str]:
    """The parts of an item of list ``name`` that name records (a stop's place)."""
    listed = _unwrap(get_args(_unwrap(command.model_fields[name].annotation))[0])
    if get_origin(listed) is Annotated:
        listed = get_args(listed)[0]
    return [
        part
        for part, info in listed.model_fields.items()
        if _holds_a_reference(info.annotation, tuple(info.metadata))
    ]


def _as_reference(name: str, info: FieldInfo) -> dict[str, bool]:
    tp = _unwrap(info.annotation)
    if _names_a_record(tp, tuple(info.metadata)):
        return {name: False}
    if get_origin(tp) in (tuple, list) and _names_a_record(_unwrap(get_args(tp)[0])):
        return {name: True}
    return {}


def _offered(web: Web) -> dict[str, TestClient]:
    """Every command the general form offers, with a client of a role it is offered to."""
    found: dict[str, TestClient] = {}
    for role in _ROLES:
        client = web.client(role)
        index = client.get(f"/ops/{OP}/record?format=json").json()
        for entry in index["commands"]:
            found.setdefault(entry["name"], client)
    return found


def _form_of(page: str, action: str) -> str:
    return page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]


def _tag(form: str, name: str) -> str | None:
    """The opening tag of the input named ``name`` (None: none)."""
    found = re.search(rf'<(?:input|textarea|select)\b[^>]*\bname="{re.escape(name)}"[^>]*>', form)
    return found.group(0) if found else None


def _picked(form: str, name: str) -> dict[str, str]:
    """The options of the list named ``name``: value → its words."""
    body = form.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', body))


def _selected(form: str, name: str) -> set[str]:
    body = form.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return set(re.findall(r'<option value="([^"]+)" selected', body))


#: An incident the ICRC keeps to itself.
_ICRC_OWN = {
    "id": "icrc-own-report",
    "visibility": "internal",
    "event_type": "explosions_remote_violence",
    "description": {"original": "قذيفة قرب مستودع اللجنة", "language": "ar"},
    "source": {"text": "مندوب اللجنة", "kind": "own_team"},
}


def _record(system: Mamar, kind: str, entity_id: str) -> dict[str, Any]:
    """A record as the coordinator sees it."""
    with system.reading() as conn:
        viewer = system.actor("coordinator")
        return reads.get_entity(conn, viewer=viewer, kind=kind, entity_id=entity_id)


def _recorded(client: TestClient, path: str, data: dict[str, Any]) -> str:
    """Posts the general form; the id of the record it went to."""
    response = client.post(path, data={"csrf": csrf(client), **data})
    assert response.status_code == 303, response.text[-2000:]
    location = str(response.headers["location"])
    if "/timeline?" in location:  # a record without a page of its own: its history
        return parse_qs(urlsplit(location).query)["entity"][0].rsplit(":", 1)[1]
    return unquote(urlsplit(location).path.rsplit("/", 1)[1])  # the record's own page


def _execute(system: Mamar, who: str, name: str, given: dict[str, Any]) -> None:
    command = command_type(name).model_validate({"operation": OP, **given})
    system.execute(command, actor=system.actor(who), occurred=at("2016-12-14T09:30+02:00"))


def test_no_reference_of_any_command_is_typed(system: Mamar) -> None:
    web = make_web(system)
    offered = _offered(web)
    assert len(offered) > 150
    checked = 0
    typed: list[tuple[str, str, str]] = []
    boxes: list[tuple[str, str]] = []
    elsewhere = set()
    unnamed: list[tuple[str, str]] = []
    users = recorded_texts(system)
    for name, client in sorted(offered.items()):
        action = f"/ops/{OP}/record/{name}"
        page = client.get(f"{action}?lang=ar")
        assert page.status_code == 200, (name, page.status_code)
        form = _form_of(page.text, action)
        for field, several in _reference_fields(commands()[name]).items():
            tag = _tag(form, field)
            assert tag is not None, (name, field)
            checked += 1
            if not tag.startswith("<select") or several != (" multiple" in tag):
                typed.append((name, field, tag))
        for _, field in _rows(commands()[name]):
            note = re.search(rf'<div class="field note" id="f-{field}">(.*?)</div>', form, re.S)
            if note:  # not asked for here: its own page, named and linked
                assert re.search(rf'<a href="/ops/{OP}/[a-z0-9/-]+">[^<a-z]+</a>', note[1]), note[1]
                elsewhere.add((name, field))
                continue
            for part in _row_references(commands()[name], field):
                tag = _tag(form, f"{field}.0.{part}")
                checked += 1
                if tag is None or not tag.startswith("<select"):
                    typed.append((name, f"{field}.0.{part}", str(tag)))
        # The only boxes to type in are words, each with its language beside it.
        for box in re.findall(r'<textarea[^>]*\bname="([^"]+)"', form):
            if _tag(form, f"{box}.language") is None:
                boxes.append((name, box))
        assert "JSON" not in page.text, name
        # Every field is named in Arabic (a name the catalogue lacks shows as written).
        unnamed += [(name, w) for w in offences(visible_text(f"<form x{form}"), users)]
    assert typed == []
    assert boxes == []
    assert unnamed == [], " ".join(sorted({f"{n}:{w}" for n, w in unnamed}))
    assert checked > 260
    assert set().union(*(_rows(commands()[name]) for name in offered)) == ROWS
    assert {f for _, f in elsewhere} == {"terms"}


def test_records_picked_on_the_general_form_are_recorded_by_id(system: Mamar) -> None:
    web = make_web(system)
    _execute(system, "icrc-delegate", "incident.report", _ICRC_OWN)
    client = web.client("coordinator")
    action = f"/ops/{OP}/record/escalation.raise"
    form = _form_of(client.get(f"{action}?lang=ar").text, action)
    # Only what the viewer may see is offered: not another organisation's own incident.
    assert "incident:icrc-own-report" not in _picked(form, "about")
    # Picked by name in the page's language: a party, a person, each listed with its kind
    # among several kinds, an incident by its short reference.
    assert _picked(form, "to_party")["russian-military"] == "القيادة العسكرية الروسية"
    assert "russian-translator" in _picked(form, "to_person")
    assert _picked(form, "via")["party:turkey"] == "طرف: الجانب التركي"
    incident = _picked(form, "about")["incident:ramouseh-gunfire"]
    assert incident.startswith("حادثة ") and "incident" not in incident
    picked = {
        "to_party": "russian-military",
        "to_person": "russian-translator",
        "via": ["party:turkey", "person:russian-translator"],
        "about": ["incident:ramouseh-gunfire", "convoy:first-wounded"],
        "message": "نطلب وقف إطلاق النار على طريق الراموسة",
    }
    state = _record(system, "escalation", _recorded(client, f"{action}?lang=ar", picked))
    assert (state["to_party"], state["to_person"]) == ("russian-military", "russian-translator")
    assert state["via"] == [
        {"kind": "party", "id": "turkey"},
        {"kind": "person", "id": "russian-translator"},
    ]
    assert state["about"] == [
        {"kind": "incident", "id": "ramouseh-gunfire"},
        {"kind": "convoy", "id": "first-wounded"},
    ]

    # A list of plain ids (the teams) and single places and a route.
    plan = f"/ops/{OP}/record/convoy.plan"
    chosen = {
        "origin": "ramouseh",
        "destination": "idlib",
        "route": "exit-route",
        "teams": ["sarc", "icrc"],
    }
    wrong = {"counts.planned": "كثيرون"}  # not a number
    refused = client.post(f"{plan}?lang=ar", data={"csrf": csrf(client), **wrong, **chosen})
    assert refused.status_code == 422
    again = _form_of(refused.text, plan)
    # Refused: every pick is still picked, the reason beside the field that was wrong.
    assert _selected(again, "origin") == {"ramouseh"}
    assert _selected(again, "destination") == {"idlib"}
    assert _selected(again, "route") == {"exit-route"}
    assert _selected(again, "teams") == {"sarc", "icrc"}
    assert 'id="counts-planned-error"' in again
    named = {"name.ar": "قافلة الاختبار", **chosen}
    state = _record(system, "convoy", _recorded(client, f"{plan}?lang=ar", named))
    assert (state["origin"], state["destination"], state["route"]) == (
        "ramouseh",
        "idlib",
        "exit-route",
    )
    assert sorted(state["teams"]) == ["icrc", "sarc"]

    # A value holding references, given part by part: each part picked by name.
    allege = f"/ops/{OP}/record/incident.add_allegation"
    form = _form_of(client.get(f"{allege}?lang=ar").text, allege)
    assert _picked(form, "allegation.party")["turkey"] == "الجانب التركي"
    parts = {
        "id": "ramouseh-gunfire",
        "allegation.party": "turkey",
        "allegation.alleged_by": "russian-military",
        "allegation.confidence": "possible",
    }
    state = _record(system, "incident", _recorded(client, allege, parts))
    alleged = {(a["party"], a.get("alleged_by")) for a in state["allegations"]}
    assert ("turkey", "russian-military") in alleged


def test_the_convoy_status_form_picks_a_place_and_an_incident_by_name(system: Mamar) -> None:
    web = make_web(system)
    # A convoy everyone sees, and an incident the ICRC keeps to itself.
    _execute(system, "operations", "convoy.plan", {
        "id": "next-convoy", "visibility": "shared", "name": {"ar": "القافلة التالية"},
    })  # fmt: skip
    hidden = "icrc-own-report"
    _execute(system, "icrc-delegate", "incident.report", _ICRC_OWN)
    client = web.client("operations")  # the Red Crescent's: the ICRC's incident is not its
    path = f"/ops/{OP}/convoys/next-convoy"
    form = _form_of(client.get(f"{path}?lang=ar").text, f"{path}/status")
    assert (_tag(form, "place") or "").startswith("<select")
    assert (_tag(form, "incident") or "").startswith("<select")
    assert _picked(form, "place")["ramouseh"] == "الراموسة"
    incidents = _picked(form, "incident")
    assert re.fullmatch(r"حادثة [0-9٠-٩]+ — .+", incidents["ramouseh-gunfire"])
    assert hidden not in incidents
    # The ICRC's delegate sees its own incident there.
    icrc = signed_in(system, "icrc-delegate")
    assert hidden in _picked(
        _form_of(icrc.get(f"{path}?lang=ar").text, f"{path}/status"), "incident"
    )

    picked = {"place": "ramouseh", "incident": "ramouseh-gunfire"}
    # A status the convoy cannot take: refused, the place and incident still picked.
    refused = client.post(
        f"{path}/status?lang=ar", data={"csrf": csrf(client), "status": "arrived", **picked}
    )
    assert refused.status_code == 422
    again = _form_of(refused.text, f"{path}/status")
    assert _selected(again, "place") == {"ramouseh"}
    assert _selected(again, "incident") == {"ramouseh-gunfire"}
    response = client.post(
        f"{path}/status", data={"csrf": csrf(client), "status": "postponed", **picked}
    )
    assert response.status_code == 303, response.text[-2000:]
    with system.reading() as conn:
        last = [
            e
            for e in reads.timeline(
                conn, viewer=system.actor("operations"), entity="convoy:next-convoy"
            )
        ][-1]
    assert last.type == "convoy.status_changed"
    assert (last.data["place"], last.data["incident"]) == ("ramouseh", "ramouseh-gunfire")


def test_the_administration_picks_a_party_and_an_account_by_name(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("admin")
    page = client.get("/admin?lang=ar").text
    accounts = _form_of(page, "/admin/accounts")
    assert (_tag(accounts, "party") or "").startswith("<select")
    assert _picked(accounts, "party")["sarc"] == "الهلال الأحمر العربي السوري"
    tokens = _form_of(page, "/admin/tokens")
    assert (_tag(tokens, "token_username") or "").startswith("<select")
    assert _picked(tokens, "token_username")["medic"] == "طبيب المشفى الميداني"

    typed = {
        "csrf": csrf(client),
        "display_name": "مسعف جديد",
        "role": "medical",
        "password": PASSWORD,
    }
    refused = client.post("/admin/accounts?lang=ar", data={**typed, "party": "sarc"})
    assert refused.status_code == 422  # no user name
    assert _selected(_form_of(refused.text, "/admin/accounts"), "party") == {"sarc"}
    response = client.post(
        "/admin/accounts", data={**typed, "username": "new-medic", "party": "sarc"}
    )
    assert response.status_code == 303, response.text[-2000:]
    with system.reading() as conn:
        account = reads.get_entity(
            conn, viewer=system.actor("admin"), kind="account", entity_id="new-medic"
        )
    assert account["party"] == "sarc"


def test_a_list_of_values_grows_row_by_row_on_the_general_form(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    plan = f"/ops/{OP}/record/convoy.plan"
    form = _form_of(client.get(f"{plan}?lang=ar").text, plan)
    # A stop's place is picked by name; one row to start with; no JSON anywhere.
    assert _picked(form, "stops.0.place")["ramouseh"] == "الراموسة"
    assert _tag(form, "stops.1.place") is None
    assert "JSON" not in form
    named = {"name.ar": "قافلة الاختبار", "stops.0.place": "ramouseh", "stops.0.kind": "pickup"}
    # "Add another" (no JavaScript): the form again, as typed, one row more, nothing recorded.
    grown = client.post(
        f"{plan}?lang=ar", data={"csrf": csrf(client), "more_terms": "stops", **named}
    )
    assert grown.status_code == 200
    again = _form_of(grown.text, plan)
    assert _selected(again, "stops.0.place") == {"ramouseh"}
    assert _selected(again, "stops.0.kind") == {"pickup"}
    assert _tag(again, "stops.1.place") is not None
    with system.reading() as conn:
        planned = reads.list_entities(
            conn, viewer=system.actor("coordinator"), operation=OP, kind="convoy", limit=500
        )
    assert not [c for c in planned if c.get("name", {}).get("ar") == "قافلة الاختبار"]
    # A row left empty is skipped; a row's problem is said beside that row, every row kept.
    rows = {**named, "stops.2.place": "idlib"}  # no kind for the stop at Idlib
    refused = client.post(f"{plan}?lang=ar", data={"csrf": csrf(client), **rows})
    assert refused.status_code == 422
    again = _form_of(refused.text, plan)
    assert _selected(again, "stops.2.place") == {"idlib"}
    assert 'id="stops-2-kind-error"' in again, again[-3000:]
    assert 'id="stops-0-kind-error"' not in again
    given = {**rows, "stops.2.kind": "destination", "stops.2.leg": "out"}
    state = _record(system, "convoy", _recorded(client, f"{plan}?lang=ar", given))
    assert [(s["place"], s["kind"]) for s in state["stops"]] == [
        ("ramouseh", "pickup"),
        ("idlib", "destination"),
    ]
    assert state["name"]["ar"] == "قافلة الاختبار"

    # Alleged perpetrators, row by row, each party picked by name.
    report = f"/ops/{OP}/record/incident.report"
    form = _form_of(client.get(f"{report}?lang=ar").text, report)
    assert _picked(form, "allegations.0.party")["turkey"] == "الجانب التركي"
    # A list a page of its own asks for better: named and linked, nothing to type here.
    draft = f"/ops/{OP}/record/agreement.draft"
    form = _form_of(client.get(f"{draft}?lang=ar").text, draft)
    assert f'<a href="/ops/{OP}/negotiation">التفاوض</a>' in form
    assert _tag(form, "terms") is None


def test_a_line_is_given_point_by_point_on_the_general_form(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    action = f"/ops/{OP}/record/front_line.record"
    form = _form_of(client.get(f"{action}?lang=ar").text, action)
    # Two points to start with, typed as latitude,longitude; its name in Arabic or English.
    assert _tag(form, "line.1.point") is not None and _tag(form, "line.2.point") is None
    assert _tag(form, "name.ar") is not None and "JSON" not in form
    typed = {
        "name.ar": "خط التماس الشرقي",
        "line.0.point": "36.20,37.15",
        "line.1.point": "٣٦.٢١,٣٧.١٦",  # Arabic-Indic digits too
        "line.3.point": "شمال المدينة",  # row 2 left empty, row 3 not a point
        "valid_from": "2016-12-15 10:00",
        "source": "مراقب ميداني",
        "confidence": "medium",
    }
    refused = client.post(f"{action}?lang=ar", data={"csrf": csrf(client), **typed})
    assert refused.status_code == 422
    again = _form_of(refused.text, action)
    assert 'id="line-3-point-error"' in again
    assert 'value="شمال المدينة"' in again
    state = _record(
        system,
        "front_line",
        _recorded(client, action, {**typed, "line.3.point": "36.22,37.17"}),
    )
    assert state["line"]["coordinates"] == [[37.15, 36.2], [37.16, 36.21], [37.17, 36.22]]
    assert state["name"]["ar"] == "خط التماس الشرقي"


def test_every_command_has_words_of_its_own() -> None:
    """No command of the general form is titled by the words for any other record."""
    from mamar.web.pages._commandwords import ACTIONS, KINDS

    unnamed = [
        name
        for name in commands()
        if name.partition(".")[0] not in KINDS or name.partition(".")[2] not in ACTIONS
    ]
    assert unnamed == []


def test_a_field_the_general_form_cannot_ask_for_is_refused_not_shown_as_json() -> None:
    """Every command's form is made of fields a person fills in; a command with a value of
    a new shape (here a mapping of lists) is our mistake, refused when its form is made."""
    from mamar.web.pages.record import Unaskable, _fields

    for command in commands().values():
        _fields(command)  # raises for any field of any command the form cannot ask for

    class Odd(Command):
        command_name: ClassVar[str] = "odd.do"
        kind: ClassVar[str] = "odd"
        table: dict[str, list[int]]

    with pytest.raises(Unaskable, match=r"odd\.do: table"):
        _fields(Odd)
