"""An incident known only to the day is shown by its day alone, with its precision, on
every page that says when it happened: the list, its page and its history."""

from __future__ import annotations

import re

from mamar.system import Mamar
from tests.web_support import OP, make_web

BOMBARDMENT = "bombardment-east-aleppo"  # 8 December 2016, known only to the day


def test_an_incident_known_only_to_the_day_shows_no_clock_time(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("operations")
    listed = client.get(f"/ops/{OP}/incidents?lang=ar").text
    assert "8 ديسمبر 2016 (غرينتش+02:00) <small>(التاريخ دون ساعة)</small>" in listed
    assert "8 ديسمبر 2016، " not in listed
    # An incident known to the minute keeps its time and zone.
    assert re.search(r"14 ديسمبر 2016، \d+:\d\d [صم] \(غرينتش\+02:00\)", listed)
    english = client.get(f"/ops/{OP}/incidents?lang=en").text
    assert "8 December 2016 (GMT+02:00) <small>(to the day)</small>" in english
    assert "8 December 2016, " not in english
    twin = client.get(f"/ops/{OP}/incidents?format=json").json()
    assert twin["precision"][BOMBARDMENT] == "day"
    page = client.get(f"/ops/{OP}/incidents/{BOMBARDMENT}?lang=ar").text
    occurred = page[page.index("<dt>وقت الحدوث</dt>") :]
    assert occurred.startswith("<dt>وقت الحدوث</dt><dd>8 ديسمبر 2016 (غرينتش+02:00) <small>")
    # Its history: the report, on the day alone.
    assert "8 ديسمبر 2016، " not in page
    assert ">8 ديسمبر 2016 (غرينتش+02:00) <small>(التاريخ دون ساعة" in page
    # The map's list of incidents says it the same way.
    mapped = client.get(f"/ops/{OP}/map?lang=ar").text
    line = re.search(rf'<li><a href="/ops/{OP}/incidents/{BOMBARDMENT}">.*?</li>', mapped, re.S)
    assert line is not None
    assert "8 ديسمبر 2016 (غرينتش+02:00)" in line[0] and "8 ديسمبر، " not in line[0], line[0]


def test_an_escalation_raised_on_a_day_shows_no_clock_time(system: Mamar) -> None:
    """An escalation recorded as raised on a day, its time not known: its page says the
    day, its zone and its precision."""
    from datetime import datetime

    from mamar.domain.time import OccurredAt, Precision
    from mamar.escalations.commands import RaiseEscalation
    from mamar.services.commands import SYSTEM

    web = make_web(system)
    raised = RaiseEscalation.model_validate(
        {
            "id": "day-only",
            "operation": OP,
            "about": [{"kind": "incident", "id": BOMBARDMENT}],
            "to_party": "russian-military",
            "message": {"original": "القصف مستمر", "language": "ar"},
        }
    )
    at = datetime.fromisoformat("2016-12-09T12:00+02:00")
    system.execute(raised, actor=SYSTEM, occurred=OccurredAt(at=at, precision=Precision.DAY))
    page = web.client("operations").get(f"/ops/{OP}/escalations/day-only?lang=ar").text
    assert "<dd>9 ديسمبر 2016 (غرينتش+02:00) <small>(التاريخ دون ساعة)</small></dd>" in page
    assert "9 ديسمبر 2016، " not in page
