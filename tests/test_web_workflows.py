"""Workflow forms: each posts, redirects and records its event; bad input changes nothing."""

from __future__ import annotations

import re
from typing import Any

from mamar import reads
from mamar.journal import store
from mamar.system import Mamar
from mamar.web.pages import _waypoints as waypoints
from mamar.web.render import called_text
from tests.web_support import OP, Web, csrf, make_web


def _types_after(web: Web, before: int) -> list[str]:
    """Every organisation's events after ``before``, read from the journal itself."""
    with web.system.reading() as conn:
        return [e.type for e in store.read_all(conn, after=before)]


def _head(web: Web) -> int:
    with web.system.reading() as conn:
        return store.head(conn)[0]


def _post(web: Web, role: str, path: str, form: dict[str, Any], lang: str = "en") -> Any:
    client = web.client(role)
    sep = "&" if "?" in path else "?"
    return client.post(f"{path}{sep}lang={lang}", data={"csrf": csrf(client), **form})


#: The generated id of each record the tests create, by the name the test gives it
#: (as "id" in its form: no page asks for an id, and one slipped in is not used).
IDS: dict[str, str] = {}


def _records(web: Web, role: str, path: str, form: dict[str, Any], event: str) -> str:
    """Posts the form, checks the redirect and that exactly the expected event was recorded."""
    head, size = _head(web), web.journal_size()
    response = _post(web, role, path, form)
    assert response.status_code == 303, response.text[:2000]
    assert event in _types_after(web, head), _types_after(web, head)
    assert web.journal_size() > size
    if "id" in form:
        with web.system.reading() as conn:
            stream = next(e.stream for e in store.read_all(conn, after=head) if e.type == event)
        IDS[form["id"]] = stream.partition(":")[2]
    return str(response.headers["location"])


def _refused(
    web: Web, role: str, path: str, form: dict[str, Any], field: str, status: int = 422
) -> None:
    """Bad input: 422 (403 for a permission) in both languages, the form again with the
    message by its field, nothing recorded."""
    size = web.journal_size()
    for lang in ("ar", "en"):
        response = _post(web, role, path, form, lang)
        assert response.status_code == status, response.text[:2000]
        marker = (
            '<p class="error" role="alert">'
            if field == "_general"
            else f'id="{field.replace(".", "-")}-error"'
        )
        assert marker in response.text, response.text[-3000:]
        assert f'lang="{lang}"' in response.text
    assert web.journal_size() == size


