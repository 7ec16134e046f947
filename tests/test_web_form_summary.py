"""A refused form says so where the page opens: a summary at the top of the form (how many
problems, a link to each field with its label and message, in the page's language), focused
when the page opens, and «خطأ: » before the page's title; refusals of the domain beside
their field (a convoy's places and counts, a guarantee's parties, a ceasefire's end, a
family's phone and birth year, an incident's half point)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest

from mamar.accounts.credentials import set_password
from mamar.convoys.commands import PlanConvoy
from mamar.domain.errors import DomainError
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.arabic_text import LATIN_WORD
from tests.test_web_forms import _incident_form
from tests.web_support import ACCOUNTS, OP, PASSWORD, csrf, make_web


def _beside(page: str, field: str) -> str:
    """The message beside the field ``field`` (its id, dots as dashes), or ''."""
    found = re.search(rf'id="{re.escape(field)}-error" role="alert">([^<]*)<', page)
    return unescape(found.group(1)) if found else ""


def _choices(page: str, name: str) -> list[str]:
    select = re.search(rf'name="{re.escape(name)}".*?</select>', page, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]+)"', select.group(0))


def _summary(page: str) -> str:
    found = re.search(r'<div class="error-summary" id="problems"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, page[-3000:]
    return found.group(0)


def test_a_refused_incident_opens_on_a_summary_at_the_top_of_its_form(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    sent = _incident_form(csrf(client), injured="كثير", lat="36.17", lon="")
    refused = client.post(f"/ops/{OP}/incidents?lang=ar", data=sent)
    assert refused.status_code == 422, refused.text[-1500:]
    page = refused.text
    title = unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))  # type: ignore[union-attr]
    assert title.startswith("خطأ: "), title
    summary = _summary(page)
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    words = unescape(re.sub(r"<[^>]+>", " ", summary))
    assert "مشكلتان" in words, words
    assert not LATIN_WORD.search(words), words
    # A link to each field refused, which is on the page, named by its label.
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert sorted(targets) == ["f-injured", "lon"], targets
    # The longitude left empty beside a latitude: asked for, not called a bad number.
    assert "اكتب خط الطول أيضاً" in unescape(_beside(page, "lon")), _beside(page, "lon")
    for target in targets:
        assert f'id="{target}"' in page
    # At the top of the form that was refused, not above the incidents' table.
    form_at = page.rfind("<form", 0, page.index('id="problems"'))
    assert 'action="/ops/aleppo-2016/incidents"' in page[form_at : form_at + 200]
    assert page.index('id="problems"') > page.index("<table")


def test_a_refused_form_in_english_says_its_problems_in_english(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    refused = client.post(
        f"/ops/{OP}/incidents?lang=en", data=_incident_form(csrf(client), injured="many")
    )
    assert refused.status_code == 422
    assert re.search(r"<title>Error: ", refused.text)
    words = unescape(re.sub(r"<[^>]+>", " ", _summary(refused.text)))
    assert "There is 1 problem in this form" in words, words
    assert not re.search(r"[\u0600-\u06ff]", words), words


def test_a_page_without_a_refusal_has_no_summary_and_no_error_title(system: Mamar) -> None:
    web = make_web(system)
    page = web.client("operations").get(f"/ops/{OP}/incidents?lang=ar").text
    assert 'id="problems"' not in page and "<title>خطأ" not in page


def test_a_convoy_from_a_place_to_itself_or_with_more_arrived_than_boarded_is_refused(
    system: Mamar,
) -> None:
    web = make_web(system)
    client = web.client("operations")
    form = client.get(f"/ops/{OP}/convoys?lang=ar").text
    plan = {
        "csrf": csrf(client),
        "name.ar": "قافلة العامرية",
        "visibility": _choices(form, "visibility")[0],
        "origin": "ramouseh",
        "destination": "ramouseh",
    }
    before = web.journal_size()
    refused = client.post(f"/ops/{OP}/convoys?lang=ar", data=plan)
    assert refused.status_code == 422, refused.text[-1500:]
    assert "مكاناً غير مكان الانطلاق" in _beside(refused.text, "destination")
    counts = {**plan, "destination": "idlib", "counts.boarded": "50", "counts.arrived": "900"}
    refused = client.post(f"/ops/{OP}/convoys?lang=ar", data=counts)
    assert refused.status_code == 422, refused.text[-1500:]
    assert "أكبر من عدد من صعدوا" in _beside(refused.text, "counts-arrived")
    assert web.journal_size() == before
    # The domain refuses it, whoever asks (the API and the command line too).
    for wrong, code in (
        ({"origin": "ramouseh", "destination": "ramouseh"}, "same_place"),
        ({"counts": {"boarded": 50, "arrived": 900}}, "count_exceeds_boarded"),
    ):
        with pytest.raises(DomainError) as caught:
            system.execute(
                PlanConvoy(operation=OP, name={"ar": "قافلة"}, **wrong),  # type: ignore[arg-type]
                actor=SYSTEM,
            )
        assert caught.value.code == code
    assert web.journal_size() == before


def test_a_guarantee_given_to_its_guarantor_says_to_choose_another_party(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    form = client.get(f"/ops/{OP}/guarantees/new?lang=ar").text
    sent = {
        "csrf": csrf(client),
        "visibility": _choices(form, "visibility")[0],
        "guarantor": "turkey",
        "given_to": "turkey",
        "what": "ممر آمن للجرحى",
    }
    refused = client.post(f"/ops/{OP}/guarantees/new?lang=ar", data=sent)
    assert refused.status_code == 422, refused.text[-1500:]
    assert "اختر طرفاً آخر" in _beside(refused.text, "given_to")


def test_a_ceasefire_ending_before_it_starts_is_said_beside_its_end(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    form = client.get(f"/ops/{OP}/negotiation/agreement?lang=ar").text
    sent = {
        "csrf": csrf(client),
        "visibility": _choices(form, "visibility")[0],
        "title.ar": "اتفاق تجربة",
        "parties": _choices(form, "parties")[:2],
        "term.ceasefire.0.area": "شرق حلب",
        "term.ceasefire.0.starts_at": "2016-12-15 10:00",
        "term.ceasefire.0.ends_at": "2016-12-14 10:00",
    }
    refused = client.post(f"/ops/{OP}/negotiation/agreement?lang=ar", data=sent)
    assert refused.status_code == 422, refused.text[-1500:]
    assert "النهاية بعد البداية" in _beside(refused.text, "term-ceasefire-0-ends_at")


def test_a_family_with_a_wrong_phone_or_a_birth_year_to_come_is_told_what_is_expected(
    system: Mamar,
) -> None:
    web = make_web(system)
    with system.writing() as conn:
        set_password(conn, "sarc-registrar", PASSWORD)
    ACCOUNTS["registrar"] = "sarc-registrar"
    client = web.client("registrar")
    added = client.post(
        f"/ops/{OP}/manifests",
        data={"csrf": csrf(client), "convoy": "first-wounded", "label": "إسعاف ٤"},
    )
    assert added.status_code == 303, added.text
    vehicle = added.headers["location"].rsplit("/", 1)[1]
    before = web.journal_size()
    this_year = datetime.now(UTC).year
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family?lang=ar",
        data={
            "csrf": csrf(client),
            "name.0": "سارة الحلبي",
            "year.0": str(this_year + 1),
            "phone": "رقمي ٠٩٤٤",
        },
    )
    assert sent.status_code == 422, sent.text[-1500:]
    phone = _beside(sent.text, "phone")
    assert "بالأرقام" in phone and "+963" in phone, phone
    sent = client.post(
        f"/ops/{OP}/vehicles/{vehicle}/family?lang=ar",
        data={"csrf": csrf(client), "name.0": "سارة الحلبي", "year.0": str(this_year + 1)},
    )
    assert sent.status_code == 422, sent.text[-1500:]
    year = _beside(sent.text, "year-0")
    assert "لا يمكن أن تكون سنة الميلاد بعد" in year, year
    assert web.journal_size() == before
