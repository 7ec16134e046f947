"""Every time a person reads on a page says its zone: a time read off a phone may be relayed
by radio to someone in another zone. The short form of a list's line (contacts, the map's
incidents, the dashboard, the negotiation board, a route's approvals) carries the zone's
short offset ("GMT+2", "غرينتش+٢"); a ceasefire's daily hours say the zone by its name."""

from __future__ import annotations

import re

import pytest

from mamar.scenarios import runner
from mamar.system import Mamar
from mamar.web import i18n
from tests.arabic_text import visible_text
from tests.web_support import OP, make_web, signed_in

#: A clock time (not part of an offset "+02:00", nor of a typed example "2016-12-15 05:00").
CLOCK = re.compile(r"(?<![\d:+\-])(?<!\d{4}-\d{2}-\d{2} )\d{1,2}:\d{2}(?![\d:])")
#: What follows a clock that says its zone: "(GMT+2)", " ص (غرينتش+02:00)".
ZONED = re.compile(r"(?:\s*[صم])?\s*\((?:GMT|غرينتش)")
PAGES = ("contacts", "map", "dashboard", "negotiation", "routes/exit-route")


def _unzoned(text: str) -> list[str]:
    return [
        text[max(0, m.start() - 20) : m.end() + 12]
        for m in CLOCK.finditer(text)
        if not ZONED.match(text, m.end())
    ]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_time_on_the_lists_says_its_zone(sqlite_system: Mamar, lang: str) -> None:
    client = make_web(sqlite_system).client("coordinator")
    clocks = 0
    for page in PAGES:
        response = client.get(f"/ops/{OP}/{page}?lang={lang}")
        assert response.status_code == 200, page
        text = visible_text(response.text, lang)
        clocks += len(CLOCK.findall(text))
        assert _unzoned(text) == [], page
    assert clocks >= 20  # the lists hold times: the check is not vacuous
    contacts = visible_text(client.get(f"/ops/{OP}/contacts?lang={lang}").text, lang)
    assert ("(غرينتش+2)" if lang == "ar" else "(GMT+2)") in contacts


def test_the_short_zone_is_in_the_readers_digits(sqlite_system: Mamar, arabic_indic: None) -> None:
    client = make_web(sqlite_system).client("coordinator")
    text = visible_text(client.get(f"/ops/{OP}/map?lang=ar").text)
    assert "(غرينتش+٢)" in text and "غرينتش+2" not in text


def test_short_offsets_follow_cldr() -> None:
    moment = "2016-12-15T03:05:00+00:00"
    assert i18n.when(moment, "en", "Asia/Damascus", "short") == "15 Dec, 05:05 (GMT+2)"
    assert i18n.when(moment, "en", "Asia/Kolkata", "short") == "15 Dec, 08:35 (GMT+5:30)"
    assert i18n.when(moment, "en", "UTC", "short") == "15 Dec, 03:05 (GMT)"
    assert i18n.when(moment, "ar", "America/New_York", "short") == "14 ديسمبر، 10:05 م (غرينتش-5)"


def test_a_daily_ceasefire_says_its_hours_zone(sqlite_system: Mamar, arabic_indic: None) -> None:
    runner.run(sqlite_system, runner.load("two-towns"))
    client = signed_in(sqlite_system, "relief-officer")
    path = "/ops/two-towns/ceasefires/daily-pause"
    arabic = visible_text(client.get(f"{path}?lang=ar").text)
    hours = next(line for line in arabic.splitlines() if line.startswith("من الساعة"))
    assert hours.startswith("من الساعة ٨:٠٠ ص إلى الساعة ٦:٠٠ م"), hours
    assert hours.endswith("(غرينتش+٠٢:٠٠)"), hours  # the operation's zone is a fixed offset
    english = visible_text(client.get(f"{path}?lang=en").text, "en")
    hours = next(line for line in english.splitlines() if line.startswith("08:00 to 18:00"))
    assert hours.endswith("(GMT+02:00)"), hours
