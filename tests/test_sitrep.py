"""The situation report: its sections, Arabic that reads right in the PDF, and nothing of
another organisation's in anyone's report."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mamar.cli import app
from mamar.domain.visibility import Role
from mamar.reports.making import SitrepRequest, make_sitrep
from mamar.scenarios import runner
from mamar.system import Mamar
from tests.conftest import make_system
from tests.helpers import aleppo_database
from tests.org_support import OP, World, account, build, may_see

AT = datetime.fromisoformat("2016-12-22T23:00+02:00")
CI = bool(__import__("os").environ.get("CI"))


def _poppler() -> None:
    if shutil.which("pdftotext") is None:
        if CI:
            pytest.fail("pdftotext (poppler-utils) is missing: .ci/run installs it")
        pytest.skip("pdftotext (poppler-utils) is not installed")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("sitrep") / "mamar.db"
    system = make_system(f"sqlite:///{path}")
    yield build(system)
    system.dispose()


def report(system: Mamar, username: str, *, lang: str = "ar", fmt: str = "html") -> bytes:
    request = SitrepRequest(operation=OP, at=AT, lang=lang, format=fmt)
    return make_sitrep(system, system.actor(username), request).content


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    _poppler()
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def joined(text: str) -> str:
    """The text without spaces, line breaks and bidirectional marks: a long word broken
    across two lines of a table cell reads as one again."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def glyphs_per_letter(pdf: bytes) -> dict[str, set[str]]:
    """From the PDF's ToUnicode maps: the glyphs that stand for each character."""
    found: dict[str, set[str]] = defaultdict(set)
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        if b"beginbfchar" not in data and b"beginbfrange" not in data:
            continue
        font = str(hash(data))
        for glyph, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", data):
            if len(text) == 4:
                found[chr(int(text, 16))].add(f"{font}:{glyph.decode()}")
    return found


# --- the Arabic PDF ----------------------------------------------------------------


def test_arabic_pdf_text_is_in_logical_order_with_its_letters_joined(
    world: World, tmp_path: Path
) -> None:
    pdf = report(world.system, account("icrc", Role.OPERATIONS), fmt="pdf")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    # Logical order: the words come out as they are written, first letter first.
    for words in ("تقرير الوضع", "وقف إطلاق النار", "سجل الضمانات", "المهام المفتوحة", "المصدر"):
        assert words in text, words
    # Shaped, not drawn from presentation forms: the text maps back to the letters themselves.
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text)
    # Joined: a letter met at the start, middle and end of words is drawn with different
    # glyphs (its initial, medial and final forms), each mapped back to the same letter.
    letters = glyphs_per_letter(pdf)
    joined = [c for c in "بتلمنيعسه" if len(letters.get(c, ())) >= 2]
    assert len(joined) >= 6, {c: len(letters.get(c, ())) for c in "بتلمنيعسه"}


def test_english_pdf_of_the_same_report(world: World, tmp_path: Path) -> None:
    text = pdf_text(
        report(world.system, account("sarc", Role.OPERATIONS), lang="en", fmt="pdf"), tmp_path
    )
    for words in ("Situation report", "Guarantee ledger", "Convoys and people moved", "Provenance"):
        assert words in text, words


# --- the words of an Arabic report ---------------------------------------------------


