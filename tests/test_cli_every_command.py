"""Every command of the command line, found by walking the Typer app: a command added later is
covered without being listed here (one with required arguments must be given some in
``ARGS``, or these tests fail and say so).

- A command that may not create the database (every one not marked ``creates_database``:
  those that read, and those that change records which must already be there) refuses a
  database that is not there: it says so in the reader's language and creates nothing.
- Every command speaks the language ``--lang`` asks for: run on the demo's database, what it
  prints has no English word outside what the users recorded and what is typed.
- Output into a pipe whose reader is gone ends with status 0, text and bytes alike.
"""

from __future__ import annotations

import contextvars
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import typer
from sqlalchemy import inspect
from typer.testing import CliRunner

from mamar.accounts.tokens import create_token
from mamar.cli import app, main
from mamar.db.engine import make_engine
from mamar.evidence import log, witnesses
from mamar.evidence.note import COSIGNATURE_V1, Signer
from mamar.evidence.witness_client import WitnessState
from mamar.system import Mamar
from tests.arabic_text import LATIN_WORD, offences, recorded_texts
from tests.geo_osm import helsinki_pbf

ROOT = typer.main.get_command(app)


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield " ".join(path), command


#: Every command, by what is typed to run it ("export journal").
COMMANDS = dict(_leaves(ROOT))


def _opens_database(command: Any) -> bool:
    return any(param.name == "database" for param in command.params)


def _creates(command: Any) -> bool:
    return bool(getattr(command.callback, "creates_database", False))


#: The commands that open the database and may not create it.
REFUSERS = [name for name, command in COMMANDS.items() if _opens_database(command)]
REFUSERS = [name for name in REFUSERS if not _creates(COMMANDS[name])]

#: What each command is given besides ``--lang ar``: enough to do its work on the demo's
#: database. ``{files}`` is a folder of the test's own; the other names are made ready by the
#: ``demo`` fixture.
ARGS: dict[str, list[str]] = {
    "init": [],
    "import-osm": ["{pbf}", "--name", "walk-roads"],
    "show": ["convoy:first-wounded"],
    "demo": ["--no-serve", "--database", "{files}/another-demo.db"],
    "export journal": ["--every-organisation", "-o", "{files}/journal.jsonl"],
    "route assess": ["exit-route"],
    "route compare": ["exit-route@1", "exit-route@2"],
    "route plan": ["24.94,60.17", "24.96,60.18", "--graph", "helsinki", "-k", "1"],
    "places search": ["الراموسة"],
    "places export": ["-o", "{files}/places-export.csv"],
    "places import": ["{files}/new-place.csv", "--operation", "aleppo-2016"],
    "control export": ["-o", "{files}/control-export.geojson"],
    "control import": ["{files}/new-area.geojson", "--operation", "aleppo-2016"],
    "control who": ["ramouseh-roundabout"],
    "checkpoint new-key": ["walk.example/log", "-o", "{files}/walk-log.key"],
    "evidence export": [
        "convoy:first-wounded",
        "-o",
        "{files}/walk-bundle.json",
        "--as",
        "liaison-ru",
    ],
    "evidence verify": ["{files}/bundle.json"],
    "report sitrep": ["--as", "coordinator", "-o", "{files}/sitrep.html", "--format", "html"],
    "import incidents": [
        "{files}/incidents.csv",
        "--as",
        "coordinator",
        "--format",
        "hxl",
        "--id-prefix",
        "partner-",
    ],
    "scenario run": ["two-towns", "--database", "sqlite:///{files}/scenario.db"],
    "user add": [
        "walker",
        "--role",
        "observer",
        "--display-name",
        "مراقب جديد",
        "--password",
        "typed-secret",
    ],
    "user disable": ["observer", "--reason", "انتهت مهمته"],
    "organisation add": ["walkers", "--kind", "humanitarian", "--name-ar", "فريق المشي"],
    "token create": ["admin"],
    "token revoke": ["{token_id}"],
    "witness new-key": ["walk.example/witness", "-o", "{files}/walk-witness.key"],
    "witness add": ["icrc", "{witness_key}"],
    "witness init": ["--log-key", "{log_key}", "--state", "{files}/walk-state.json"],
    "witness run": [
        "--url",
        "{unreachable}",
        "--token",
        "x",
        "--key",
        "{files}/witness.key",
        "--state",
        "{files}/witness-state.json",
    ],
}
for _format in ("geojson", "hxl", "acled", "cap", "gpx", "kml"):
    ARGS[f"export {_format}"] = ["--as", "coordinator", "-o", f"{{files}}/export.{_format}"]

#: Commands not run here, and why.
NOT_RUN = {"serve": "it serves until stopped: what it prints is the web server's log"}
#: A command whose run here ends in a refusal (the refusal is what is checked).
REFUSED = {"witness run": 1}


