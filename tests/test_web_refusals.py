"""Every refusal keeps the work: a form refused by the door (its role, an expired form),
by the domain (403 permission, 409 conflict) or for its time comes back with what was
typed and the reason, in the page's language, recording nothing. Times are typed as
year-month-day hour:minute whatever the browser's locale (Arabic-Indic digits too)."""

from __future__ import annotations

import re
from html import unescape

from mamar import reads
from mamar.system import Mamar
from tests.arabic_text import LATIN_WORD
from tests.test_web_forms import _incident_form
from tests.web_support import OP, csrf, make_web

TASK = {
    "assignee": "sarc",
    "title.ar": "إخلاء الجرحى من المشفى الميداني",
    "description": "ثلاثة نقالات على الأقل",
    "due": "2016-12-15 09:30",
}


def _alert(page: str) -> str:
    found = re.search(r'role="alert">([^<]*)<', page)
    assert found is not None, page[-2000:]
    return unescape(found.group(1))


def test_an_expired_form_comes_back_as_typed_with_the_reason(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    refused = client.post(f"/ops/{OP}/tasks/new?lang=ar", data={**TASK, "csrf": "stale"})
    assert refused.status_code == 403, refused.text[-1500:]
    assert 'action="/ops/aleppo-2016/tasks/new"' in refused.text  # the form itself, again
    message = _alert(refused.text)
    assert "انتهت صلاحية" in message and not LATIN_WORD.search(message)
    for value in TASK.values():
        assert value in unescape(refused.text), value
    assert web.journal_size() == before
    # The form carries the session's token again: sent as it is, it is recorded.
    token = re.search(r'name="csrf" value="([^"]+)"', refused.text)
    assert token is not None and token.group(1) != "stale"
    sent = client.post(f"/ops/{OP}/tasks/new?lang=ar", data={**TASK, "csrf": token.group(1)})
    assert sent.status_code == 303, sent.text[-1500:]
    assert web.journal_size() == before + 1


def test_a_form_the_role_may_not_send_comes_back_with_the_reason(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("observer")
    before = web.journal_size()
    refused = client.post(f"/ops/{OP}/tasks/new?lang=ar", data={**TASK, "csrf": csrf(client)})
    assert refused.status_code == 403
    message = _alert(refused.text)
    assert "لا يسمح دورك" in message and not LATIN_WORD.search(message)
    assert TASK["title.ar"] in refused.text and TASK["description"] in refused.text
    assert web.journal_size() == before


def test_a_page_form_refused_at_the_door_keeps_everything_to_send_again(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    form = _incident_form("stale", description="قصف قرب الجسر")
    refused = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert refused.status_code == 403 and "انتهت صلاحية" in _alert(refused.text)
    assert "قصف قرب الجسر" in refused.text
    assert web.journal_size() == before
    kept = {
        n: unescape(x)
        for n, x in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', refused.text)
    }
    assert kept["description"] == "قصف قرب الجسر" and kept["csrf"] == csrf(client)
    again = client.post(f"/ops/{OP}/incidents?lang=ar", data=kept)
    assert again.status_code == 303, again.text[-1500:]
    assert web.journal_size() == before + 1


def test_times_are_typed_the_same_way_in_every_language(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    for lang in ("ar", "en"):
        page = client.get(f"/ops/{OP}/incidents?lang={lang}").text
        assert "datetime-local" not in page  # the browser's locale would show mm/dd/yyyy
        assert 'name="occurred_at"' in page and 'placeholder="2016-12-15 05:00"' in page
    assert "(توقيت سوريا)" in client.get(f"/ops/{OP}/incidents?lang=ar").text
    assert "(Syria Time)" in client.get(f"/ops/{OP}/tasks/new?lang=en").text
    # Arabic-Indic digits, as an Arabic phone keyboard types them; in the operation's zone.
    form = _incident_form(csrf(client), occurred_at="٢٠١٦-١٢-١٥ ٠٥:٠٠", precision="hour")
    done = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert done.status_code == 303, done.text[-1500:]
    incident = done.headers["location"].split("?")[0].rsplit("/", 1)[1]
    with system.reading() as conn:
        found = reads.get_entity(
            conn, viewer=system.actor("operations"), kind="incident", entity_id=incident
        )
    assert str(found["occurred_at"]) == "2016-12-15T05:00:00+02:00"  # in Aleppo's zone
    before = web.journal_size()
    bad = client.post(
        f"/ops/{OP}/incidents?lang=ar", data={**form, "occurred_at": "15/12/2016 الصبح"}
    )
    assert bad.status_code == 422
    message = re.search(r'id="occurred_at-error"[^>]*>([^<]*)<', bad.text)
    assert message is not None and "2016-12-15 05:00" in message.group(1)
    assert "15/12/2016 الصبح" in bad.text and web.journal_size() == before
    # The words said for the time are checked whatever the time: too long is said beside
    # them when the time is not one, and when it is left empty.
    long_phrase = "بعد المغرب " * 100
    for typed in ("15/12/2016 الصبح", ""):
        refused = client.post(
            f"/ops/{OP}/incidents?lang=ar",
            data={**form, "occurred_at": typed, "phrase": long_phrase},
        )
        assert refused.status_code == 422, typed
        assert 'id="phrase-error"' in refused.text, typed
        assert ('id="occurred_at-error"' in refused.text) == bool(typed)
    assert web.journal_size() == before


def _beside(page: str, field: str) -> str:
    """The message beside ``field`` (its control names it in ``aria-describedby``)."""
    ident = field.replace(".", "-")
    assert f'aria-describedby="{ident}-error"' in page, page[-3000:]
    found = re.search(rf'id="{ident}-error"[^>]*>([^<]*)<', page)
    assert found is not None, page[-3000:]
    return unescape(found.group(1))


LONG = "قصف " * 25_000  # 100,000 characters, as pasted


def test_a_note_typed_under_another_name_is_refused_beside_it(system: Mamar) -> None:
    """An approval keeps its reasons as a note, a ceasefire's violation keeps its reason as
    a note: a refusal of the note is said beside the field it was typed in."""
    web = make_web(system)
    client = web.client("coordinator")
    before = web.journal_size()
    decide = f"/ops/{OP}/routes/exit-route/decide?lang=ar"
    form = {"csrf": csrf(client), "party": "aleppo-factions", "reasons": LONG}
    approved = client.post(decide, data={**form, "decision": "approve"})
    assert approved.status_code == 422, approved.text[-1500:]
    assert re.search("[0-9]", _beside(approved.text, "reasons")) and LONG.strip() in approved.text
    # A rejection asks first, but not for something that would be refused anyway: the
    # refusal comes first, beside the field, and the confirmation is still asked after.
    rejected = client.post(decide, data={**form, "decision": "reject"})
    assert rejected.status_code == 422 and _beside(rejected.text, "reasons")
    asked = client.post(decide, data={**form, "decision": "reject", "reasons": "مقطوع"})
    assert asked.status_code == 409 and 'name="confirmed"' in asked.text
    change = f"/ops/{OP}/ceasefires/ceasefire-1/change?lang=ar"
    violated = client.post(
        change,
        data={
            "csrf": csrf(client),
            "status": "violated",
            "incident": "ramouseh-gunfire",
            "reason": LONG,
        },
    )
    assert violated.status_code == 422, violated.text[-1500:]
    assert re.search("[0-9]", _beside(violated.text, "reason")) and LONG.strip() in violated.text
    assert web.journal_size() == before


def test_a_version_a_record_does_not_have_is_refused_beside_it(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    before = web.journal_size()
    notice = {
        "csrf": csrf(client),
        "parties": "aleppo-factions",
        "message": "تحرك القافلة",
        "route": "exit-route",
    }
    for typed, says in (("-5", "واحد"), ("999999999999", "واحد"), ("ثلاثة", "عدد"), ("٩", "واحد")):
        refused = client.post(
            f"/ops/{OP}/notifications/new?lang=ar", data={**notice, "route_version": typed}
        )
        assert refused.status_code == 422, refused.text[-1500:]
        message = _beside(refused.text, "route_version")
        assert says in message and not LATIN_WORD.search(message), message
        assert f'value="{typed}"' in refused.text
    # With other problems too: each beside its field, all at once.
    both = client.post(
        f"/ops/{OP}/ceasefires/new?lang=ar",
        data={
            "csrf": csrf(client),
            "area": "الأحياء الشرقية",
            "agreement": "evacuation-agreement",
            "agreement_version": "-5",
            "note": LONG,
        },
    )
    assert both.status_code == 422, both.text[-1500:]
    assert "واحد" in _beside(both.text, "agreement_version") and _beside(both.text, "note")
    assert web.journal_size() == before


def test_a_translation_left_without_a_language_says_so_beside_it(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    path = f"/ops/{OP}/agreements/evacuation-agreement/translate?lang=ar"
    before = web.journal_size()
    refused = client.post(
        path,
        data={
            "csrf": csrf(client),
            "translation.field": "text",
            "translation.language": "",
            "translation.text": "Evacuation",
        },
    )
    assert refused.status_code == 422, refused.text[-1500:]
    assert "مطلوب" in _beside(refused.text, "translation.language")
    assert '<option value="" selected' not in refused.text  # "—" is not marked chosen…
    assert 'value="en" selected' not in refused.text  # …and no language is put in its place
    assert web.journal_size() == before