def test_log_a_contact_through_an_intermediary(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    page = client.get(f"/ops/{OP}/contacts/log?lang=ar")
    assert page.status_code == 200 and 'name="via"' in page.text
    # Without JavaScript the page's own hidden field carries the CSRF token.
    assert page.text.count(f'name="csrf" value="{csrf(client)}"') == 2
    form = {
        "id": "call-through-sarc",
        "direction": "outbound",
        "medium": "phone",
        "source": "party:aleppo-factions",
        "target": "party:russian-military",
        "via": ["person:sarc-official", "party:turkey"],
        "summary": "طلبنا وقف إطلاق النار لإخراج الجرحى",
        "summary.translation": "We asked for a ceasefire to evacuate the wounded",
        "offers": "هدنة لمدة ست ساعات\nتسليم الأسرى",
        "offers.language": "ar",
    }
    location = _records(web, "negotiator", f"/ops/{OP}/contacts/log", form, "contact.logged")
    assert location == f"/ops/{OP}/contacts"
    with system.reading() as conn:
        state = reads.get_entity(
            conn,
            viewer=system.actor("negotiator"),
            kind="contact",
            entity_id=IDS["call-through-sarc"],
        )
    assert [w["id"] for w in state["via"]] == ["sarc-official", "turkey"]
    assert state["summary"]["translations"][0]["text"].startswith("We asked")
    assert [o["original"] for o in state["offers"]] == ["هدنة لمدة ست ساعات", "تسليم الأسرى"]
    assert {o["language"] for o in state["offers"]} == {"ar"}
    _refused(
        web,
        "negotiator",
        f"/ops/{OP}/contacts/log",
        {**form, "id": "x2", "target": "party:nobody"},
        "target",
    )


def test_proposal_with_terms_its_rejection_and_a_counter(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}"
    proposal = {
        "id": "web-initiative",
        "visibility": "shared",
        "from_party": "aleppo-factions",
        "to_party": "russian-military",
        "via_parties": ["turkey"],
        "issues": ["terms-of-exit"],
        "text": "خروج المدنيين والجرحى",
        "term.evacuation.0.who": "wounded",
        "term.evacuation.0.arms": "none",
        "term.evacuation.0.belongings": "personal belongings",
        "term.non_detention.0.beneficiaries": "civilians",
        "term.non_detention.0.exception": "those involved in blood",
        "term.ceasefire.0.area": "east Aleppo",
    }
    _records(web, "negotiator", f"{base}/negotiation/propose", proposal, "proposal.tabled")
    with system.reading() as conn:
        state = reads.get_entity(
            conn,
            viewer=system.actor("negotiator"),
            kind="proposal",
            entity_id=IDS["web-initiative"],
        )
    kinds = {t["type"]: t for t in state["terms"]}
    assert set(kinds) == {"ceasefire", "evacuation", "non_detention"}
    # Typed on a page in English: kept as said in it (its language is the page's).
    assert kinds["non_detention"]["exception"] == {
        "original": "those involved in blood",
        "language": "en",
        "translations": [],
    }
    _refused(
        web,
        "negotiator",
        f"{base}/negotiation/propose",
        {**proposal, "id": "p2", "term.evacuation.0.who": "aliens"},
        "term.evacuation.0.who",  # said beside the term's own field
    )
    # A counter-proposal, then the answer "countered" naming it.
    counter = {
        "id": "web-counter",
        "visibility": "shared",
        "from_party": "russian-military",
        "to_party": "aleppo-factions",
        "counter_to": IDS["web-initiative"],
        "term.other.0.text": "خروج المقاتلين بسلاحهم الفردي",
    }
    _records(web, "negotiator", f"{base}/negotiation/propose", counter, "proposal.tabled")
    answer = f"{base}/proposals/{IDS['web-initiative']}/answer"
    assert IDS["web-counter"] in web.client("negotiator").get(answer).text
    _refused(web, "negotiator", answer, {"outcome": "countered"}, "counter")
    _records(
        web,
        "negotiator",
        answer,
        {"outcome": "countered", "counter": IDS["web-counter"]},
        "proposal.responded",
    )
    # The counter is rejected with reasons, by the liaison of the party it was addressed to? No:
    # the Russian liaison may answer only proposals addressed to Russia.
    size = web.journal_size()
    liaison = _post(
        web, "liaison", f"{base}/proposals/{IDS['web-counter']}/answer", {"outcome": "rejected"}
    )
    assert liaison.status_code in (403, 404, 422) and web.journal_size() == size
    _records(
        web,
        "negotiator",
        f"{base}/proposals/{IDS['web-counter']}/answer",
        {"outcome": "rejected", "reasons": "لا خروج بالسلاح"},
        "proposal.responded",
    )


def test_bottom_line_fields_only_for_the_negotiation_compartment(system: Mamar) -> None:
    web = make_web(system)
    path = f"/ops/{OP}/negotiation/position"
    assert 'name="bottom_line"' in web.client("negotiator").get(path).text
    assert 'name="bottom_line"' not in web.client("operations").get(path).text
    twin = web.client("operations").get(f"{path}?format=json").text
    assert "bottom_line" not in twin and "red_lines" not in twin
    assert web.client("liaison").get(path).status_code == 403
    form = {
        "id": "web-position",
        "party": "russian-military",
        "issue": "fate-of-the-city",
        "stance": "الخروج الكامل",
        "bottom_line": "exit of the wounded first",
        "red_lines": "no arms\nno foreign fighters",
        "bottom_line_note": "ملاحظة المفاوض",
        "bottom_line_note.language": "ar",
    }
    _records(web, "negotiator", path, form, "position.bottom_line_set")
    with system.reading() as conn:
        state = reads.get_entity(
            conn, viewer=system.actor("negotiator"), kind="position", entity_id=IDS["web-position"]
        )
    # Each line typed on the English page, kept with its language.
    assert state["red_lines"] == [
        {"original": line, "language": "en", "translations": []}
        for line in ("no arms", "no foreign fighters")
    ]
    # The note on it, in Arabic as chosen beside it on the English page.
    assert state["bottom_line_history"][-1]["note"] == {
        "original": "ملاحظة المفاوض",
        "language": "ar",
        "translations": [],
    }
    # From an operations account the same post records the stance only.
    _records(web, "operations", path, {**form, "id": "web-position-2"}, "position.stated")
    revise = f"/ops/{OP}/positions/{IDS['web-position']}/revise"
    assert 'name="ceiling"' not in web.client("operations").get(revise).text
    _records(
        web,
        "negotiator",
        revise,
        {"stance": "خروج على مراحل", "note": "بعد الاجتماع"},
        "position.revised",
    )
    _refused(web, "negotiator", revise, {"note": "a note without a stance"}, "stance")


def test_raise_issue_draft_conclude_and_adopt_an_agreement(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}"
    _records(
        web,
        "negotiator",
        f"{base}/negotiation/issue",
        {
            "id": "web-issue",
            "title.ar": "مصير الجرحى",
            "visibility": "shared",
            "description": "Who treats the wounded",
            "description.language": "en",
        },
        "issue.raised",
    )
    with web.system.reading() as conn:  # typed in English beside the select: kept so
        issue = reads.get_entity(
            conn, viewer=web.system.actor("negotiator"), kind="issue", entity_id=IDS["web-issue"]
        )
    assert issue["description"] == {
        "original": "Who treats the wounded",
        "language": "en",
        "translations": [],
    }
    _refused(web, "negotiator", f"{base}/negotiation/issue", {"id": "web-issue-2"}, "title")
    draft = {
        "id": "web-agreement",
        "title.en": "Exit of the wounded",
        "parties": ["aleppo-factions", "russian-military"],
        "guarantors": ["turkey"],
        "issues": [IDS["web-issue"]],
        "term.evacuation.0.who": "wounded",
    }
    location = _records(
        web, "negotiator", f"{base}/negotiation/agreement", draft, "agreement.drafted"
    )
    assert location == f"{base}/agreements/{IDS['web-agreement']}"
    _refused(
        web,
        "negotiator",
        f"{base}/negotiation/agreement",
        {**draft, "id": "a2", "parties": ["turkey"]},
        "parties",
    )
    _records(
        web,
        "negotiator",
        f"{base}/agreements/{IDS['web-agreement']}/conclude",
        {"status": "in_force"},
        "agreement.concluded",
    )
    adopt = f"{base}/agreements/{IDS['web-agreement']}/adopt"
    page = web.client("negotiator").get(adopt).text
    assert 'value="wounded" selected' in page  # starts from the current terms
    _refused(web, "negotiator", adopt, {"term.evacuation.0.who": "wounded"}, "terms")
    _records(
        web,
        "negotiator",
        adopt,
        {
            "term.evacuation.0.who": "everyone",
            "term.weapons_handover.0.description": "heavy weapons",
        },
        "agreement.version_adopted",
    )


def test_guarantee_recorded_by_the_guarantors_liaison_then_broken(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}/guarantees"
    form = {
        "id": "russia-safe-passage",
        "guarantor": "russian-military",
        "given_to": "aleppo-factions",
        "what": "مرور آمن للحافلات",
        "what.translation": "Safe passage for the buses",
        "subject": ["route:exit-route"],
    }
    page = web.client("liaison").get(f"{base}/new")
    assert page.status_code == 200 and 'value="russian-military" selected' in page.text
    _refused(web, "liaison", f"{base}/new", {**form, "guarantor": "turkey"}, "_general")
    _records(web, "liaison", f"{base}/new", form, "guarantee.recorded")
    dashboard = web.client("coordinator").get(f"/ops/{OP}/dashboard").text
    guarantee = f"{base}/{IDS['russia-safe-passage']}"
    assert f'href="{guarantee}"' in dashboard
    outcome = f"{guarantee}/outcome"
    # Confirmed without saying why: the reason is asked beside its field, nothing recorded.
    _refused(web, "coordinator", outcome, {"outcome": "broken", "confirmed": "yes"}, "note")
    confirmed = {"outcome": "broken", "confirmed": "yes", "note": "the convoy was shot at"}
    _records(
        web,
        "coordinator",
        outcome,
        {**confirmed, "incidents": ["ramouseh-gunfire"]},
        "guarantee.broken",
    )
    assert (
        web.client("liaison").get(f"{base}/{IDS['russia-safe-passage']}?format=json").status_code
        == 200
    )


def _rows(page: str) -> int:
    """How many waypoint rows the form shows (a place select each)."""
    return len(re.findall(r'<select id="f-waypoints-\d+-place"', page))


def _picked(page: str, name: str) -> str:
    """The value of the option shown as ``name`` (a place picked by its name)."""
    found = re.search(rf'<option value="([^"]+)"[^>]*>(?:<bdi[^>]*>)?{re.escape(name)}<', page)
    assert found is not None, name
    return found[1]


def test_propose_and_revise_a_route_voids_earlier_approvals(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}/routes"
    # Places picked by their names in the page's language, in order; a point for a spot that
    # is no place, with its label in the language chosen beside it.
    page = web.client("operations").get(f"{base}/new?lang=ar").text
    assert _rows(page) == waypoints.FIRST_ROWS
    form = {
        "id": "web-road",
        "name.en": "Web road",
        "proposed_by": "sarc",
        "waypoints.0.place": _picked(page, "دوار الراموسة"),
        "waypoints.1.point": "36.17,37.13",
        "waypoints.1.label": "نقطة التجمع",
        "waypoints.1.label.language": "ar",
        "waypoints.2.place": _picked(page, "دوار جسر الحج"),
    }
    _refused(
        web,
        "operations",
        f"{base}/new",
        {**form, "waypoints.1.point": "nowhere"},
        "waypoints.1.point",
    )
    _records(web, "operations", f"{base}/new", form, "route.proposed")
    with system.reading() as conn:
        proposed = reads.get_entity(
            conn, viewer=system.actor("operations"), kind="route", entity_id=IDS["web-road"]
        )
    points = proposed["versions"][0]["waypoints"]
    assert [w.get("place") for w in points] == [
        "ramouseh-roundabout",
        None,
        "jisr-al-hajj-roundabout",
    ]
    assert points[1]["label"] == {"original": "نقطة التجمع", "language": "ar", "translations": []}
    _records(
        web,
        "operations",
        f"{base}/{IDS['web-road']}/decide",
        {"party": "sarc", "decision": "approve"},
        "route.approved",
    )
    revise = f"{base}/{IDS['web-road']}/revise"
    page = web.client("operations").get(f"{revise}?lang=ar").text
    # Starts from the current waypoints, each place chosen (shown by its name), and one empty
    # row more.
    assert _rows(page) == 4
    assert re.search(r'<option value="ramouseh-roundabout" selected[^>]*>دوار الراموسة<', page)
    assert 'value="36.17,37.13"' in page and 'value="نقطة التجمع"' in page
    assert 'name="waypoints"' not in page  # no list of names to type by hand
    _refused(web, "operations", revise, {"waypoints.0.place": "not-a-place"}, "waypoints.0.place")
    _records(
        web,
        "operations",
        revise,
        {"waypoints.0.place": "ramouseh-roundabout", "waypoints.3.point": "36.2,37.1"},
        "route.revised",
    )
    with system.reading() as conn:
        state = reads.get_entity(
            conn, viewer=system.actor("operations"), kind="route", entity_id=IDS["web-road"]
        )
    assert state["current_version"] == 2 and state["standing"] == []
    assert [(w.get("place"), w["lat"]) for w in state["versions"][1]["waypoints"]] == [
        ("ramouseh-roundabout", 36.15),
        (None, 36.2),
    ]
    detail = web.client("operations").get(f"{base}/{IDS['web-road']}?lang=en").text
    assert "Voided by a later version" in detail


def test_a_route_of_three_places_picked_by_name_and_its_rows_grow_without_script(
    system: Mamar,
) -> None:
    web = make_web(system)
    base = f"/ops/{OP}/routes"
    client = web.client("operations")
    page = client.get(f"{base}/new?lang=en").text
    names = ("Ramouseh roundabout", "Jisr al-Hajj roundabout", "Al-Amiriyah")
    picked = {f"waypoints.{n}.place": _picked(page, name) for n, name in enumerate(names)}
    typed = {
        "name.ar": "طريق الجسر",
        "proposed_by": "sarc",
        **picked,
        "waypoints.1.label": "the bridge",
        "waypoints.1.label.language": "en",
    }
    # "Add another waypoint": the form again, as typed, with one row more; nothing recorded.
    size = web.journal_size()
    grown = _post(web, "operations", f"{base}/new", {**typed, "more_terms": "waypoint"})
    assert grown.status_code == 200 and web.journal_size() == size
    assert _rows(grown.text) == waypoints.FIRST_ROWS + 1
    assert 'value="the bridge"' in grown.text and 'value="طريق الجسر"' in grown.text
    for field, value in picked.items():
        row = field.split(".")[1]
        assert re.search(
            rf'id="f-waypoints-{row}-place"[^>]*>.*?<option value="{value}" selected',
            grown.text,
            re.S,
        )
    # A refusal keeps every row as typed, the message beside the row it is about.
    refused = _post(
        web, "operations", f"{base}/new", {**typed, "waypoints.3.label": "وحدها"}, lang="ar"
    )
    assert refused.status_code == 422 and 'id="waypoints-3-place-error"' in refused.text
    assert 'value="وحدها"' in refused.text and 'value="the bridge"' in refused.text
    assert web.journal_size() == size
    _records(web, "operations", f"{base}/new", {**typed, "id": "bridge-road"}, "route.proposed")
    with system.reading() as conn:
        route = reads.get_entity(
            conn, viewer=system.actor("operations"), kind="route", entity_id=IDS["bridge-road"]
        )
    points = route["versions"][0]["waypoints"]
    assert [w["place"] for w in points] == list(picked.values())
    assert points[1]["label"] == {"original": "the bridge", "language": "en", "translations": []}


def test_ceasefire_changes_offer_only_legal_transitions(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}/ceasefires"
    _records(
        web,
        "coordinator",
        f"{base}/new",
        {
            "id": "web-truce",
            "area": "east Aleppo",
            "parties": ["aleppo-factions", "russian-military"],
        },
        "ceasefire.declared",
    )
    change = f"{base}/{IDS['web-truce']}/change"
    page = web.client("coordinator").get(change).text
    assert 'value="in_force"' in page and 'value="restored"' not in page
    _records(web, "coordinator", change, {"status": "in_force"}, "ceasefire.took_effect")
    _refused(web, "coordinator", change, {"status": "violated"}, "incident")
    _records(
        web,
        "coordinator",
        change,
        {"status": "violated", "incident": "ramouseh-gunfire"},
        "ceasefire.violated",
    )
    _records(
        web, "coordinator", change, {"status": "suspended", "reason": "قصف"}, "ceasefire.suspended"
    )
    _records(web, "coordinator", change, {"status": "restored"}, "ceasefire.restored")
    _records(web, "coordinator", change, {"status": "expired"}, "ceasefire.expired")
    assert 'name="status"' not in web.client("coordinator").get(change).text


def test_notice_sent_and_acknowledged_by_each_partys_liaison(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}/notifications"
    form = {
        "id": "web-notice",
        "visibility": "shared",
        "parties": ["russian-military", "turkey"],
        "message": "تتحرك القافلة الساعة الخامسة",
        "route": "exit-route",
    }
    _refused(web, "operations", f"{base}/new", {**form, "parties": []}, "parties")
    _records(web, "operations", f"{base}/new", form, "notification.sent")
    ack = f"{base}/{IDS['web-notice']}/acknowledge"
    page = web.client("liaison").get(ack).text
    assert 'value="russian-military" selected' in page and 'value="turkey"' not in page
    _refused(web, "liaison", ack, {"party": "turkey"}, "_general")
    _records(web, "liaison", ack, {"party": "russian-military"}, "notification.acknowledged")
    _refused(web, "operations", ack, {"party": "russian-military"}, "party")


def test_tasks_assigned_and_moved_through_legal_statuses(system: Mamar) -> None:
    web = make_web(system)
    base = f"/ops/{OP}/tasks"
    _refused(web, "coordinator", f"{base}/new", {"id": "web-task", "title.ar": "تجهيز"}, "assignee")
    _records(
        web,
        "coordinator",
        f"{base}/new",
        {"id": "web-task", "assignee": "sarc", "title.ar": "تجهيز سيارات الإسعاف"},
        "task.assigned",
    )
    status = f"{base}/{IDS['web-task']}/status"
    page = web.client("coordinator").get(status).text
    assert 'value="acknowledged"' in page and 'value="done"' not in page
    _refused(web, "coordinator", status, {"status": "done"}, "status")
    _records(web, "coordinator", status, {"status": "acknowledged"}, "task.status_changed")
    assert 'value="in_progress"' in web.client("coordinator").get(status).text


def test_generic_form_for_a_command_without_its_own(system: Mamar) -> None:
    web = make_web(system)
    index = web.client("coordinator").get(f"/ops/{OP}/record?format=json").json()
    names = {c["name"] for c in index["commands"]}
    assert {"place.add_alias", "side.form", "issue.close"} <= names
    liaison = {
        c["name"]
        for c in web.client("liaison").get(f"/ops/{OP}/record?format=json").json()["commands"]
    }
    assert "route.approve" in liaison and "issue.close" not in liaison
    assert web.client("liaison").get(f"/ops/{OP}/record/issue.close").status_code == 403
    assert web.client("observer").get(f"/ops/{OP}/record").status_code == 403
    alias = f"/ops/{OP}/record/place.add_alias"
    assert 'name="alias"' in web.client("coordinator").get(alias).text
    _records(
        web,
        "coordinator",
        alias,
        {"id": "ramouseh", "alias": "Ramouseh crossing"},
        "place.alias_added",
    )
    side = f"/ops/{OP}/record/side.form"
    page = web.client("coordinator").get(f"{side}?lang=en").text
    # The members are parties, picked by name (several at once), never typed; its name is
    # typed in Arabic or English, never as JSON.
    assert "JSON" not in page and 'name="name.ar"' in page
    assert '<select id="f-members" name="members" multiple' in page
    unknown = {"id": "web-side", "name.ar": "الوسطاء", "members": ["no-such-party"]}
    _refused(web, "coordinator", side, unknown, "members")
    _records(
        web,
        "coordinator",
        side,
        {"id": "web-side", "name.ar": "الوسطاء", "members": ["turkey", "sarc"]},
        "side.formed",
    )
    assert web.client("coordinator").get(f"/ops/{OP}/record/no.such").status_code == 404


def test_place_search_tolerates_spelling_variants(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("observer")
    for query in ("الراموسة", "الراموسه", "Ramouseh", "Ramousa", "ramousseh"):
        hits = client.get(f"/ops/{OP}/places", params={"q": query, "format": "json"}).json()["hits"]
        assert hits and hits[0]["place"] in ("ramouseh", "ramouseh-roundabout"), (query, hits)
        assert "ramouseh" in {h["place"] for h in hits}
    page = client.get(f"/ops/{OP}/places", params={"q": "الراموسه", "lang": "ar"}).text
    assert "الراموسة" in page
    # Every place is listed in the order of its name as the reader reads it.
    for lang in ("ar", "en"):
        items = client.get(f"/ops/{OP}/places", params={"lang": lang, "format": "json"})
        names = [str(called_text(p, lang)) for p in items.json()["items"]]
        assert len(names) > 5 and names == sorted(names), (lang, names)
    # A term's destination is picked from the operation's places, by name.
    form = web.client("negotiator").get(f"/ops/{OP}/negotiation/propose?lang=ar").text
    destination = form.split('name="term.evacuation.0.destination"', 1)[1].split("</select>")[0]
    assert 'value="ramouseh"' in destination and "الراموسة" in destination


def test_timeline_after_a_position(system: Mamar) -> None:
    make_web(system)
    viewer = system.actor("coordinator")
    with system.reading() as conn:
        every = list(reads.timeline(conn, viewer=viewer, operation=OP, order="recorded"))
        later = list(
            reads.timeline(
                conn,
                viewer=viewer,
                operation=OP,
                order="recorded",
                after_position=every[-3].position,
            )
        )
    assert [e.position for e in later] == [e.position for e in every[-2:]]
