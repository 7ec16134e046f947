"""Details the phone audit of the aleppo-2016 demo found, each on the page: a task's due
time (with its zone) on its page and in the list; a vehicle registered through the general
form opens on its own page; the maps' zoom buttons named in the page's language; a moment
not understood (``?at=``) named in words, once; the comparison's two pickers told apart;
the dashboard's note on a figure set apart from the figure."""

from __future__ import annotations

import re
from html import unescape

from mamar.system import Mamar
from tests.arabic_text import LATIN_WORD
from tests.web_support import OP, csrf, make_web


def test_a_task_says_when_it_is_due_with_the_zone(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    sent = client.post(
        f"/ops/{OP}/tasks/new?lang=ar",
        data={
            "csrf": csrf(client),
            "assignee": "sarc",
            "title.ar": "إخلاء الجرحى من المشفى الميداني",
            "due": "2016-12-15 09:30",
        },
    )
    assert sent.status_code == 303, sent.text[-1500:]
    page = unescape(client.get(sent.headers["location"] + "?lang=ar").text)
    assert "الموعد المحدد" in page and "15 ديسمبر 2016، 9:30 ص (غرينتش+02:00)" in page, page[-3000:]
    listing = unescape(client.get(f"/ops/{OP}/tasks?lang=ar").text)
    assert "الموعد المحدد: 15 ديسمبر 2016، 9:30 ص (غرينتش+02:00)" in listing


def test_a_vehicle_registered_through_the_general_form_opens_on_its_page(
    system: Mamar,
) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    sent = client.post(
        f"/ops/{OP}/record/vehicle.register?lang=ar",
        data={"csrf": csrf(client), "convoy": "first-wounded", "label": "إسعاف ٩"},
    )
    assert sent.status_code == 303, sent.text[-1500:]
    location = sent.headers["location"]
    assert re.fullmatch(rf"/ops/{OP}/vehicles/[^/?]+", location), location
    page = client.get(location + "?lang=ar")
    assert page.status_code == 200 and "إسعاف ٩" in unescape(page.text)
    # The "saved" line names it, and links nowhere: this is its page.
    saved = re.search(r'<p class="saved" role="status">(.*?)</p>', page.text, re.S)
    assert saved is not None and "إسعاف ٩" in saved[1] and "href=" not in saved[1], saved


def test_the_maps_zoom_buttons_are_named_in_the_pages_language(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    page = client.get(f"/ops/{OP}/map?lang=ar").text
    assert 'data-label-zoom-in="تكبير الخريطة"' in page
    assert 'data-label-zoom-out="تصغير الخريطة"' in page
    form = client.get(f"/ops/{OP}/incidents?lang=ar").text
    if "pick-point.js" in form:
        assert 'data-label-zoom-in="تكبير الخريطة"' in form


def test_a_moment_not_understood_is_named_in_words_once(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    page = client.get(f"/ops/{OP}/convoys?lang=ar&at=garbage")
    assert page.status_code == 400
    words = unescape(re.sub(r"<[^>]+>", " ", page.text.split('<main id="main"', 1)[1]))
    assert "«اللحظة»" in words, words
    assert "«at»" not in words and words.count("تعذّر فهم القيمة") == 1, words


def test_the_two_versions_compared_are_labelled_apart(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    listing = client.get(f"/ops/{OP}/negotiation?lang=ar").text
    links = re.findall(rf'href="(/ops/{OP}/agreements/[^"/?]+)"', listing)
    labels: list[str] = []
    for href in links:
        page = client.get(href + "?lang=ar").text
        labels = re.findall(r'<label for="c[ab]">([^<]*)</label>', page)
        if labels:
            break
    assert labels == ["الصيغة الأولى", "الصيغة الثانية"], labels


def test_the_dashboards_note_on_a_figure_is_in_the_texts_size(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    page = client.get(f"/ops/{OP}/dashboard?lang=ar").text
    totals = re.search(r'<dl class="totals">(.*?)</dl>', page, re.S)
    assert totals is not None
    notes = re.findall(r'<small class="figure-note">([^<]*)</small>', totals.group(1))
    assert notes, totals.group(1)
    for note in notes:
        assert "لم يُعرف عدد ركاب" in note and not LATIN_WORD.search(note), note
    assert not re.search(r"<dd>[^<]*\(عدا ", totals.group(1))
