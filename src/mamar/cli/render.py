"""Rendering records for people in a terminal, in Arabic or English."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from rich.console import Console
from rich.table import Table

from mamar.domain.time import parse_utc_key
from mamar.web.i18n import digits


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
