"""Pages tell when: the dashboard honours ``?at=`` (saying so), and an escalation shows
when it was raised and how long it waited, also once answered (not "waiting 0 minutes")."""

from __future__ import annotations

from mamar.system import Mamar
from tests.web_support import OP, make_web


def test_the_dashboard_as_it_was_at_a_moment(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    now = client.get(f"/ops/{OP}/dashboard?lang=ar").text
    then = client.get(f"/ops/{OP}/dashboard?lang=ar&at=2016-12-14T12:00").text
    assert "كما كان الوضع في" in then and "كما كان الوضع في" not in now
    assert then != now
    assert 'href="/ops/aleppo-2016/dashboard?lang=ar"' in then  # back to now
    bad = client.get(f"/ops/{OP}/dashboard?lang=ar&at=yesterday")
    assert bad.status_code == 400


def test_an_answered_escalation_says_how_long_it_waited(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/escalations/ramouseh-fire-escalation?lang=ar").text
    assert "<dt>تاريخ الرفع</dt><dd>13 ديسمبر 2016" in page or "<dt>تاريخ الرفع</dt><dd>1" in page
    assert "جاء أول ردّ بعد" in page
    assert "مدة الانتظار: 0" not in page and "0 دقيقة" not in page