def _args(name: str, values: dict[str, str]) -> list[str]:
    command = COMMANDS[name]
    if name not in ARGS:
        required = [p.name for p in command.params if p.required]
        assert not required, f"give `mamar {name}` example arguments in ARGS ({required})"
    return [arg.format(**values) for arg in ARGS.get(name, [])]


def _mamar(*argv: str, **env: str | None) -> tuple[int, str]:
    """``mamar ARGV`` as the installed program runs it (``main``: ``--lang`` anywhere on the
    line, refusals in the reader's words), in this process; its status and all it printed."""
    runner = CliRunner()
    environment = {"MAMAR_LANG": "en", "COLUMNS": "400", "MAMAR_DATABASE_URL": None, **env}
    with runner.isolation(env=environment) as (_out, _err, output):
        saved = sys.argv
        sys.argv = ["mamar", *argv]
        try:
            contextvars.copy_context().run(main)  # the language asked stays in this run
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        finally:
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        return code, output.getvalue().decode()


# --- a missing database ----------------------------------------------------------------------

#: What a refusal may hold besides Arabic words: the database's path (and the demo's), the
#: options and the commands as typed.
TYPED_IN_REFUSAL = re.compile(r"[\w./-]+\.db\b|--[a-z][\w-]*")
COMMAND_WORDS = {word for name in COMMANDS for word in name.split()} | {"mamar"}


def test_the_commands_that_may_create_a_database_are_few_and_named() -> None:
    creators = sorted(name for name, command in COMMANDS.items() if _creates(command))
    assert creators == sorted(
        ["init", "demo", "serve", "scenario run", "user add", "organisation add", "import-osm"]
    )
    assert len(REFUSERS) > 30  # the walk found the commands


@pytest.mark.parametrize("name", REFUSERS)
def test_a_command_on_a_missing_database_says_so_in_arabic_and_creates_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(here)
    values = {
        "files": str(elsewhere),
        "pbf": str(elsewhere / "roads.osm.pbf"),
        "token_id": "a-token",
        "witness_key": "a-key",
        "log_key": "a-key",
        "unreachable": "http://127.0.0.1:9",
    }
    code, said = _mamar(*name.split(), *_args(name, values), "--lang", "ar")
    assert code != 0, said
    message = " ".join(said.split())
    assert "لا توجد قاعدة بيانات في mamar.db، ولم يُنشأ شيء" in message, message
    words = LATIN_WORD.findall(TYPED_IN_REFUSAL.sub(" ", message))
    assert [w for w in words if w not in COMMAND_WORDS] == [], message
    assert list(here.iterdir()) == [] and list(elsewhere.iterdir()) == []


