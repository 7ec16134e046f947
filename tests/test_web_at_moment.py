"""Every operation page honours ``?at=``: it says which moment it shows, shows the records as
they were then (a record created later is absent) and its links keep the moment."""

from __future__ import annotations

import re

from mamar.system import Mamar
from tests.web_support import OP, make_web

MOMENT = "2016-12-14T08:00"
LATER_CONVOY = "قافلة الحافلات وسيارات الإسعاف، ١٥ كانون الأول"  # planned on 15 December
LINK = re.compile(r'href="(/ops/[^"]*)"( data-now)?')


def test_every_page_of_the_operation_as_it_was_in_december_2016(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    dashboard = client.get(f"/ops/{OP}/dashboard?lang=ar&at={MOMENT}").text
    nav = re.findall(r"<nav[^>]*>.*?</nav>", dashboard, re.S)
    pages = sorted({h for n in nav for h, _ in LINK.findall(n)})
    assert len(pages) >= 10, pages
    now = client.get(f"/ops/{OP}/convoys?lang=ar").text
    assert LATER_CONVOY in now  # present today, so its absence below means something
    for href in [*pages, f"/ops/{OP}/convoys/first-wounded?at={MOMENT}"]:
        assert "at=2016-12-14T08%3A00" in href or "at=2016-12-14T08:00" in href, href
        response = client.get(href + "&lang=ar")
        assert response.status_code == 200, href
        page = response.text
        assert "كما كان الوضع في" in page, href
        assert LATER_CONVOY not in page, href
        assert "buses-15-december" not in page, href
        for link, now_link in LINK.findall(page):
            if not now_link and "/static/" not in link:
                assert "at=" in link, (href, link)
    later = client.get(f"/ops/{OP}/convoys/buses-15-december?lang=ar&at={MOMENT}")
    assert later.status_code == 404
    first = client.get(f"/ops/{OP}/convoys/first-wounded?format=json&at={MOMENT}").json()
    assert first["convoy"]["status"] == "preparing"
    assert all(e["occurred_at"] <= "2016-12-14T08:00:00+02:00" for e in first["history"])


def test_an_escalation_says_when_it_was_raised_answered_and_how_long_it_waited(
    system: Mamar,
) -> None:
    client = make_web(system).client("coordinator")
    url = f"/ops/{OP}/escalations/ramouseh-fire-escalation?lang=ar"
    answered = client.get(url).text
    facts = answered.split("<dl>", 1)[1].split("</dl>", 1)[0]
    assert "<dt>تاريخ الرفع</dt><dd>14 ديسمبر 2016، 9:15 ص" in facts
    assert "<dt>تاريخ أول ردّ</dt><dd>14 ديسمبر 2016، 9:25 ص" in facts
    assert "<dt>جاء أول ردّ بعد</dt><dd>10 دقائق</dd>" in facts  # frozen at the answer
    assert "بانتظار الرد منذ" not in facts
    assert "russian-military" not in facts and "القيادة العسكرية الروسية" in facts
    waiting = client.get(url + "&at=2016-12-14T09:20").text
    facts = waiting.split("<dl>", 1)[1].split("</dl>", 1)[0]
    assert "<dt>بانتظار الرد منذ</dt><dd><strong>5 دقائق</strong></dd>" in facts
    assert "تاريخ أول ردّ" not in facts
    assert client.get(url + "&at=2016-12-14T09:10").status_code == 404  # not yet raised


def test_the_agreement_comparison_marks_changes_in_words_too(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/agreements/evacuation-agreement?lang=ar&a=1&b=2").text
    table = page.split('<table class="terms-compare">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">الصيغة 1</th><th scope="col">الصيغة 2</th>' in table
    assert "<del>13 ديسمبر 2016، 6:00 م" in table and "<mark>15 ديسمبر 2016، 4:00 ص" in table
    assert table.count('<span class="visually-hidden"> (قبل التغيير)</span>') >= 3
    assert table.count('<span class="visually-hidden"> (بعد التغيير)</span>') >= 3
    assert "<strong>تغيّر</strong>" in table
    assert "ceasefire" not in table and "starts_at" not in table
