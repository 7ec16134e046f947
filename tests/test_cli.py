"""The command line, on a real SQLite file: rebuild, timeline, status, show, export, users."""

from __future__ import annotations

import contextvars
import json
import os
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mamar.cli import app, main
from mamar.projections.entities import dump
from mamar.system import Mamar

MINI = str(Path(__file__).parent / "scenarios" / "mini.yaml")
runner = CliRunner()


@pytest.fixture
def loaded(sqlite_system: Mamar) -> tuple[Mamar, str]:
    url = sqlite_system.settings.database_url
    result = runner.invoke(app, ["scenario", "run", MINI, "-d", url])
    assert result.exit_code == 0, result.output
    assert "8 events recorded" in result.output
    return sqlite_system, url


def test_rebuild_yields_identical_read_models(loaded: tuple[Mamar, str]) -> None:
    system, url = loaded
    with system.reading() as conn:
        before = dump(conn)
    result = runner.invoke(app, ["rebuild", "-d", url])
    assert result.exit_code == 0 and "from 8 events" in result.output
    with system.reading() as conn:
        assert dump(conn) == before


def test_timeline_in_time_order_with_precision_and_filters(loaded: tuple[Mamar, str]) -> None:
    _, url = loaded
    result = runner.invoke(app, ["timeline", "-d", url, "--json", "--entity", "convoy:batch-1"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert [e["type"] for e in entries][:2] == ["convoy.planned", "convoy.status_changed"]
    assert [e["occurred_at"] for e in entries] == sorted(e["occurred_at"] for e in entries)
    assert entries[1]["precision"] == "hour"
    # The words said for the time, with the language the scenario gives them in.
    assert entries[1]["phrase"] == {
        "original": "in the evening",
        "language": "en",
        "translations": [],
    }
    typed = json.loads(
        runner.invoke(
            app, ["timeline", "-d", url, "--json", "--type", "convoy.counts_recorded"]
        ).output
    )
    assert [e["type"] for e in typed] == ["convoy.counts_recorded"]
    arabic = runner.invoke(app, ["timeline", "-d", url, "--lang", "ar"])
    assert arabic.exit_code == 0 and "سُجّلت أعداد قافلة «الدفعة الأولى»" in arabic.output
    bad = runner.invoke(app, ["timeline", "-d", url, "--lang", "fr"])
    assert bad.exit_code != 0 and "ar or en" in " ".join(bad.output.replace("│", " ").split())


def test_status_as_of_a_past_moment(loaded: tuple[Mamar, str]) -> None:
    _, url = loaded
    past = runner.invoke(app, ["status", "-d", url, "--json", "--at", "2016-12-13T21:15+02:00"])
    assert past.exit_code == 0, past.output
    data = json.loads(past.output)
    assert list(data["convoys_by_status"]) == ["preparing"]
    now = json.loads(runner.invoke(app, ["status", "-d", url, "--json"]).output)
    assert now["evacuated"]["arrived"] == 38
    naive = runner.invoke(app, ["status", "-d", url, "--at", "2016-12-13T21:15"])
    assert naive.exit_code != 0 and "offset" in naive.output


def test_show_and_export(loaded: tuple[Mamar, str], tmp_path: Path) -> None:
    _, url = loaded
    shown = json.loads(runner.invoke(app, ["show", "convoy:batch-1", "-d", url, "--json"]).output)
    assert shown["status"] == "arrived"
    # For a person: each field by its name in the chosen language, values in its words.
    arabic = runner.invoke(app, ["show", "convoy:batch-1", "-d", url, "--lang", "ar"]).output
    assert "الحالة: وصلت" in arabic and "نوع السجل: قافلة" in arabic
    assert "status" not in arabic and "batch_of" not in arabic and "None" not in arabic
    english = runner.invoke(app, ["show", "convoy:batch-1", "-d", url, "--lang", "en"]).output
    assert "Status: arrived" in english and "batch_of" not in english
    out = tmp_path / "journal.jsonl"
    # Whose export it is must be said.
    unsaid = runner.invoke(app, ["export", "journal", "-d", url, "-o", str(out)])
    assert unsaid.exit_code != 0 and "--every-organisation" in str(unsaid.exception)
    every = ["export", "journal", "--every-organisation", "-d", url, "-o", str(out)]
    assert runner.invoke(app, every).exit_code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["position"] for line in lines] == list(range(1, 9))
    assert all(len(line["hash"]) == 64 for line in lines)


def test_user_add_list_disable(sqlite_system: Mamar) -> None:
    url = sqlite_system.settings.database_url
    added = runner.invoke(app, ["user", "add", "amal", "--role", "negotiator", "-d", url])
    assert added.exit_code == 0 and "password:" in added.output
    listed = runner.invoke(app, ["user", "list", "-d", url])
    assert "amal" in listed.output and "negotiator" in listed.output
    assert runner.invoke(app, ["user", "disable", "amal", "-d", url]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["user", "list", "-d", url]).output


def test_every_event_type_has_an_english_and_arabic_label() -> None:
    import mamar.features  # noqa: F401
    from mamar.i18n.labels import EVENT_LABELS, event_label
    from mamar.journal.registry import registered_types

    missing = [t for t in registered_types() if t not in EVENT_LABELS and not t.startswith("test.")]
    assert missing == []
    for type_name in EVENT_LABELS:
        assert event_label(type_name, "en") != event_label(type_name, "ar")


def test_every_incident_category_has_an_english_and_arabic_label() -> None:
    from mamar.i18n.labels import CATEGORY_LABELS, category_label
    from mamar.incidents.categories import EventType, SubEventType

    for value in [*EventType, *SubEventType]:
        assert value.value in CATEGORY_LABELS
    assert category_label("violence_against_civilians/attack", "ar") == "عنف ضد المدنيين — هجوم"
    assert category_label("battles/armed_clash", "en") == "Battles — Armed clash"


def test_the_demo_prints_every_account_whole_with_its_organisation(tmp_path: Path) -> None:
    from mamar.scenarios import runner as scenarios

    database = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--database", str(database), "--no-serve"])
    assert result.exit_code == 0, result.output
    scenario = scenarios.load("aleppo-2016")
    lines = result.output.splitlines()
    for account in scenario.accounts:
        row = next(line for line in lines if f" {account.username} " in line)
        password = row.split("│")[2].strip()
        # Whole, as it must be typed: token_urlsafe(12) is 16 characters.
        assert len(password) == 16, row
    flat = " ".join(" ".join(lines).replace("│", " ").split())
    for organisation in scenario.organisations:
        assert (organisation.name.en or "") in flat or organisation.id in flat


def test_the_demo_serves_the_scenario_it_is_given(tmp_path: Path) -> None:
    from mamar.scenarios import runner as scenarios

    database = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "two-towns", "--database", str(database), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "loaded two-towns" in result.output
    for account in scenarios.load("two-towns").accounts:
        assert f" {account.username} " in result.output, account.username
    kept = database.read_bytes()
    refused = runner.invoke(app, ["demo", "no-such-place", "--database", str(database)])
    assert refused.exit_code == 2 and "no-such-place" in refused.output
    assert database.read_bytes() == kept  # the last demo's database is left as it was


def test_lang_applies_to_every_message_of_the_run(tmp_path: Path) -> None:
    """``--lang ar`` on the command line: the note that the demo's database is read (said
    before the command's own output) is in Arabic too, and without it in English."""
    import subprocess
    import sys

    made = runner.invoke(app, ["demo", "--database", str(tmp_path / "mamar-demo.db"), "--no-serve"])
    assert made.exit_code == 0, made.output
    run = [sys.executable, "-c", "from mamar.cli.main import main; main()", "timeline"]
    env = {k: v for k, v in os.environ.items() if k not in ("MAMAR_LANG", "MAMAR_DATABASE_URL")}
    arabic = subprocess.run(
        [*run, "--lang", "ar"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert "تُقرأ قاعدة بيانات العرض التجريبي" in arabic.stderr, arabic.stderr
    assert "Reading" not in arabic.stderr and "ديسمبر 2016" in arabic.stdout
    english = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert "Reading the demo's database" in english.stderr, english.stderr
    # A command without a --lang of its own takes it anywhere on the line too.
    status = [*run[:-1], "status", "--lang", "ar"]
    overview = subprocess.run(status, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert overview.returncode == 0, overview.stderr
    assert "القوافل حسب الحالة" in overview.stdout and "Convoys" not in overview.stdout


def test_show_names_the_records_it_refers_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names, not ids: a convoy shown for a person names its operation, places, route,
    teams and escorts' parties in the chosen language, never by their identifiers."""
    database = tmp_path / "demo.db"
    made = runner.invoke(
        app, ["demo", "--database", str(database), "--no-serve"], env={"COLUMNS": "1000"}
    )
    assert made.exit_code == 0, made.output
    # Not the demo's own name in this folder: how to give it, not "run from this folder".
    assert f"--database {database.resolve()}" in made.output, made.output
    url = f"sqlite:///{database}"
    arabic = runner.invoke(app, ["show", "convoy:first-wounded", "-d", url, "--lang", "ar"])
    assert arabic.exit_code == 0, arabic.output
    for words in ("العملية: إخلاء شرق حلب", "نقطة الانطلاق: العامرية", "الطريق: طريق الخروج"):
        assert words in arabic.output, words
    assert (
        "- الكوادر الطبية" in arabic.output
        and "الطرف: الهلال الأحمر العربي السوري" in arabic.output
    )
    for raw in ("aleppo-2016", "amiriyah", "exit-route", "medical-staff", "factions-team"):
        assert raw not in arabic.output, raw
    english = runner.invoke(app, ["show", "convoy:first-wounded", "-d", url, "--lang", "en"])
    assert "Origin: Al-Amiriyah" in english.output or "Al-Amiriyah" in english.output
    # A field with nothing recorded shows a dash, not a label left bare.
    assert "المحطات: —" in arabic.output and "تنتظر: —" in arabic.output, arabic.output
    assert "Stops: —" in english.output and "Waits for: —" in english.output, english.output
    # A record that is not there is not found, not "refused" (as the command line says it).
    for lang, said in (
        ("ar", "لم يُعثر على قافلة بهذا المرجع: nope"),
        ("en", "No convoy with this reference: nope"),
    ):
        monkeypatch.setattr(
            sys, "argv", ["mamar", "--lang", lang, "show", "convoy:nope", "-d", url]
        )
        with pytest.raises(SystemExit) as stopped:
            contextvars.copy_context().run(main)  # its --lang stays in that run
        missing = capsys.readouterr().err
        assert stopped.value.code == 2 and said in missing, missing
        assert "رُفض" not in missing and "Refused" not in missing
    # Every record: those it refers to by their names, a choice in words, the record by its
    # short reference; no identifier, no code. The database given as a file, as demo takes it.
    seen = {
        "guarantee:turkey-safe-arrival": ("المقدَّم له: فصائل حلب", "- طريق الخروج", "المرجع: ضمان"),
        "party:aleppo-factions": ("النوع: جماعة مسلحة",),
        "place:amiriyah": ("النوع: حيّ",),
        "incident:sniper-civil-defence-chief": ("الجهة المنسوب إليها الفعل: ",),
    }
    for record, words in seen.items():
        shown = runner.invoke(app, ["show", record, "-d", str(database), "--lang", "ar"])
        assert shown.exit_code == 0, shown.output
        for said in words:
            assert said in shown.output, (record, said, shown.output)
        assert record.split(":")[1] not in shown.output, shown.output
        assert re.search(r"\b[a-z]+_[a-z_]+\b", shown.output) is None, shown.output
        assert "المعرّف" not in shown.output, shown.output


def test_user_list_names_each_accounts_organisation(sqlite_system: Mamar) -> None:
    url = sqlite_system.settings.database_url
    add_org = ["organisation", "add", "sarc", "--kind", "humanitarian", "-d", url]
    named = ["--name-ar", "الهلال الأحمر العربي السوري", "--name-en", "Syrian Arab Red Crescent"]
    assert runner.invoke(app, [*add_org, *named]).exit_code == 0
    user = ["user", "add", "amal", "--role", "operations", "--organisation", "sarc", "-d", url]
    assert runner.invoke(app, user).exit_code == 0
    wide = {"COLUMNS": "200"}
    arabic = runner.invoke(app, ["--lang", "ar", "user", "list", "-d", url], env=wide).output
    english = runner.invoke(app, ["--lang", "en", "user", "list", "-d", url], env=wide).output
    assert "الهلال الأحمر العربي السوري" in arabic and "sarc" not in arabic
    assert "Syrian Arab Red Crescent" in english and "sarc" not in english
