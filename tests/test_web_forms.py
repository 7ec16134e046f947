"""Forms: post and redirect; bad input shown by its field in the page's language, nothing recorded."""

from __future__ import annotations

from uuid import UUID

import lxml.html

from mamar import reads
from mamar.convoys.events import ConvoyStatus
from mamar.convoys.model import TRANSITIONS
from mamar.system import Mamar
from tests.web_support import OP, csrf, make_web


def _incident_form(token: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf": token,
        "event_type": "explosions_remote_violence",
        "description": "قصف قرب نقطة التجمع",
        "lat": "36.17",
        "lon": "37.13",
        "source.text": "فريق الإسعاف",
        "source.kind": "own_team",
        "injured": "٣",
    }
    form.update(changes)
    return form


def test_report_an_incident_posts_and_redirects(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    response = client.post(f"/ops/{OP}/incidents", data=_incident_form(csrf(client)))
    assert response.status_code == 303, response.text[:500]
    # The id is generated: the page goes to the new record.
    location = response.headers["location"]
    assert location.startswith(f"/ops/{OP}/incidents/")
    incident = location.rsplit("/", 1)[1]
    assert UUID(incident).version == 4
    assert web.journal_size() == before + 1
    with system.reading() as conn:
        state = reads.get_entity(
            conn, viewer=system.actor("operations"), kind="incident", entity_id=incident
        )
    assert state["point"] == {"lat": 36.17, "lon": 37.13}
    assert state["casualties"]["injured"]["total"] == 3
    assert "قصف قرب نقطة التجمع" in client.get(response.headers["location"]).text


def test_bad_input_is_shown_by_its_field_and_changes_nothing(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    arabic = client.post(
        f"/ops/{OP}/incidents?lang=ar", data=_incident_form(csrf(client), lat="95")
    )
    assert arabic.status_code == 422
    assert (
        'id="lat"' in arabic.text
        and 'aria-invalid="true" aria-describedby="lat-error"' in arabic.text
    )
    assert 'id="lat-error"' in arabic.text
    assert "يجب أن يكون خط العرض بين" in arabic.text and "latitude" not in arabic.text
    assert 'value="قصف قرب نقطة التجمع"' in arabic.text or "قصف قرب نقطة التجمع" in arabic.text
    english = client.post(
        f"/ops/{OP}/incidents?lang=en", data=_incident_form(csrf(client), lat="95")
    )
    assert english.status_code == 422 and 'id="lat-error"' in english.text
    # No form asks for an id, and one slipped into a form is not used.
    assert 'name="id"' not in client.get(f"/ops/{OP}/incidents").text
    missing_ref = client.post(
        f"/ops/{OP}/incidents?lang=ar", data=_incident_form(csrf(client), convoy="no-such-convoy")
    )
    assert missing_ref.status_code == 422 and 'id="convoy-error"' in missing_ref.text
    twin = client.post(
        f"/ops/{OP}/incidents?format=json", data=_incident_form(csrf(client), lat="x")
    )
    assert twin.status_code == 422 and twin.json()["error"]["fields"]["lat"]
    assert web.journal_size() == before


def test_forms_need_the_csrf_token(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("operations")
    before = web.journal_size()
    response = client.post(f"/ops/{OP}/incidents", data=_incident_form("wrong"))
    assert response.status_code == 403
    assert web.journal_size() == before


def test_convoy_page_offers_only_legal_transitions(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    token = csrf(client)
    plan = client.post(
        f"/ops/{OP}/convoys",
        data={
            "csrf": token,
            "name.ar": "قافلة تجريبية",
            "vehicles.0.kind": "حافلة",
            "vehicles.0.count": "12",
            "teams": "sarc",
            "counts.planned": "400",
        },
    )
    assert plan.status_code == 303, plan.text[:500]
    convoy = plan.headers["location"].rsplit("/", 1)[1]
    page = client.get(f"/ops/{OP}/convoys/{convoy}?lang=en").text
    assert "قافلة تجريبية" in client.get(f"/ops/{OP}/convoys/{convoy}").text
    offered = {part.split('"')[0] for part in page.split('name="status" value="')[1:]}
    assert offered == {s.value for s in TRANSITIONS[ConvoyStatus.PLANNED]}
    moved = client.post(
        f"/ops/{OP}/convoys/{convoy}/status", data={"csrf": token, "status": "postponed"}
    )
    assert moved.status_code == 303
    page = client.get(f"/ops/{OP}/convoys/{convoy}").text
    offered = {part.split('"')[0] for part in page.split('name="status" value="')[1:]}
    assert offered == {s.value for s in TRANSITIONS[ConvoyStatus.POSTPONED]}
    before = web.journal_size()
    illegal = client.post(
        f"/ops/{OP}/convoys/{convoy}/status?lang=ar", data={"csrf": token, "status": "arrived"}
    )
    assert illegal.status_code == 422
    assert "لا يمكن الانتقال" in illegal.text and 'id="status-error"' in illegal.text
    assert web.journal_size() == before
    arrived = client.get(f"/ops/{OP}/convoys/first-wounded").text
    assert 'name="status"' not in arrived


def test_escalation_answer_and_route_rejection(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client("coordinator")
    token = csrf(client)
    incident = client.get(f"/ops/{OP}/incidents?format=json").json()["items"][0]["id"]
    raised = client.post(
        f"/ops/{OP}/incidents/{incident}/escalate",
        data={
            "csrf": token,
            "to_party": "russian-military",
            "message": "أوقفوا النار",
        },
    )
    assert raised.status_code == 303, raised.text[:500]
    detail = client.get(f"/ops/{OP}/incidents/{incident}?format=json").json()
    esc = next(e["id"] for e in detail["escalations"] if e["message"]["original"] == "أوقفوا النار")
    liaison = web.client("liaison")
    # Who answered is picked by name among the parties; at first the one it went to.
    page = lxml.html.fromstring(liaison.get(f"/ops/{OP}/escalations/{esc}?lang=ar").text)
    by = page.xpath("//select[@name='by']")[0]
    chosen = by.xpath("option[@selected]")
    assert [o.get("value") for o in chosen] == ["russian-military"]
    assert chosen[0].text_content() == "القيادة العسكرية الروسية"
    answered = liaison.post(
        f"/ops/{OP}/escalations/{esc}/respond",
        data={
            "csrf": csrf(liaison),
            "text": "سنتواصل مع القادة الميدانيين",
            "by": "russian-military",
        },
    )
    assert answered.status_code == 303, answered.text[:500]
    shown = client.get(f"/ops/{OP}/escalations/{esc}?lang=ar").text
    assert "(القيادة العسكرية الروسية): " in shown
    assert "سنتواصل مع القادة الميدانيين" in client.get(f"/ops/{OP}/incidents/{incident}").text
    before = web.journal_size()
    refused = client.post(
        f"/ops/{OP}/routes/exit-route/decide?lang=en",
        data={
            "csrf": token,
            "party": "government-forces",
            "decision": "reject",
            "reasons": "",
            "confirmed": "yes",
        },
    )
    assert refused.status_code == 422 and web.journal_size() == before
    rejected = client.post(
        f"/ops/{OP}/routes/exit-route/decide",
        data={
            "csrf": token,
            "party": "government-forces",
            "decision": "reject",
            "reasons": "passes the front line",
            "confirmed": "yes",
        },
    )
    assert rejected.status_code == 303
    assert "passes the front line" in client.get(f"/ops/{OP}/routes/exit-route").text


def test_admin_creates_and_disables_an_account_and_tokens(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    admin = web.client("admin")
    token = csrf(admin)
    weak = admin.post(
        "/admin/accounts?lang=ar",
        data={
            "csrf": token,
            "username": "new-medic",
            "display_name": "Doctor",
            "role": "medical",
            "password": "short",
        },
    )
    assert weak.status_code == 422 and "كلمة المرور قصيرة" in weak.text
    created = admin.post(
        "/admin/accounts",
        data={
            "csrf": token,
            "username": "new-medic",
            "display_name": "Doctor",
            "role": "medical",
            "password": "a long enough password",
        },
    )
    assert created.status_code == 303
    minted = admin.post(
        "/admin/tokens", data={"csrf": token, "token_username": "new-medic", "scope": "read"}
    )
    assert (minted.status_code == 201 and "mamar_" in minted.text) or minted.status_code == 201
    disabled = admin.post("/admin/accounts/new-medic/disable", data={"csrf": token})
    assert disabled.status_code == 303
    accounts = admin.get("/admin?format=json").json()["accounts"]
    assert next(a for a in accounts if a["id"] == "new-medic")["disabled"] is True


def test_an_incident_typed_on_the_english_page_keeps_its_source_and_weapon_in_english(
    system: Mamar,
) -> None:
    web = make_web(system)
    client = web.client("operations")
    form = _incident_form(
        csrf(client),
        weapon="other",
        weapon_detail="A van by the aid trucks",
        **{"source.text": "Monitors on the hill road"},
    )
    response = client.post(f"/ops/{OP}/incidents?lang=en", data=form)
    assert response.status_code == 303, response.text[:500]
    incident = response.headers["location"].rsplit("/", 1)[1]
    with system.reading() as conn:
        state = reads.get_entity(
            conn, viewer=system.actor("operations"), kind="incident", entity_id=incident
        )
    assert state["source"]["text"] == {
        "original": "Monitors on the hill road",
        "language": "en",
        "translations": [],
    }
    assert (state["weapon_detail"]["original"], state["weapon_detail"]["language"]) == (
        "A van by the aid trucks",
        "en",
    )
    # On the Arabic page both are marked with their language.
    page = client.get(f"/ops/{OP}/incidents/{incident}?lang=ar").text
    assert '<bdi lang="en" dir="auto">Monitors on the hill road</bdi>' in page
    assert '<bdi lang="en" dir="auto">A van by the aid trucks</bdi>' in page
    # A weapon of another kind with no words for it is refused beside the field, as typed.
    refused = client.post(
        f"/ops/{OP}/incidents?lang=ar", data=_incident_form(csrf(client), weapon="other")
    )
    assert refused.status_code == 422 and 'id="weapon_detail-error"' in refused.text


def test_notes_reasons_and_sources_keep_the_language_chosen_beside_them(
    sqlite_system: Mamar,
) -> None:
    """Every free text a form takes has its language beside it (issue "Arabic all the way",
    2): a task's reason (the form kit), a convoy's figure and its source (the convoy's own
    page), an incident's source and weapon (its own form), the general record form."""
    web = make_web(sqlite_system)
    client = web.client("operations")
    english = {"original": "", "language": "en", "translations": []}
    # A task's progress: its reason, typed in English on the Arabic page.
    task = {
        "csrf": csrf(client),
        "assignee": "sarc",
        "title.ar": "إخلاء الجرحى من المشفى الميداني",
        "description": "ثلاث نقالات على الأقل",
    }
    assigned = client.post(f"/ops/{OP}/tasks/new?lang=ar", data=task)
    assert assigned.status_code == 303, assigned.text[-1500:]
    task_id = assigned.headers["location"].split("?")[0].rsplit("/", 1)[1]
    path = f"/ops/{OP}/tasks/{task_id}/status?lang=ar"
    assert 'name="reason.language"' in client.get(path).text
    reason = "Waiting for the crossing to open"
    size = web.journal_size()
    unknown = {"reason.language": "other", "reason.language_other": "xx-notalang"}
    refused = client.post(
        path, data={"csrf": csrf(client), "status": "acknowledged", "reason": reason, **unknown}
    )
    assert refused.status_code == 422 and web.journal_size() == size
    # Said beside the language, not beside the words; both as typed.
    assert 'aria-describedby="reason-language-error"' in refused.text
    assert reason in refused.text and 'value="xx-notalang"' in refused.text
    moved = client.post(
        path,
        data={
            "csrf": csrf(client),
            "status": "acknowledged",
            "reason": reason,
            "reason.language": "en",
        },
    )
    assert moved.status_code == 303, moved.text[-1500:]
    viewer = web.system.actor("operations")
    with web.system.reading() as conn:
        state = reads.get_entity(conn, viewer=viewer, kind="task", entity_id=task_id)
    assert state["history"][-1]["reason"] == {**english, "original": reason}
    # The general form of a command asks the language of its texts too.
    general = client.get(f"/ops/{OP}/record/task.change_status?lang=ar").text
    assert 'name="reason.language"' in general
    # A figure's source, on the convoy's own page.
    planned = client.post(f"/ops/{OP}/convoys", data={"csrf": csrf(client), "name.ar": "دفعة"})
    assert planned.status_code == 303, planned.text[-1500:]
    convoy = planned.headers["location"].split("?")[0].rsplit("/", 1)[1]
    page = client.get(f"/ops/{OP}/convoys/{convoy}?lang=ar").text
    for name in ("stop.note", "figure.source", "cargo.quantity.source", "reason"):
        assert f'name="{name}.language"' in page, name
    figure = {
        "csrf": csrf(client),
        "count": "planned",
        "figure.certainty": "exact",
        "figure.value": "40",
        "figure.source": "UN monitors at the crossing",
        "figure.source.language": "en",
    }
    reported = client.post(f"/ops/{OP}/convoys/{convoy}/figures?lang=ar", data=figure)
    assert reported.status_code == 303, reported.text[-1500:]
    with web.system.reading() as conn:
        state = reads.get_entity(conn, viewer=viewer, kind="convoy", entity_id=convoy)
    source = state["figures"][-1]["figure"]["source"]
    assert source == {**english, "original": "UN monitors at the crossing"}
    # An incident's source and weapon typed in English on the Arabic page.
    form = _incident_form(
        csrf(client),
        weapon="other",
        weapon_detail="A van by the aid trucks",
        **{
            "weapon_detail.language": "en",
            "source.text": "Monitors on the hill road",
            "source.text.language": "en",
        },
    )
    reported = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert reported.status_code == 303, reported.text[:500]
    incident = reported.headers["location"].rsplit("/", 1)[1]
    with web.system.reading() as conn:
        state = reads.get_entity(conn, viewer=viewer, kind="incident", entity_id=incident)
    assert state["source"]["text"] == {**english, "original": "Monitors on the hill road"}
    assert state["weapon_detail"]["language"] == "en"