@pytest.mark.postgres
def test_a_postgresql_database_without_its_schema_is_refused_and_left_empty(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, said = _mamar("user", "list", "--database", postgres_url, "--lang", "ar")
    assert code == 1 and "لا توجد قاعدة بيانات في postgresql://" in " ".join(said.split())
    assert list(tmp_path.iterdir()) == []  # not even a vault key beside it
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
    finally:
        engine.dispose()
    code, said = _mamar("init", "--database", postgres_url, "--lang", "ar")
    assert code == 0, said
    code, said = _mamar("user", "list", "--database", postgres_url, "--lang", "ar")
    assert code == 0, said


def test_a_command_that_creates_says_where_and_init_makes_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, said = _mamar("init", "--lang", "ar")
    assert code == 0, said
    assert "قاعدة البيانات جاهزة" in said and (tmp_path / "mamar.db").exists()
    code, said = _mamar("user", "list", "--lang", "ar")  # now there: read, and said in Arabic
    assert code == 0 and "الحساب" in said, said


# --- every command in Arabic -----------------------------------------------------------------


def _unreachable() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


def _prepare(files: Path, url: str) -> dict[str, str]:
    """What the commands are given: a signed checkpoint, a bundle, a token, a witness, files
    to import. Made with the commands themselves where they make them."""
    pbf = str(helsinki_pbf(files))
    for argv in (
        ("checkpoint", "sign"),
        ("evidence", "export", "convoy:first-wounded", "-o", f"{files}/bundle.json"),
        ("export", "hxl", "--as", "coordinator", "-o", f"{files}/incidents.csv"),
        ("import-osm", pbf, "--name", "helsinki"),
    ):
        extra = ["--as", "liaison-ru"] if argv[0] == "evidence" else []
        code, said = _mamar(*argv, *extra, MAMAR_DATABASE_URL=url)
        assert code == 0, (argv, said)
    system = Mamar(database_url=url)
    try:
        with system.writing() as conn:
            token_id, _token = create_token(conn, "admin")
            registered = Signer.generate("icrc.example/witness", COSIGNATURE_V1)
            witnesses.add(conn, organisation="icrc", key=registered.verifier.encode())
        log_key = log.load_signer(system.settings).verifier.encode()
    finally:
        system.engine.dispose()
    log.create_key(files / "witness.key", "sarc.example/witness", kind=COSIGNATURE_V1)
    WitnessState(log_key=log_key).save(files / "witness-state.json")
    (files / "new-place.csv").write_text(
        "id,name_ar,kind,lat,lon\nwalk-place,ساحة المشي,other,36.19,37.15\n", encoding="utf-8"
    )
    square = [[37.1, 36.1], [37.2, 36.1], [37.2, 36.2], [37.1, 36.1]]
    area = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [square]},
        "properties": {
            "layer": "control_area",
            "id": "walk-area",
            "name_ar": "منطقة المشي",
            "party": "government-forces",
            "valid_from": "2016-12-10T00:00+02:00",
        },
    }
    (files / "new-area.geojson").write_bytes(
        orjson.dumps({"type": "FeatureCollection", "features": [area]})
    )
    return {
        "files": str(files),
        "pbf": pbf,
        "token_id": token_id,
        "witness_key": Signer.generate("walk.example/w", COSIGNATURE_V1).verifier.encode(),
        "log_key": log_key,
        "unreachable": _unreachable(),
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo's database (aleppo-2016), and what the commands are given to run on it."""
    files = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{files / 'mamar-demo.db'}"
    code, said = _mamar("demo", "--no-serve", "--database", str(files / "mamar-demo.db"))
    assert code == 0, said
    return {**_prepare(files, url), "url": url}


#: What is typed or generated rather than said: options, paths, URLs, key names and keys,
#: hashes, tokens, identifiers, and a password made for an account (16 letters, digits, _
#: or -, in both cases: an English word that long and so written would be missed).
GENERATED = re.compile(
    r"--[a-z][\w-]*|\S*/\S*|[\w+=-]{20,}|\b[0-9a-f]{8,}\b|\b[\w-]+\.(?:db|key|json|csv|html)\b"
    r"|(?<![\w-])(?=[\w-]{16}(?![\w-]))(?=\S*[a-z])(?=\S*[A-Z0-9])[\w-]{16}"
    r"|`[^`]*`|\b[A-Z]+(?:_[A-Z0-9]+)+\b"  # a command line to type, an environment variable
)


def _users_texts(url: str) -> re.Pattern[str]:
    system = Mamar(database_url=url)
    try:
        return recorded_texts(system)
    finally:
        system.engine.dispose()


RUN = [name for name in COMMANDS if name not in NOT_RUN]
#: Commands whose whole output is data, not sentences (keys, a signed note).
WITHOUT_WORDS = {
    "vault new-key",
    "checkpoint public-key",
    "checkpoint sign",
    "checkpoint show",
    "witness list",
}


@pytest.mark.parametrize("name", RUN)
def test_every_command_speaks_the_language_asked(
    name: str, demo: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo["files"])  # whatever a command leaves, it leaves there
    args = _args(name, demo)
    code, said = _mamar(*name.split(), *args, "--lang", "ar", MAMAR_DATABASE_URL=demo["url"])
    assert code == REFUSED.get(name, 0), said
    shown = GENERATED.sub(" ", said)
    for typed in args:  # what was typed comes back as typed
        shown = re.sub(rf"(?<![\w-]){re.escape(typed)}(?![\w-])", " ", shown)
    assert offences(shown, _users_texts(demo["url"])) == [], said  # users' texts are theirs
    if said.strip() and name not in WITHOUT_WORDS:
        assert re.search("[\u0600-\u06ff]", said), said


def test_every_command_is_run_or_said_why_not() -> None:
    assert set(RUN) | set(NOT_RUN) == set(COMMANDS)
    assert set(NOT_RUN) <= set(COMMANDS) and set(ARGS) <= set(COMMANDS)


# --- a closed pipe ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "first_line"),
    [
        (["timeline", "--lang", "ar"], False),  # text, through the console
        (["places", "export"], False),  # text, written directly
        (["export", "journal", "--every-organisation"], True),  # bytes, streamed: `| head -1`
        (["export", "journal", "--every-organisation"], False),  # bytes: `| head -0`
        (["export", "geojson", "--as", "coordinator"], False),  # bytes, one file
        (["report", "sitrep", "--as", "coordinator", "-o", "-", "--format", "pdf"], False),
    ],
    ids=["timeline", "places-export", "journal-head-1", "journal", "geojson", "sitrep-pdf"],
)
def test_output_into_a_pipe_its_reader_closed_ends_with_status_0(
    argv: list[str], first_line: bool, demo: dict[str, str]
) -> None:
    run = subprocess.Popen(
        [sys.executable, "-c", "from mamar.cli import main; main()", *argv],
        cwd=demo["files"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "MAMAR_DATABASE_URL": demo["url"]},
    )
    assert run.stdout is not None and run.stderr is not None
    if first_line:
        assert run.stdout.readline().startswith(b'{"position":1')
    run.stdout.close()  # the reader is gone: `| head -1`, or before any line
    errors = run.stderr.read().decode()
    assert run.wait(timeout=300) == 0, errors
    assert "Traceback" not in errors and "Broken pipe" not in errors, errors
