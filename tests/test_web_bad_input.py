"""Forms never lose work: every kind of bad input re-renders the form, in the page's
language, with what was typed and the message beside its field, recording nothing."""

from __future__ import annotations

import re

import lxml.html
import pytest

from mamar.system import Mamar
from tests.arabic_text import LATIN_WORD
from tests.test_web_forms import _incident_form
from tests.web_support import OP, csrf, make_web

CASES = [
    # (what changes, the field, words of the message)
    ({"injured": "-3"}, "injured", "0 أو أكثر"),
    ({"killed": "ثلاثة"}, "killed", "عدداً صحيحاً مكتوباً بالأرقام"),
    ({"description": ""}, "description", "هذا الحقل مطلوب"),
    ({"source.text": " "}, "source-text", "هذا الحقل مطلوب"),
    ({"event_type": ""}, "event_type", "هذا الحقل مطلوب"),
    ({"lat": "200"}, "lat", "بين"),
    ({"description": "قصف " * 25_000}, "description", "عدد محارف النص أكثر من"),
]


@pytest.mark.parametrize(("changes", "field", "words"), CASES, ids=lambda c: str(c)[:30])
def test_bad_input_comes_back_as_typed_with_the_reason_beside_the_field(
    system: Mamar, changes: dict[str, str], field: str, words: str
) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    form = _incident_form(csrf(client), **changes)
    response = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert response.status_code == 422, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    message = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', response.text)
    assert message is not None, response.text[-3000:]
    assert words in message.group(1) and not LATIN_WORD.search(message.group(1))
    for name, value in form.items():  # everything typed is still there
        if name != "csrf" and value.strip():
            assert value.strip()[:100] in response.text, name
    assert web.journal_size() == before


def test_a_form_too_large_to_read_gets_a_page_in_arabic_not_json(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    before = web.journal_size()
    form = _incident_form(csrf(client), description="ق" * 1_000_000)
    response = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert 'lang="ar"' in response.text and "لم يُسجَّل شيء" in response.text
    assert web.journal_size() == before
    # One of our pages, in the colours chosen: without a script it says to go back with
    # the browser's own button (its button back to the form is shown by static/forms.js).
    client.cookies.set("mamar_theme", "dark")
    response = client.post(f"/ops/{OP}/incidents?lang=ar", data=form)
    page = lxml.html.fromstring(response.text)
    assert page.get("data-theme") == "dark" and page.get("dir") == "rtl"
    sheets = [link.get("href") for link in page.xpath("//link[@rel='stylesheet']")]
    assert any(s.endswith("/app.css") for s in sheets) and any("dark.css" in s for s in sheets)
    hint = page.xpath("//*[@data-back-hint]")[0]
    assert hint.get("hidden") is None and "زرّ الرجوع" in hint.text_content()
    assert page.xpath("//button[@data-back]")[0].get("hidden") is not None
    assert any(s.get("src", "").endswith("/forms.js") for s in page.xpath("//script"))


def test_after_saving_the_page_says_what_was_saved_and_links_to_it(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    response = client.post(f"/ops/{OP}/incidents?lang=ar", data=_incident_form(csrf(client)))
    assert response.status_code == 303
    location = response.headers["location"]
    page = lxml.html.fromstring(client.get(location).text)
    notice = page.xpath("//p[@class='saved']")[0]
    # It names what was saved by its words, and sends nowhere: this is its page.
    said = " ".join(notice.text_content().split())
    assert notice.get("role") == "status"
    assert said == "حُفظ: أُبلغ عن حادثة — قصف قرب نقطة التجمع.", said
    assert notice.xpath(".//a") == []
    # Saved on a record with another page (an escalation of it): a link to that page.
    response = client.post(
        f"{location}/escalate?lang=ar",
        data={"csrf": csrf(client), "to_party": "russian-military", "message": "أوقفوا القصف"},
    )
    assert response.status_code == 303, response.text[:300]
    notice = lxml.html.fromstring(client.get(response.headers["location"]).text).xpath(
        "//p[@class='saved']"
    )[0]
    assert "أوقفوا القصف" in notice.text_content()
    assert notice.xpath(".//a/@href")[0].startswith(f"/ops/{OP}/escalations/")
