"""Documentation that cannot drift: the CLI reference and the settings table."""

from __future__ import annotations

from pathlib import Path

from mamar.cli.reference import render
from mamar.config import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_cli_reference_is_generated_from_the_commands() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `python -m mamar.cli.reference > docs/cli.md`"
    )


def test_every_setting_is_documented() -> None:
    deploy = (DOCS / "deploy.md").read_text(encoding="utf-8")
    missing = [
        f"MAMAR_{name.upper()}"
        for name in Settings.model_fields
        if f"MAMAR_{name.upper()}" not in deploy
    ]
    assert missing == []


def test_user_guide_exists_in_english_and_arabic() -> None:
    english = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    arabic = (DOCS / "user-guide.ar.md").read_text(encoding="utf-8")
    assert english.count("\n## ") == arabic.count("\n## ") >= 5
    assert sum("\u0600" <= ch <= "\u06ff" for ch in arabic) > 2000
