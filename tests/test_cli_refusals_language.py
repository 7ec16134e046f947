"""The refusals of scenarios and of signed notes and keys, on the command line in Arabic:
where a scenario stops and why, and what is wrong with a key, a note or a checkpoint, are
catalogue sentences. No Latin word is shown but what the person wrote (the scenario file,
a key's name, a path) and what is typed (commands, options, fields of a scenario file)."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from mamar.cli import app
from mamar.domain.model import command_type
from mamar.scenarios.runner import BUILT_IN, CommandSpec, Scenario, Step
from tests.arabic_text import offences, texts_pattern

MINI = Path(__file__).parent / "scenarios" / "mini.yaml"
ARABIC = re.compile("[\u0600-\u06ff]")
#: What is typed: the built-in scenarios' names, the fields of a scenario file and of the
#: commands named in it, a key's literal prefix, commands in `code` and $VARIABLES.
TYPED = re.compile(r"`[^`]*`|\b[A-Z][A-Z0-9_]*\b|\S*\+\S*")


def _strings(value: Any, out: set[str]) -> None:
    """Every key and string of a scenario file (what its author wrote)."""
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(str(key))
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)
    elif isinstance(value, str):
        out.add(value)


def _fields(*models: Any) -> set[str]:
    return {f.alias or name for m in models for name, f in m.model_fields.items()}


def _said_in_arabic(result: Result, written: set[str]) -> str:
    """The refusal (exit 2 or 1), with Arabic words and no Latin word but ``written``
    (the global ``--lang`` sets ``MAMAR_LANG`` for the process: the runner restores it)."""
    assert result.exit_code in (1, 2), result.output
    shown = TYPED.sub(" ", texts_pattern(written).sub(" ", result.output))
    assert ARABIC.search(shown), result.output
    assert offences(shown, None) == [], result.output
    return result.output


def _scenario(tmp_path: Path, change: dict[str, Any]) -> tuple[Path, set[str]]:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data.update(change)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    written = {str(path), *(p.stem for p in BUILT_IN.glob("*.yaml"))}
    written |= _fields(Scenario, Step, CommandSpec)
    _strings(data, written)
    for step in data.get("steps", []):
        for name in [step.get("do"), *(c.get("do") for c in step.get("commands", []))]:
            if name:
                with contextlib.suppress(KeyError):  # an unknown command has no fields
                    written |= _fields(command_type(name))
    return path, written


AT = "2016-12-13T20:00+02:00"
REFUSED_SCENARIOS = {
    "no such scenario": None,
    "not YAML": "steps: [",
    "time without offset": {"steps": [{"step": "S1", "at": "2016-12-13T20:00", "do": "x"}]},
    "unknown command": {"steps": [{"step": "S1", "at": AT, "do": "convoy.fly"}]},
    "no command": {"steps": [{"step": "S1", "title": "Nothing", "at": AT}]},
    "unknown field": {
        "steps": [
            {
                "step": "S7",
                "title": "The convoy is planned",
                "at": AT,
                "commands": [
                    {"do": "operation.close", "with": {"id": "mini-op"}},
                    {"do": "convoy.plan", "with": {"id": "c", "name": {"en": "x"}, "colour": 1}},
                ],
            }
        ]
    },
    "bad id": {"steps": [{"step": "S9", "at": AT, "do": "convoy.plan", "with": {"id": "Bad Id"}}]},
    "refused at run": "arrived",
    "not permitted": "watcher",
}


@pytest.mark.parametrize("case", list(REFUSED_SCENARIOS))
def test_a_scenarios_refusal_is_said_in_arabic(tmp_path: Path, case: str) -> None:
    change = REFUSED_SCENARIOS[case]
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    if change == "arrived":  # planned → arrived is refused when it runs
        data["steps"][1]["commands"][0]["with"]["status"] = "arrived"
        change = {"steps": data["steps"]}
    elif change == "watcher":  # observers record nothing
        data["steps"][0]["as"] = "watcher"
        change = {"steps": data["steps"]}
    if change is None:
        name, written = "no-such-scenario", {"no-such-scenario", "aleppo-2016", "two-towns"}
    elif isinstance(change, str):
        path = tmp_path / "broken.yaml"
        path.write_text(change, encoding="utf-8")
        name, written = str(path), {str(path)}
    else:
        path, written = _scenario(tmp_path, change)
        name = str(path)
    database = f"sqlite:///{tmp_path}/scenario.db"
    result = CliRunner().invoke(
        app,
        ["--lang", "ar", "scenario", "run", name, "--database", database],
        env={"COLUMNS": "400", "MAMAR_LANG": "en"},
    )
    output = _said_in_arabic(result, written)
    assert "توقّف السيناريو عند" in output
    if case == "refused at run":
        assert "(S18)، الأمر" in output and "«قافلة: تغيير الحالة»" in output


def test_a_scenarios_refusal_is_said_in_english_from_the_catalogue(tmp_path: Path) -> None:
    path, _written = _scenario(
        tmp_path, {"steps": [{"step": "S1", "title": "Late", "at": AT, "do": "convoy.fly"}]}
    )
    result = CliRunner().invoke(
        app,
        ["scenario", "run", str(path), "--database", f"sqlite:///{tmp_path}/s.db"],
        env={"COLUMNS": "400", "MAMAR_LANG": "en"},
    )
    assert result.exit_code == 2
    assert "step 1 (S1: Late): unknown command “convoy.fly”" in result.output


def _run(args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        app, ["--lang", "ar", *args], env={"COLUMNS": "400", "MAMAR_LANG": "en", **(env or {})}
    )


def test_a_keys_or_notes_refusal_is_said_in_arabic(tmp_path: Path) -> None:
    bad_name = "bad name"
    garbage = tmp_path / "garbage.key"
    garbage.write_text("not a key\n", encoding="utf-8")
    key = ["--key", str(garbage), "--state", "s"]
    missing = tmp_path / "missing.key"
    database = f"sqlite:///{tmp_path}/mamar.db"
    assert CliRunner().invoke(app, ["init", "--database", database]).exit_code == 0
    cases = [
        (["witness", "new-key", bad_name, "-o", str(tmp_path / "w.key")], {bad_name}),
        (["checkpoint", "new-key", bad_name, "-o", str(tmp_path / "c.key")], {bad_name}),
        (
            ["witness", "init", "--log-key", "mamar.example+zz+abc", "--state", "s"],
            {"mamar.example"},
        ),
        (
            ["witness", "run", "--url", "https://mamar.example", "--token", "t", *key],
            {str(garbage)},
        ),
        (["witness", "add", "sarc", "mamar.example+zz+abc", "--database", database], set()),
        (
            ["checkpoint", "public-key", "--database", database],
            {str(missing)},
            {"MAMAR_LOG_KEY_FILE": str(missing)},
        ),
    ]
    said = []
    for args, written, *env in cases:
        result = _run(args, *env)
        said.append(_said_in_arabic(result, written))
    assert "اسم المفتاح «bad name»" in said[0]
    assert "المفتاح العام" in said[2]
    assert "يبدأ مفتاح التوقيع بـ" in said[3]
    assert "غير موجود" in said[5]
