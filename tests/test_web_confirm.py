"""Irreversible actions ask first: cancelling a convoy, rejecting a route and marking a
guarantee broken show the consequence and ask the reason before anything is recorded;
the confirmation keeps every value typed, and works without JavaScript."""

from __future__ import annotations

import re
from html import unescape

from mamar import reads
from mamar.journal import store
from mamar.system import Mamar
from tests.web_support import OP, Web, csrf, make_web, signed_in


def _hidden(page: str) -> dict[str, str]:
    return {
        n: unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def _back_and_facts(client: object, page: str) -> dict[str, str]:
    """The confirmation's "No, go back" leads to a page that opens (pages send no referrer:
    never back to the address the form was sent to, which only takes a form); and what the
    confirmation names, label → words."""
    back = re.search(r'<a href="([^"]+)">لا، رجوع</a>', page)
    assert back is not None, page[-2000:]
    opened = client.get(unescape(back[1]))  # type: ignore[attr-defined]
    assert opened.status_code == 200, (back[1], opened.status_code)
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S)
    assert facts is not None, page[-2000:]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts[1], re.S)
    return {
        unescape(re.sub("<[^>]+>", "", k)): unescape(re.sub("<[^>]+>", "", v)) for k, v in pairs
    }


def _cancellable(web: Web, role: str) -> str:
    client = web.client(role)
    planned = client.post(
        f"/ops/{OP}/convoys", data={"csrf": csrf(client), "id": "late-batch", "name.ar": "دفعة"}
    )
    assert planned.status_code == 303, planned.text[-1500:]
    with web.system.reading() as conn:
        ids = [
            s.id
            for s in reads.visible_states(
                conn, viewer=web.system.actor(role), operation=OP, kinds=["convoy"]
            )
        ]
    for convoy in ids:
        if 'value="cancelled"' in client.get(f"/ops/{OP}/convoys/{convoy}").text:
            return convoy
    raise AssertionError("no convoy may be cancelled")


def test_cancelling_a_convoy_asks_first_with_its_consequence_and_a_reason(
    system: Mamar,
) -> None:
    web = make_web(system)
    role = "operations"
    client = web.client(role)
    convoy = _cancellable(web, role)
    page = client.get(f"/ops/{OP}/convoys/{convoy}?lang=ar").text
    assert page.index('name="occurred_at"') < page.index('value="cancelled"')  # time first
    size = web.journal_size()
    path = f"/ops/{OP}/convoys/{convoy}/status?lang=ar"
    form = {"csrf": csrf(client), "status": "cancelled", "place": "", "phrase": "بعد الظهر"}
    asked = client.post(path, data=form)
    assert asked.status_code == 409 and web.journal_size() == size
    assert "إلغاء القافلة نهائي" in asked.text and 'name="confirmed" value="yes"' in asked.text
    named = _back_and_facts(client, asked.text)
    assert named["قافلة"] not in ("", "—") and named["متى"] == "الآن، وقت التسجيل", named
    kept = _hidden(asked.text)
    assert kept["status"] == "cancelled" and kept["phrase"] == "بعد الظهر"
    # Confirmed without a reason: asked again, the reason required beside its field.
    assert kept["csrf"] == csrf(client)  # the page carries the session's token itself
    again = client.post(path, data={**kept, "confirmed": "yes"})
    assert again.status_code == 422 and 'id="reason-error"' in again.text
    assert web.journal_size() == size
    # A reason refused (far too long): the confirmation again, still asking, the reason
    # as typed with the message beside it.
    pasted = "الطريق مقطوع " * 8_000
    too_long = client.post(path, data={**kept, "confirmed": "yes", "reason": pasted})
    assert too_long.status_code == 422 and 'name="confirmed" value="yes"' in too_long.text
    assert 'aria-describedby="reason-error"' in too_long.text and pasted.strip() in too_long.text
    message = re.search(r'id="reason-error"[^>]*>([^<]*)<', too_long.text)
    assert message is not None and re.search("[0-9]", message.group(1))
    assert _hidden(too_long.text)["status"] == "cancelled" and web.journal_size() == size
    done = client.post(
        path,
        data={**kept, "csrf": csrf(client), "confirmed": "yes", "reason": "الطريق مقطوع"},
    )
    assert done.status_code == 303, done.text[-2000:]
    assert web.journal_size() == size + 1


