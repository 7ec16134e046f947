"""Every record is called by words on its pages and in the lists that pick it, never "—":
a guarantee by what was guaranteed, a vehicle by its label, and a record with no name of
its own (a position, a channel, an influence, a mandate) by the records it joins."""

from __future__ import annotations

import re

from mamar.system import Mamar
from tests.web_support import OP, make_web


def _title(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found[1]).strip()


def test_a_guarantee_is_called_by_what_was_guaranteed(system: Mamar) -> None:
    client = make_web(system).client("coordinator")
    page = client.get(f"/ops/{OP}/guarantees/turkey-safe-arrival?lang=ar")
    assert page.status_code == 200
    title = _title(page.text)
    assert title.startswith("الضمان: ") and "—" not in title.split(":", 1)[1][:3], title
    outcome = client.get(f"/ops/{OP}/guarantees/turkey-safe-arrival/outcome?lang=ar")
    assert "—" not in _title(outcome.text).split(":", 1)[1][:3], _title(outcome.text)


def test_a_position_is_called_by_its_party_and_its_issue(system: Mamar) -> None:
    client = make_web(system).client("negotiator")
    page = client.get(f"/ops/{OP}/positions/factions-on-exit/revise?lang=ar")
    assert page.status_code == 200, page.status_code
    title = _title(page.text)
    assert title.startswith("تعديل الموقف: موقف ") and " من " in title, title
    assert "—" not in title, title


def test_the_general_forms_list_vehicles_and_positions_by_words(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("negotiator")
    form = client.get(f"/ops/{OP}/record/position.revise?lang=ar").text
    select = re.search(r'<select[^>]*name="id"[^>]*>(.*?)</select>', form, re.S)
    assert select is not None
    shown = [
        re.sub(r"<[^>]+>", "", o).strip()
        for o in re.findall(r"<option[^>]*>(.*?)</option>", select[1], re.S)
    ]
    picked = [o for o in shown if o and not o.startswith("—") and "اختر" not in o]
    assert picked and all(o.startswith("موقف ") for o in picked), shown


def test_a_teams_report_names_the_team_for_every_reader(system: Mamar) -> None:
    """A source of kind "own team" is the recording organisation's team: the Russian
    liaison officer reads whose team it was, never "our team" (which would make the
    factions' negotiator his own); the one reporting picks "our team"."""
    web = make_web(system)
    for role in ("liaison", "coordinator"):
        page = web.client(role).get(f"/ops/{OP}/incidents/shelling-after-midnight?lang=ar")
        assert page.status_code == 200
        source = re.search(r"<dt>المصدر</dt><dd>(.*?)</dd>", page.text, re.S)
        assert source is not None
        words = re.sub(r"<[^>]+>", "", source[1])
        assert "فريقنا" not in words, (role, words)
        assert re.search(r"\(فريق الجهة المسجِّلة: [^—)]+\)", words), (role, words)
    form = web.client("coordinator").get(f"/ops/{OP}/incidents?lang=ar").text
    assert re.search(r'<option value="own_team"[^>]*>فريقنا</option>', form), "the form's choice"
