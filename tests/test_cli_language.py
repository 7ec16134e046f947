"""The command line's help and usage errors speak the reader's language: every command's and
option's description is a catalogue message with Arabic words, and the help of every command,
shown in Arabic, has no English word of the product's own. What a person types (commands,
``--options``, argument names, formats and values such as ``kind:id``) stays as it is."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

import mamar
from mamar.cli import app, language
from mamar.web.i18n import has_words
from tests.arabic_text import LATIN_WORD, PYTHON, SNAKE

ROOT = typer.main.get_command(app)

#: What is typed rather than read: `code`, options, $VARIABLES, paths, kind:id, file names,
#: capitals (standards, formats and argument names) and the names of standards and programs.
TYPED = re.compile(
    r"``[^`]*``|\b(?:SQLite|PostgreSQL|OpenStreetMap|GeoJSON|JSON Lines|Ed25519|uvicorn"
    r"|ar|en|csv|html|pdf|geojson|json|occurred|recorded|true|false|never|internal|shared"
    r"|read|write|incidents|convoys|movements)\b|\b\d+[a-z]+\b|--?[a-z][\w-]*|\$\w+|\w+://\S*|\S*[:@/.+<>=,]\S*"
    r"|\b[a-z0-9]+(?:-[a-z0-9]+)+\b|\b[A-Z][A-Z0-9_]*\b"
)


def _commands(
    command: typer.core.TyperGroup | object, path: tuple[str, ...]
) -> Iterator[tuple[str, ...]]:
    yield path
    for name in getattr(command, "commands", {}):
        yield from _commands(command.commands[name], (*path, name))  # type: ignore[attr-defined]


COMMANDS = list(_commands(ROOT, ()))
#: The commands' own names, as typed.
NAMES = {name for path in COMMANDS for name in path} | {"mamar"}


def test_every_description_has_words_in_the_catalogue() -> None:
    missing = []
    for path in COMMANDS:
        found = language.asked(ROOT, [*path, "--help"])
        assert found is not None
        texts = [found.command.help] + [getattr(p, "help", None) for p in found.command.params]
        missing += [(path, t) for t in texts if t and not has_words(t.strip())]
    assert missing == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "mamar")
def test_every_commands_help_in_arabic_has_no_english_of_its_own(path: tuple[str, ...]) -> None:
    found = language.asked(ROOT, [*path, "--help"])
    assert found is not None and found.unknown is None
    text = language.help_text("ar", found)
    typed = set(NAMES)
    for param in found.command.params:
        typed |= {str(param.default)} if isinstance(param.default, str) else set()
        choices = getattr(getattr(param, "type_descriptor", None), "choices", None) or ()
        typed |= {str(getattr(c, "value", c)) for c in choices}
    rest = TYPED.sub(" ", text)
    words = [w for w in LATIN_WORD.findall(rest) if w not in typed]
    assert (words, PYTHON.findall(text), SNAKE.findall(rest)) == ([], [], []), text
    assert re.search("[\u0600-\u06ff]", text)


#: An English placeholder: a word in capitals (ENTITY, TOKEN_ID, POSITION:SHA256HEX,
#: ``--as ACCOUNT``, N); the environment's variables (MAMAR_…, as typed) left aside.
PLACEHOLDER = re.compile(r"(?<![$\w])(?!MAMAR_)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b")
#: Capitals that are names, not placeholders: standards, formats, programs.
NAMED = {
    "ACLED", "CAP", "CSV", "GPX", "HTML", "HXL", "ISO", "JSON", "KML", "PDF", "RFC", "XML",
    "YAML", "ZIP", "URL", "UTC", "API", "C2SP", "INC",
}  # fmt: skip


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "mamar")
def test_every_commands_help_in_arabic_has_no_english_placeholder(path: tuple[str, ...]) -> None:
    """What an argument stands for (ENTITY, ROUTES…) is said in words, in the usage line,
    the list of arguments and the descriptions alike."""
    found = language.asked(ROOT, [*path, "--help"])
    assert found is not None
    text = language.help_text("ar", found)
    english = [w for w in PLACEHOLDER.findall(text) if w not in NAMED]
    assert english == [], text
    usage = text.splitlines()[0].split(" ")
    assert [w for w in usage if LATIN_WORD.search(w) and w not in NAMES] == [], text


def test_help_lists_a_groups_commands_and_a_commands_options() -> None:
    found = language.asked(ROOT, ["--lang", "ar", "export"])  # a group alone: its help
    assert found is not None
    text = language.help_text("ar", found)
    assert text.startswith("الاستعمال: mamar export [الخيارات] الأمر")
    assert "الأوامر:" in text and "  journal " in text and "  geojson " in text
    found = language.asked(ROOT, ["timeline", "--order", "recorded", "--help"])
    assert found is not None and found.path == ("mamar", "timeline")
    text = language.help_text("ar", found)
    assert "--order" in text and "[الافتراضي: occurred]" in text
    assert language.asked(ROOT, ["timeline", "--order", "recorded"]) is None  # to be run


#: The package's source folder, the one these tests import, for a process started with a
#: bare environment.
SOURCE = str(Path(mamar.__file__).parents[1])


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from mamar.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONPATH": SOURCE},
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--lang", "ar", "timelin"], "لا يوجد أمر باسم timelin في mamar"),
        (
            ["--lang", "ar", "export", "hxl", "--of", "x"],
            "يقبل إحدى القيم: incidents أو convoys أو movements",
        ),
        (["--lang", "ar", "timeline", "--order", "xyz"], "occurred أو recorded"),
        (["--lang", "ar", "show"], "يجب إعطاء القيد."),
        (["--lang", "ar", "timeline", "--nope"], "لا يوجد خيار باسم --nope"),
        (["--lang", "ar", "timeline", "--order"], "الخيار --order يحتاج إلى قيمة."),
        (["--lang", "ar", "token", "create", "x", "--expires-in", "soon"], "never"),
    ],
)
def test_a_usage_error_is_said_in_arabic_and_changes_nothing(
    args: list[str], said: str, tmp_path: Path
) -> None:
    result = _run(*args, tmp_path=tmp_path)
    assert result.returncode == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert said in message
    assert "خطأ:" in message and "--help" in message
    typed = NAMES | set(args)  # what was typed comes back as typed
    words = [w for w in LATIN_WORD.findall(TYPED.sub(" ", message)) if w not in typed]
    assert words == [], message
    assert list(tmp_path.iterdir()) == []  # no database was made


def test_help_is_printed_in_the_language_of_the_environment(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from mamar.cli import main; main()", "status", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "MAMAR_LANG": "ar", "PYTHONPATH": SOURCE},
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("الاستعمال: mamar status [الخيارات]")
    english = _run("status", "--help", tmp_path=tmp_path)
    assert english.stdout.startswith("Usage: mamar status [OPTIONS]")