def test_rejecting_a_route_asks_first(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    size = web.journal_size()
    path = f"/ops/{OP}/routes/exit-route/decide?lang=ar"
    form = {"csrf": csrf(client), "decision": "reject", "party": "aleppo-factions"}
    asked = client.post(path, data=form)
    assert asked.status_code == 409, asked.text[-1500:]
    assert "رفض هذه الصيغة" in asked.text and web.journal_size() == size
    assert 'name="reasons"' in asked.text
    named = _back_and_facts(client, asked.text)
    assert "طريق" in named and "فصائل حلب" in " ".join(named.values()), named
    page = client.get(f"/ops/{OP}/routes/exit-route?lang=ar").text
    decide = page[page.index('routes/exit-route/decide"') :]
    assert decide.index('name="occurred_at"') < decide.index('name="decision"')  # time first


def test_marking_a_guarantee_broken_asks_first(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    given = client.post(
        f"/ops/{OP}/guarantees/new",
        data={
            "csrf": csrf(client),
            "guarantor": "russian-military",
            "given_to": "sarc",
            "what": "مرور آمن للقافلة الثانية",
        },
    )
    assert given.status_code == 303, given.text[-1500:]
    guarantee = given.headers["location"].split("?")[0].rsplit("/", 1)[1]
    path = f"/ops/{OP}/guarantees/{guarantee}/outcome?lang=ar"
    form = client.get(path).text
    assert form.index('name="occurred_at"') < form.index('value="broken"')  # time first
    size = web.journal_size()
    asked = client.post(path, data={"csrf": csrf(client), "outcome": "broken"})
    assert asked.status_code == 409 and web.journal_size() == size
    assert "دليلاً على الجهة الضامنة" in asked.text and 'name="note"' in asked.text
    assert _back_and_facts(client, asked.text)["ضمان"] == "مرور آمن للقافلة الثانية"
    kept = _hidden(asked.text)
    assert kept["outcome"] == "broken"
    done = client.post(path, data={**kept, "confirmed": "yes", "note": "قصف الطريق"})
    assert done.status_code == 303 and web.journal_size() == size + 1


def test_erasing_a_person_asks_first_with_a_reason_from_a_list(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    size = web.journal_size()
    path = f"/ops/{OP}/record/person.erase?lang=ar"
    asked = client.post(path, data={"csrf": csrf(client), "id": "sarc-official"})
    assert asked.status_code == 409 and web.journal_size() == size
    assert "يُتلف بياناته الشخصية" in asked.text
    assert _back_and_facts(client, asked.text)["شخص"] not in ("", "—")
    # The reason is chosen, never typed: the journal keeps it after the data is gone.
    assert '<select id="f-reason" name="reason"' in asked.text
    assert "بطلب من العائلة" in asked.text
    kept = _hidden(asked.text)
    again = client.post(path, data={**kept, "confirmed": "yes"})
    assert again.status_code == 422 and 'id="reason-error"' in again.text
    done = client.post(path, data={**kept, "confirmed": "yes", "reason": "requested_by_family"})
    assert done.status_code == 303, done.text[-1500:]
    assert web.journal_size() == size + 1
    with system.reading() as conn:
        last = list(store.read_all(conn))[-1]
    assert (last.type, last.data["reason"]) == ("person.erased", "requested_by_family")


def test_the_reason_asked_on_confirming_says_its_language(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    role = "operations"
    client = web.client(role)
    convoy = _cancellable(web, role)
    path = f"/ops/{OP}/convoys/{convoy}/status?lang=ar"
    form = {
        "csrf": csrf(client),
        "status": "cancelled",
        "reason": "The road is cut",
        "reason.language": "en",
    }
    asked = client.post(path, data=form)
    assert asked.status_code == 409
    # Asked beside the reason again, as chosen on the convoy's page; not kept hidden twice.
    select = asked.text.split('name="reason.language"', 1)[1].split("</select>", 1)[0]
    assert '<option value="en" selected>' in select
    kept = _hidden(asked.text)
    assert "reason.language" not in kept and "reason.language_other" not in kept
    done = client.post(
        path,
        data={**kept, "confirmed": "yes", "reason": "The road is cut", "reason.language": "en"},
    )
    assert done.status_code == 303, done.text[-2000:]
    with web.system.reading() as conn:
        state = reads.get_entity(
            conn, viewer=web.system.actor(role), kind="convoy", entity_id=convoy
        )
    assert state["history"][-1]["reason"] == {
        "original": "The road is cut",
        "language": "en",
        "translations": [],
    }


def _listed_person(system: Mamar) -> tuple[str, str]:
    """A vehicle of the Red Crescent with one person on it, listed by its registrar: the
    vehicle's id, and the person's page."""
    registrar = signed_in(system, "sarc-registrar")
    added = registrar.post(
        f"/ops/{OP}/manifests",
        data={"csrf": csrf(registrar), "convoy": "first-wounded", "label": "إسعاف ٣"},
    )
    assert added.status_code == 303, added.text[-1500:]
    vehicle = added.headers["location"].rsplit("/", 1)[1]
    listed = registrar.post(
        f"/ops/{OP}/vehicles/{vehicle}/family",
        data={"csrf": csrf(registrar), "name.0": "عبد الله الحلبي", "year.0": "1975"},
    )
    assert listed.status_code == 303, listed.text[-1500:]
    return vehicle, f"/ops/{OP}/vehicles/{vehicle}/people/1"


def _erased(system: Mamar) -> list[str]:
    with system.reading() as conn:
        return [e.data["reason"] for e in store.read_all(conn) if e.type == "vehicle.person_erased"]


def test_erasing_a_person_on_a_manifest_asks_first_from_their_page(system: Mamar) -> None:
    make_web(system)
    vehicle, person = _listed_person(system)
    # The registrar reads the person but may not erase: no form, and the door refuses.
    registrar = signed_in(system, "sarc-registrar")
    assert 'id="h-erase"' not in registrar.get(f"{person}?lang=ar").text
    refused = registrar.post(f"{person}/erase?lang=ar", data={"csrf": csrf(registrar)})
    assert refused.status_code == 403 and _erased(system) == []
    admin = signed_in(system, "sarc-admin")
    page = admin.get(f"{person}?lang=ar").text
    erase = page[page.index('id="h-erase"') :]
    assert erase.index('name="occurred_at"') < erase.index('class="danger"')  # time first
    path = f"{person}/erase?lang=ar"
    asked = admin.post(path, data={"csrf": csrf(admin), "phrase": "بعد الظهر"})
    assert asked.status_code == 409 and _erased(system) == []
    assert "لا يمكن التراجع عنه" in asked.text and 'name="confirmed" value="yes"' in asked.text
    named = _back_and_facts(admin, asked.text)
    assert named["الشخص"] == "عبد الله الحلبي" and named["مركبة"] == "إسعاف ٣", named
    assert "الرقم في قائمة ركاب المركبة" in named and "العدد" not in named, named
    kept = _hidden(asked.text)
    assert kept["phrase"] == "بعد الظهر"
    again = admin.post(path, data={**kept, "confirmed": "yes"})
    assert again.status_code == 422 and 'id="reason-error"' in again.text
    # Its reason is kept on one line: one line to type it on (no line break to refuse).
    assert '<input type="text" id="f-reason" name="reason"' in again.text
    # A reason refused (far too long): asked again, the reason as typed beside its message.
    pasted = "طلبت العائلة محو بياناته " * 40
    too_long = admin.post(path, data={**kept, "confirmed": "yes", "reason": pasted})
    assert too_long.status_code == 422 and 'name="confirmed" value="yes"' in too_long.text
    assert 'aria-describedby="reason-error"' in too_long.text and pasted.strip() in too_long.text
    assert _erased(system) == [] and "عبد الله الحلبي" in admin.get(person).text
    done = admin.post(path, data={**kept, "confirmed": "yes", "reason": "طلبت العائلة ذلك"})
    assert done.status_code == 303 and done.headers["location"].endswith(person)
    assert _erased(system) == ["طلبت العائلة ذلك"]
    after = admin.get(f"{person}?lang=ar").text
    assert "عبد الله الحلبي" not in after and 'id="h-erase"' not in after
    # Erased already (the form sent from a page left open): said on the person's page.
    twice = admin.post(path, data={**kept, "confirmed": "yes", "reason": "مرة ثانية"})
    assert twice.status_code in (409, 422) and _erased(system) == ["طلبت العائلة ذلك"]
    assert f"/ops/{OP}/vehicles/{vehicle}" in twice.text


def test_the_number_of_a_person_on_a_manifest_is_named_so_in_the_general_form(
    sqlite_system: Mamar,
) -> None:
    web = make_web(sqlite_system)
    client = web.client("coordinator")
    for lang, label, wrong in (
        ("ar", "الرقم في قائمة ركاب المركبة", "العدد"),
        ("en", "Number on the vehicle&#39;s manifest", ">Number <"),
    ):
        page = client.get(f"/ops/{OP}/record/vehicle.erase_person?lang={lang}").text
        field = re.search(r'<label for="f-number">(.*?)</label>', page, re.S)
        assert field is not None and label in field[1] and wrong not in field[0], page[-3000:]
