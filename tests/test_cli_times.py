"""The command line's times: written as CLDR writes them in the reader's language, in the
operation's zone, with the year and the zone's offset; a moment known only to the day
without a clock time; every line of one timeline in one zone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mamar.cli import app
from mamar.operations.model import OpenOperation
from mamar.services.commands import SYSTEM
from tests.conftest import make_system
from tests.helpers import aleppo_database

runner = CliRunner()
ISO = re.compile(r"\d{4}-\d\d-\d\d")
ZONE = re.compile(r"\((?:غرينتش|GMT)[+-]\d\d:\d\d\)")


@pytest.fixture(scope="module")
def aleppo(tmp_path_factory: pytest.TempPathFactory) -> str:
    return aleppo_database(tmp_path_factory.mktemp("aleppo") / "aleppo.db")


def said(url: str, *args: str, lang: str = "ar") -> str:
    result = runner.invoke(app, ["--lang", lang, *args, "--database", url])
    assert result.exit_code == 0, result.output
    return result.output


def test_status_says_its_moments_as_the_timeline_does(aleppo: str) -> None:
    arabic = said(aleppo, "status", "--at", "2016-12-16T12:00+02:00")
    assert "كما في 16 ديسمبر 2016، 12:00 م (غرينتش+02:00)" in arabic
    assert "منذ 15 ديسمبر 2016، 4:00 ص (غرينتش+02:00)" in arabic
    assert not ISO.search(arabic), arabic
    english = said(aleppo, "status", "--at", "2016-12-16T12:00+02:00", lang="en")
    assert "as of 16 December 2016, 12:00 (GMT+02:00)" in english
    assert "since 15 December 2016, 04:00 (GMT+02:00)" in english
    assert not ISO.search(english), english


def test_show_says_its_moments_as_the_timeline_does(aleppo: str) -> None:
    arabic = said(aleppo, "show", "convoy:first-wounded")
    assert "تاريخ التسجيل: 14 ديسمبر 2016، 7:00 ص (غرينتش+02:00)" in arabic
    assert "في: 14 ديسمبر 2016، 9:00 ص (غرينتش+02:00)" in arabic
    assert not ISO.search(arabic), arabic
    english = said(aleppo, "show", "convoy:first-wounded", lang="en")
    assert "At: 14 December 2016, 09:00 (GMT+02:00)" in english
    assert not ISO.search(english), english


def test_show_gives_a_moment_known_only_to_the_day_without_a_clock_time(aleppo: str) -> None:
    arabic = said(aleppo, "show", "incident:bombardment-east-aleppo")
    occurred = next(line for line in arabic.splitlines() if line.startswith("وقت الحدوث"))
    assert occurred == "وقت الحدوث: 8 ديسمبر 2016 (غرينتش+02:00)"
    assert "12:00" not in arabic


def test_show_gives_a_record_of_no_operation_in_the_installation_s_zone(aleppo: str) -> None:
    """An organisation belongs to no operation: its times are in the zone of the one
    operation the installation has, not in Greenwich time."""
    arabic = said(aleppo, "show", "organisation:sarc")
    assert "تاريخ التسجيل: 1 ديسمبر 2016 (غرينتش+02:00)" in arabic


def test_every_line_of_a_timeline_is_in_one_zone(aleppo: str) -> None:
    for lang in ("ar", "en"):
        lines = said(aleppo, "timeline", lang=lang).splitlines()
        zones = {found.group(0) for line in lines if (found := ZONE.search(line))}
        assert zones == {"(غرينتش+02:00)" if lang == "ar" else "(GMT+02:00)"}, zones
        assert len([line for line in lines if ZONE.search(line)]) == len(lines)
    # The timeline of an organisation alone: in the zone of the installation's operation.
    alone = said(aleppo, "timeline", "--entity", "organisation:sarc")
    assert "(غرينتش+02:00)" in alone and "(غرينتش+00:00)" not in alone


def test_a_timeline_of_operations_in_two_zones_is_in_greenwich_time(tmp_path: Path) -> None:
    """Two operations in different zones: a timeline of both is in one zone, Greenwich
    time; a timeline of one is in that operation's zone."""
    url = aleppo_database(tmp_path / "two.db")
    system = make_system(url)
    system.execute(
        OpenOperation.model_validate(
            {"id": "far", "name": {"en": "Far away"}, "timezone": "Asia/Kabul"}
        ),
        actor=SYSTEM,
    )
    system.dispose()
    both = said(url, "timeline", lang="en")
    assert {m.group(0) for m in ZONE.finditer(both)} == {"(GMT+00:00)"}
    one = said(url, "timeline", "--operation", "aleppo-2016", lang="en")
    assert {m.group(0) for m in ZONE.finditer(one)} == {"(GMT+02:00)"}