class _LatinOutsideUserData(HTMLParser):
    """Latin letters in text that is neither user data (marked with ``lang`` or
    ``dir="auto"``) nor a hash: words of ours that were not translated."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        marked = ("lang" in named and tag != "html") or named.get("dir") == "auto"
        marked = marked or "hash" in (named.get("class") or "")
        if tag in ("style", "svg"):
            self.skip += 1
        self.stack.append(marked)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg"):
            self.skip -= 1
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.skip or any(self.stack):
            return
        if re.search("[A-Za-z]", data):
            self.found.append(data.strip())


def test_an_arabic_report_has_no_english_word_of_ours(world: World) -> None:
    html = report(world.system, account("factions-team", Role.COORDINATOR)).decode()
    checker = _LatinOutsideUserData()
    checker.feed(html)
    assert checker.found == []
    assert 'lang="ar" dir="rtl"' in html


def test_the_report_has_every_section(world: World) -> None:
    html = report(world.system, account("sarc", Role.OPERATIONS), lang="en").decode()
    for heading in (
        "Ceasefire",
        "Agreements in force",
        "What changed from version 1 to version 2",
        "Incidents",
        "Alleged perpetrator",
        "Escalations",
        "Time to answer",
        "Guarantee ledger",
        "Convoys and people moved",
        "Still unknown",
        "Open tasks",
        "Map",
        "Timeline",
        "Provenance",
    ):
        assert heading in html, heading
    # A term's words in the reader's language: the scenario says them in Arabic, translated.
    assert "Everyone inside leaves; fighters with their light weapons" in html
    assert "The wounded first, by ambulance" in html
    assert "الجرحى أولاً بسيارات الإسعاف" not in html
    # The figures are drawn by us, inline: no image, no link, nothing to fetch.
    assert html.count("<svg") >= 2
    assert "<img" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


# --- nothing internal to another organisation ---------------------------------------


def test_each_organisations_report_holds_nothing_of_anothers(world: World) -> None:
    for org in world.organisations:
        for role in (Role.LIAISON, Role.COORDINATOR):
            html = report(world.system, account(org, role), lang="en").decode()
            for marker in world.markers:
                if may_see(marker, org, role):
                    assert marker.text in html or marker.part is not None, (org, role, marker)
                else:
                    assert marker.text not in html, (org, role, marker.text)


def test_two_liaisons_pdfs_differ_by_what_each_may_see(world: World, tmp_path: Path) -> None:
    seen = {}
    for org in ("russian-command", "turkey"):
        text = joined(
            pdf_text(report(world.system, account(org, Role.LIAISON), fmt="pdf"), tmp_path)
        )
        seen[org] = text
        for marker in world.markers:
            if not may_see(marker, org, Role.LIAISON):
                assert marker.text not in text, (org, marker.text)
    own = [
        m.text for m in world.markers if m.owner == "turkey" and m.visibility.value == "internal"
    ]
    assert own and all(m in seen["turkey"] for m in own)
    assert not any(m in seen["russian-command"] for m in own)


# --- the API route and the dashboard's link -----------------------------------------


def test_the_api_gives_the_pdf_and_the_html(world: World) -> None:
    headers = world.headers("icrc", Role.LIAISON)
    path = f"/api/v1/operations/{OP}/sitrep?at=2016-12-22T23:00%2B02:00"
    pdf = world.client.get(path + "&format=pdf&lang=ar", headers=headers)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    html = world.client.get(path, headers={**headers, "Accept-Language": "ar"})
    assert html.status_code == 200
    assert "تقرير الوضع" in html.text
    assert "script-src" not in html.headers["content-security-policy"]


def test_the_api_refuses_a_backwards_period_and_a_hidden_operation(world: World) -> None:
    headers = {**world.headers("icrc", Role.LIAISON), "Accept-Language": "ar"}
    backwards = world.client.get(
        f"/api/v1/operations/{OP}/sitrep?at=2016-12-14T00:00%2B02:00&from=2016-12-20T00:00%2B02:00",
        headers=headers,
    )
    assert backwards.status_code == 422
    assert backwards.json()["error"]["field"] == "from"
    missing = world.client.get("/api/v1/operations/no-such-op/sitrep", headers=headers)
    assert missing.status_code == 404
    anonymous = world.client.get(f"/api/v1/operations/{OP}/sitrep")
    assert anonymous.status_code == 401


def test_the_dashboard_links_to_the_report(world: World) -> None:
    page = world.client.get(f"/ops/{OP}/dashboard", headers=world.headers("sarc", Role.OPERATIONS))
    assert page.status_code == 200
    assert f"/api/v1/operations/{OP}/sitrep?lang=" in page.text


# --- the command line ---------------------------------------------------------------


def test_cli_writes_the_report_of_a_period(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    system = make_system(url)
    runner.run(system, runner.load("aleppo-2016"))
    system.dispose()
    out = tmp_path / "sitrep.html"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "sitrep",
            "--as",
            "liaison-ru",
            "--from",
            "2016-12-14T00:00+02:00",
            "--to",
            "2016-12-16T00:00+02:00",
            "--lang",
            "ar",
            "--format",
            "html",
            "-o",
            str(out),
            "--database",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "الفترة: من" in html
    refused = CliRunner().invoke(
        app,
        [
            "report",
            "sitrep",
            "--as",
            "liaison-ru",
            "--at",
            "yesterday",
            "-o",
            "-",
            "--database",
            url,
        ],
    )
    assert refused.exit_code != 0
    assert "--at" in str(refused.exception) or "--at" in refused.output


def test_the_report_and_the_exports_on_each_engine(system: Mamar) -> None:
    """The same report and files from SQLite and PostgreSQL."""
    from mamar.exchange.exports import make_export

    runner.run(system, runner.load("aleppo-2016"))
    reader = system.actor("liaison-tr")
    html = make_sitrep(
        system, reader, SitrepRequest(operation=OP, at=AT, lang="en", format="html")
    ).content.decode()
    assert "Guarantee ledger" in html and "Agreements in force" in html
    assert html.count("<svg") >= 2
    for fmt in ("geojson", "acled", "cap", "gpx"):
        assert make_export(system, reader, fmt=fmt, operation=OP).content


# --- times: year, zone, precision -----------------------------------------------------


@pytest.fixture(scope="module")
def aleppo(tmp_path_factory: pytest.TempPathFactory) -> str:
    return aleppo_database(tmp_path_factory.mktemp("aleppo") / "aleppo.db")


def _aleppo_report(url: str, out: Path, fmt: str, lang: str = "ar") -> None:
    result = CliRunner().invoke(
        app,
        [
            *("report", "sitrep", "--as", "liaison-ru", "--at", "2016-12-16T12:00+02:00"),
            *("--lang", lang, "--format", fmt, "-o", str(out), "--database", url),
        ],
    )
    assert result.exit_code == 0, result.output


def test_every_time_of_the_report_has_its_year_and_zone(aleppo: str, tmp_path: Path) -> None:
    """A report is read far away and months later: each time says its year and its zone's
    offset, and an incident known only to the day shows no clock time."""
    html = tmp_path / "sitrep.html"
    _aleppo_report(aleppo, html, "html")
    page = html.read_text(encoding="utf-8")
    assert "كما في 16 ديسمبر 2016، 12:00 م (غرينتش+02:00)" in page
    assert re.search(r"أُعدّ في \d+ \w+ \d{4}، [\d:]+ [صم] \(غرينتش[+-]\d\d:\d\d\) لحساب", page)
    # The ceasefire's history: when it came into force, in full.
    assert "<td>13 ديسمبر 2016، 6:00 م (غرينتش+02:00)</td><td>ساري المفعول</td>" in page
    # The bombardment of 8 December is known only to the day.
    assert "8 ديسمبر 2016 (غرينتش+02:00)" in page
    assert "8 ديسمبر 2016، " not in page
    english = tmp_path / "sitrep.en.html"
    _aleppo_report(aleppo, english, "html", "en")
    assert "As of 16 December 2016, 12:00 (GMT+02:00)" in english.read_text(encoding="utf-8")
    # The PDF made from it says the same (pdftotext reorders the figures of Arabic
    # lines, so the header is read piece by piece).
    pdf = tmp_path / "sitrep.pdf"
    _aleppo_report(aleppo, pdf, "pdf")
    text = joined(pdf_text(pdf.read_bytes(), tmp_path))
    header = text[text.index("كمافي") : text.index("لحساب")]
    assert header.count("2016") == 1 and header.count("غرينتش") == 2, header
    assert "(التاريخدونساعة)" in text  # joined: the words without spaces


def test_the_report_says_whose_account_it_was_made_for(aleppo: str, tmp_path: Path) -> None:
    html = tmp_path / "sitrep.html"
    _aleppo_report(aleppo, html, "html")
    page = html.read_text(encoding="utf-8")
    made_for = (
        'لحساب «<span dir="auto">ضابط ارتباط الجانب الروسي</span>» (القيادة العسكرية الروسية)؛'
    )
    assert made_for in page
    assert "للحساب" not in page
    pdf = tmp_path / "sitrep.pdf"
    _aleppo_report(aleppo, pdf, "pdf")
    assert "لحساب«ضابطارتباطالجانبالروسي»(القيادةالعسكريةالروسية)؛" in joined(
        pdf_text(pdf.read_bytes(), tmp_path)
    )
