"""Rendering records for people in a terminal, in Arabic or English."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from rich.console import Console
from rich.table import Table

from mamar.domain.time import parse_utc_key
from mamar.i18n.labels import RECORD_KINDS, category_label, field_label, status_label
from mamar.web.i18n import digits, has_words, number, tr
from mamar.web.render import local


def format_moment(text: str, zone: str, lang: str) -> str:
    """A stored time (ISO with offset, or a UTC key) in the operation's time zone."""
    moment = parse_utc_key(text) if text.endswith("Z") else datetime.fromisoformat(text)
    local = moment.astimezone(ZoneInfo(zone))
    return digits(format_datetime(local, "yyyy-MM-dd HH:mm (ZZZZ)", locale=lang), lang)


def print_overview(console: Console, data: dict[str, Any]) -> None:
    op = data["operation"]
    console.print(f"[bold]{op['id']}[/bold] as of {data['at']}")
    table = Table("what", "state", title="overview")
    for cf in data["ceasefires"]:
        table.add_row(f"ceasefire {cf['id']}", str(cf["status"]))
    for status, convoys in data["convoys_by_status"].items():
        table.add_row(f"convoys {status}", ", ".join(c["id"] for c in convoys))
    for esc in data["open_escalations"]:
        waiting = esc["waiting_seconds"]
        state = f"{esc['status']}" + (f", waiting {waiting / 60:.0f} min" if waiting else "")
        table.add_row(f"escalation {esc['id']}", state)
    for g in data["guarantees"]:
        table.add_row(f"guarantee {g['id']} ({g['guarantor']})", str(g["outcome"]))
    incidents = data["incidents"]
    for category, n in incidents["by_category"].items():
        table.add_row(f"incidents {category}", str(n))
    for party, n in incidents["by_alleged_perpetrator"].items():
        table.add_row(f"incidents, alleged perpetrator {party}", str(n))
    totals = data["evacuated"]
    table.add_row(
        "people planned / boarded / arrived",
        f"{totals['planned']} / {totals['boarded']} / {totals['arrived']}",
    )
    console.print(table)


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
_CODE = re.compile(r"[a-z][a-z_]*")
_BILINGUAL = ({"ar", "en"}, {"original", "language"})


def _is_text(value: dict[str, Any]) -> bool:
    """A user's words (``{ar, en}`` or ``{original, language, …}``), shown as one text."""
    keys = set(value)
    return bool(keys) and (keys <= _BILINGUAL[0] or _BILINGUAL[1] <= keys)


def _value(key: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr(lang, "true" if value else "false")
    if isinstance(value, int | float):
        return number(value, lang)
    if key == "status" and isinstance(value, str):
        return status_label(value, lang)
    if key == "entity" and value in RECORD_KINDS:
        return tr(lang, RECORD_KINDS[value])
    if key in ("event_type", "sub_event_type") and isinstance(value, str):
        return category_label(value, lang)
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return digits(format_datetime(moment, "yyyy-MM-dd HH:mm (ZZZZ)", locale=lang), lang)
    if isinstance(value, dict):
        return local(value, lang)
    text = str(value)
    if _CODE.fullmatch(text) and has_words(text):  # a value of a list ("wounded", "shared")
        return tr(lang, text)
    return text


def entity_lines(data: Any, lang: str, depth: int = 0) -> str:
    """A record's state for a person: each field by its label in ``lang`` (never the API's
    snake_case name), nested records indented, user text in its own words."""
    pad = "  " * depth
    lines: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            label = field_label(str(key), lang) if isinstance(key, str) else None
            name = label or tr(lang, "Other field")
            if (isinstance(value, dict) and not _is_text(value)) or isinstance(value, list):
                lines.append(f"{pad}{name}:")
                if value:
                    lines.append(entity_lines(value, lang, depth + 1))
            else:
                lines.append(f"{pad}{name}: {_value(str(key), value, lang)}")
    elif isinstance(data, list):
        for index, item in enumerate(data, 1):
            if (isinstance(item, dict) and not _is_text(item)) or isinstance(item, list):
                lines.append(f"{pad}{number(index, lang)}.")
                lines.append(entity_lines(item, lang, depth + 1))
            else:
                lines.append(f"{pad}- {_value('', item, lang)}")
    return "\n".join(line for line in lines if line)
