"""Files and what people typed, on the command line.

- A file that cannot be read or written is said from the catalogues in the reader's language:
  which file and what is wrong (missing, its folder missing, a folder, not readable, not text,
  not a key), never the operating system's English ("[Errno 13] Permission denied").
- What a person typed (a name, a path) is printed as it was written: square brackets are
  never read as the terminal's markup ("[bold]…[/bold]" stays as it is; "[/red]" alone does
  not break the command).
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mamar.cli import app
from mamar.i18n.files import file_trouble
from tests.arabic_text import offences, texts_pattern

ARABIC = re.compile("[\u0600-\u06ff]")
#: What is typed: commands in `code`, $VARIABLES and constants, a key's literal prefix.
TYPED = re.compile(r"`[^`]*`|\b[A-Z][A-Z0-9_]*\b|\S*\+\S*")
#: What the operating system says in English, which no message may show.
ENGLISH_OS = re.compile(r"Errno|No such file|Permission denied|Is a directory|codec")


def _run(*args: str) -> Result:
    return CliRunner().invoke(
        app, ["--lang", "ar", *args], env={"COLUMNS": "400", "MAMAR_LANG": "en"}
    )


def _arabic_only(output: str, written: set[str]) -> None:
    """Arabic words, and no Latin word but ``written`` (paths, names) and what is typed."""
    assert not ENGLISH_OS.search(output), output
    shown = TYPED.sub(" ", texts_pattern(written).sub(" ", output))
    assert ARABIC.search(shown), output
    assert offences(shown, None) == [], output


def _witness_run(key: Path, state: str = "state.json") -> Result:
    return _run(
        "witness", "run", "--url", "http://127.0.0.1:9", "--token", "t", "--key", str(key),
        "--state", state,
    )  # fmt: skip


def test_a_witness_key_file_that_cannot_be_used_is_said_in_arabic(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    binary = tmp_path / "binary.key"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    garbage = tmp_path / "garbage.key"
    garbage.write_text("PRIVATE+KEY+not-a-key\n", encoding="utf-8")
    cases = {
        tmp_path / "missing.key": "غير موجود",
        tmp_path / "nowhere" / "w.key": "المجلد",
        folder: "مجلد وليس ملفاً",
        binary: "ليس مفتاح توقيع",
        garbage: "ليس مفتاح توقيع",
    }
    for key, what in cases.items():
        result = _witness_run(key)
        assert result.exit_code == 1, result.output
        _arabic_only(result.output, {str(key), str(key.parent)})
        assert str(key) in result.output and what in result.output, result.output


def test_a_witness_state_that_cannot_be_used_is_said_in_arabic(tmp_path: Path) -> None:
    key = tmp_path / "w.key"
    assert _run("witness", "new-key", "w.example/w", "-o", str(key)).exit_code == 0
    not_state = tmp_path / "state.json"
    not_state.write_text("[1, 2]", encoding="utf-8")
    for state, what in (
        (tmp_path / "none.json", "غير موجود"),
        (not_state, "ليس ملف حالة شاهد"),
    ):
        result = _witness_run(key, str(state))
        assert result.exit_code == 1, result.output
        _arabic_only(result.output, {str(state)})
        assert str(state) in result.output and what in result.output


def test_files_written_in_a_folder_that_is_not_there_are_said_in_arabic(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    database = f"sqlite:///{tmp_path}/mamar.db"
    assert _run("init", "--database", database).exit_code == 0
    for args in (
        ["witness", "new-key", "w.example/w", "-o", str(missing / "w.key")],
        ["checkpoint", "new-key", "c.example/c", "-o", str(missing / "c.key")],
        ["witness", "init", "--log-key", _log_key(tmp_path), "--state", str(missing / "s")],
        ["export", "journal", "--every-organisation", "-o", str(missing / "j.jsonl"), "-d", database],
        ["places", "import", str(missing / "places.csv"), "--operation", "op", "-d", database],
    ):  # fmt: skip
        result = _run(*args)
        assert result.exit_code == 1, (args, result.output)
        _arabic_only(result.output, {str(missing), *(a for a in args if "/" in a)})
        assert f"المجلد {missing}" in result.output or "غير موجود" in result.output


def _log_key(tmp_path: Path) -> str:
    key = tmp_path / "log.key"
    made = _run("checkpoint", "new-key", "log.example/l", "-o", str(key))
    assert made.exit_code == 0, made.output
    return made.output.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "code",
    [
        errno.ENOENT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR, errno.ENOSPC,
        errno.EROFS, errno.EEXIST, errno.ENAMETOOLONG, errno.EIO, errno.EMFILE,
    ],
)  # fmt: skip
def test_every_file_error_names_the_file_in_each_language(tmp_path: Path, code: int) -> None:
    """Whatever the system says (its message is English), the reader gets the catalogue's
    sentence with the file's path; an error the catalogue has no sentence for says its
    number."""
    path = tmp_path / "some file.txt"
    error = OSError(code, os.strerror(code), str(path))
    arabic, english = file_trouble(error)("ar"), file_trouble(error)("en")
    assert str(path) in arabic and str(path) in english
    assert os.strerror(code) not in arabic
    _arabic_only(arabic, {str(path)})
    assert not ENGLISH_OS.search(english)
    assert arabic != english


def test_a_cli_error_from_the_system_is_said_in_arabic_by_the_program(tmp_path: Path) -> None:
    """Through the real program (``main``): the key given is a folder."""
    result = subprocess.run(
        [sys.executable, "-c", "from mamar.cli import main; main()", "--lang", "ar",
         "witness", "run", "--url", "http://127.0.0.1:9", "--token", "t",
         "--key", str(tmp_path), "--state", "s"],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"}, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    _arabic_only(result.stderr, {str(tmp_path)})
    assert f"{tmp_path} مجلد وليس ملفاً" in result.stderr


# --- what people typed ---------------------------------------------------------------------

BRACKETS = "[bold]سوق[/bold] [/red] [red"


def test_a_name_with_square_brackets_is_printed_as_typed(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path}/mamar.db"
    added = _run(
        "organisation", "add", "brackets", "--kind", "humanitarian", "--name-ar", BRACKETS,
        "--database", database,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = _run("organisation", "list", "--database", database)
    assert listed.exit_code == 0, listed.output
    assert BRACKETS in listed.output
    shown = _run("show", "organisation:brackets", "--database", database)
    assert shown.exit_code == 0, shown.output
    assert BRACKETS in shown.output


def test_an_error_about_what_was_typed_prints_it_as_typed(tmp_path: Path) -> None:
    key = tmp_path / "[red]k[blue] [bold.key"
    result = _witness_run(key)
    assert result.exit_code == 1, result.output
    assert f"الملف {key} غير موجود" in result.output
    refused = _run("witness", "new-key", "[/bold] x", "-o", str(tmp_path / "w.key"))
    assert refused.exit_code == 1
    assert "«[/bold] x»" in refused.output


def test_a_malformed_anchor_is_said_in_arabic(tmp_path: Path) -> None:
    """Through the real program: a usage error is said by ``main`` in the reader's words."""
    database = f"sqlite:///{tmp_path}/mamar.db"
    assert _run("init", "--database", database).exit_code == 0
    for anchor in ("12:abc", "0:" + "ab" * 32):
        result = subprocess.run(
            [sys.executable, "-c", "from mamar.cli import main; main()", "--lang", "ar",
             "verify", "--against", anchor, "--database", database],
            capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"}, cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert "SHA-256" not in result.stderr and "hexadecimal" not in result.stderr
        _arabic_only(result.stderr, {anchor, "--against", "mamar verify --help"})
