"""Every choice every command offers (an enumeration's values) has words in both languages:
the general record form lists them, and a value's code ("not_started", "armed_group") is no
word for a person."""

from __future__ import annotations

import re

import mamar.web.app  # noqa: F401  (every command registered)
from mamar.domain.model import commands
from mamar.web.pages._valuewords import value_words
from mamar.web.pages.record import _resolve

ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN = re.compile(r"[A-Za-z]")


def _choices() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for command in commands().values():
        schema = command.model_json_schema()
        for prop in schema.get("properties", {}).values():
            resolved = _resolve(prop, schema.get("$defs", {}))
            found |= {(resolved.get("title"), str(value)) for value in resolved.get("enum", ())}
    return found


def test_every_choice_of_every_command_is_said_in_words() -> None:
    choices = _choices()
    assert len(choices) > 150
    unsaid = []
    for enumeration, value in sorted(choices, key=str):
        arabic, english = (
            value_words(enumeration, value, "ar"),
            value_words(enumeration, value, "en"),
        )
        if not ARABIC.search(arabic) or LATIN.search(arabic) or "_" in english:
            unsaid.append((enumeration, value, arabic, english))
    assert unsaid == []
