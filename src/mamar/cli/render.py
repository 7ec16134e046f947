"""Rendering records for people in a terminal, in Arabic or English."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from babel.lists import format_list
from rich.console import Console
from rich.text import Text

from mamar.domain.ids import REFERS_TO as REFERS_TO_SCHEMA
from mamar.domain.model import aggregates, commands
from mamar.domain.time import parse_utc_key
from mamar.i18n.labels import (
    RECORD_KINDS,
    category_label,
    field_label,
    status_label,
    total_words,
)
from mamar.i18n.refs import short_ref
from mamar.web.i18n import duration, has_words, ntr, number, tr, when, when_known
from mamar.web.pages._valuewords import value_words
from mamar.web.render import local


def format_moment(text: str, zone: str, lang: str) -> str:
    """A stored time (ISO with offset, or a UTC key) in the operation's time zone, written
    as everywhere else (CLDR's words for the language, the year, the zone's offset): "١٤
    ديسمبر ٢٠١٦، ٩:٠٠ ص (غرينتش+02:00)"."""
    moment = parse_utc_key(text) if text.endswith("Z") else datetime.fromisoformat(text)
    return when(moment, lang, zone)


@dataclass(frozen=True)
class Clock:
    """How a record's times are read: in the zone ``zone``, and, for the moments in
    ``day_only`` (those of its events known only to the day), the day alone."""

    zone: str = "UTC"
    day_only: frozenset[str] = frozenset()

    def moment(self, text: str, lang: str) -> str:
        return when_known(text, lang, self.zone, "day" if text in self.day_only else "exact")


def print_overview(console: Console, data: dict[str, Any], lang: str) -> None:
    """The operation overview as the dashboard tells it, in ``lang``: names, not ids."""
    op = data["operation"]
    zone = op.get("timezone") or "UTC"
    parties = data.get("party_names", {})

    def party(party_id: str | None) -> str:
        return local(parties.get(party_id), lang) or (party_id or "")

    def when(moment: Any) -> str:
        return format_moment(str(moment), zone, lang) if moment else "—"

    def heading(title: str) -> None:
        console.print()
        console.print(Text(tr(lang, title), style="bold"))

    def line(text: str) -> None:
        console.print(Text(f"  • {text}"))

    console.print(
        Text.assemble(
            (local(op.get("name"), lang) or op["id"], "bold"),
            " — " + tr(lang, "as of %(moment)s", moment=when(data["at"])),
        )
    )
    heading("Ceasefire clock")
    for cf in data["ceasefires"]:
        line(
            f"{status_label(str(cf['status']), lang)}: "
            + tr(lang, "since %(when)s", when=when(cf.get("since")))
            + tr(lang, ", ")
            + ntr(lang, "%(n)s violation", "%(n)s violations", int(cf.get("violations") or 0))
        )
    if not data["ceasefires"]:
        line(tr(lang, "No ceasefire recorded"))
    heading("People evacuated")
    figures = data.get("evacuated_figures", {})
    for key, label in (("planned", "Planned"), ("boarded", "Boarded"), ("arrived", "Arrived")):
        line(f"{tr(lang, label)}: {total_words(figures.get(key), lang)}")
    for group, counts in data.get("not_evacuees", {}).items():
        line(f"{tr(lang, group)}: {tr(lang, 'Arrived')} {total_words(counts.get('arrived'), lang)}")
    heading("Convoys by status")
    for state, convoys in data["convoys_by_status"].items():
        names = [local(c.get("name"), lang) or c["id"] for c in convoys]
        line(f"{status_label(state, lang)} ({number(len(names), lang)}): {words_list(names, lang)}")
    if not data["convoys_by_status"]:
        line(tr(lang, "No convoy recorded"))
    heading("Escalations not yet closed")
    for esc in data["open_escalations"]:
        said = f"{party(esc.get('to'))}: {tr(lang, str(esc['status']))}"
        if esc.get("awaiting_since"):
            said += tr(lang, ", ") + tr(
                lang, "waiting %(t)s", t=duration(esc.get("waiting_seconds"), lang)
            )
        line(said)
    if not data["open_escalations"]:
        line(tr(lang, "None"))
    heading("Guarantees and outcomes")
    for g in data["guarantees"]:
        line(
            f"{party(g.get('guarantor'))} → {party(g.get('given_to'))}: "
            f"{local(g.get('what'), lang)} — {tr(lang, str(g['outcome']))}"
        )
    if not data["guarantees"]:
        line(tr(lang, "None"))
    heading("Incidents")
    incidents = data["incidents"]
    line(
        tr(
            lang,
            "Killed: %(k)s · Injured: %(i)s",
            k=number(incidents.get("killed", 0), lang),
            i=number(incidents.get("injured", 0), lang),
        )
    )
    for category, n in incidents["by_category"].items():
        line(f"{category_label(category, lang)}: {number(n, lang)}")
    for who, n in incidents["by_alleged_perpetrator"].items():
        name = tr(lang, "unknown") if who == "unknown" else party(who)
        line(f"{tr(lang, 'By alleged perpetrator')} — {name}: {number(n, lang)}")
    for impact, n in incidents.get("by_humanitarian_impact", {}).items():
        line(f"{tr(lang, impact)}: {number(n, lang)}")


def words_list(items: list[str], lang: str) -> str:
    """``a, b and c`` the language's way (CLDR's list patterns)."""
    return format_list(items, locale=lang) if items else "—"


#: What a field with nothing recorded shows (an empty list or record): the same dash in
#: every language, never a label left bare.
NOTHING = "—"

_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
_CODE = re.compile(r"[a-z][a-z_]*")
_BILINGUAL = ({"ar", "en"}, {"original", "language"})


def _is_reference(value: dict[str, Any]) -> bool:
    """A reference naming its kind (``{"kind": "route", "id": "exit-route"}``)."""
    return set(value) == {"kind", "id"} and str(value["kind"]) in RECORD_KINDS


def _is_text(value: dict[str, Any]) -> bool:
    """A user's words (``{ar, en}`` or ``{original, language, …}``), shown as one text."""
    keys = set(value)
    return bool(keys) and (keys <= _BILINGUAL[0] or _BILINGUAL[1] <= keys)


#: Fields that refer to another record, by the kind of record they name (a list's items
#: are named by the list's field).
REFERS_TO = {
    "operation": "operation",
    "owner": "organisation",
    "shared_with": "organisation",
    "organisation": "organisation",
    "party": "party",
    "parties": "party",
    "teams": "party",
    "proposed_by": "party",
    "from_party": "party",
    "to_party": "party",
    "assignee": "party",
    "guarantor": "party",
    "origin": "place",
    "destination": "place",
    "place": "place",
    "stop": "place",
    "route": "route",
    "convoy": "convoy",
    "convoys": "convoy",
    "waits_for": "convoy",
    "incident": "incident",
    "incidents": "incident",
    "agreement": "agreement",
    "ceasefire": "ceasefire",
    "person": "person",
}

#: Names a record the reader may see: (kind, id) → its name in the reader's language, or
#: None (not a record the reader sees).
Namer = Callable[[str, str], str | None]


@cache
def _declared() -> tuple[dict[str, str], dict[str, list[tuple[str, tuple[str, ...]]]]]:
    """What the commands declare of their fields, by field name: the one kind of record a
    field refers to (``given_to`` → party; its list's items too), and the enumerations a
    field's values come from (title, values). A state's fields are named as the commands
    that set them, or the states themselves, name theirs."""
    refers: dict[str, set[str]] = {}
    enums: dict[str, dict[str, tuple[str, ...]]] = {}
    models = [*commands().values(), *(a.state_type for a in aggregates().values())]
    for model in models:
        schema = model.model_json_schema()
        defs = schema.get("$defs", {})
        for field, prop in schema.get("properties", {}).items():
            for part in (prop, prop.get("items", {}), *prop.get("anyOf", ())):
                kinds = part.get(REFERS_TO_SCHEMA)
                if kinds:
                    refers.setdefault(field, set()).update(kinds)
                ref = part.get("$ref") or part.get("items", {}).get("$ref")
                enum = defs.get(ref.rsplit("/", 1)[1], {}) if ref else part
                if "enum" in enum and "title" in enum:
                    enums.setdefault(field, {})[enum["title"]] = tuple(map(str, enum["enum"]))
    one = {f: next(iter(k)) for f, k in refers.items() if len(k) == 1}
    return one, {f: sorted(e.items()) for f, e in enums.items()}


def _named(key: str, value: str, name: Namer | None) -> str | None:
    """What the record field ``key`` refers to is called; "—" when the reader may not see
    it (nothing of it is said, not even its identifier); None: not a reference."""
    kind = REFERS_TO.get(key) or _declared()[0].get(key)
    if name is None or kind is None:
        return None
    return name(kind, value) or "—"


def _choice(key: str, value: str, lang: str) -> str | None:
    """``value`` of field ``key`` in words, when a command declares it a choice."""
    for title, values in _declared()[1].get(key, ()):
        if value in values:
            return value_words(title, value, lang)
    return None


def _value(
    key: str, value: Any, lang: str, name: Namer | None = None, clock: Clock = Clock()
) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr(lang, "true") if value else tr(lang, "false")
    if isinstance(value, int | float):
        return number(value, lang)
    if key == "status" and isinstance(value, str):
        return status_label(value, lang)
    if key == "entity" and value in RECORD_KINDS:
        return tr(lang, RECORD_KINDS[value])
    if key in ("event_type", "sub_event_type") and isinstance(value, str):
        return category_label(value, lang)
    if isinstance(value, str) and _MOMENT.match(value):
        return clock.moment(value, lang)
    if isinstance(value, dict):
        return local(value, lang)
    if isinstance(value, str) and (called := _named(key, value, name)) is not None:
        return called
    if isinstance(value, str) and (chosen := _choice(key, value, lang)) is not None:
        return chosen
    text = str(value)
    if _CODE.fullmatch(text) and has_words(text):  # a value of a list ("wounded", "shared")
        return tr(lang, text)
    return text


def entity_lines(
    data: Any,
    lang: str,
    depth: int = 0,
    name: Namer | None = None,
    within: str = "",
    clock: Clock = Clock(),
) -> str:
    """A record's state for a person: each field by its label in ``lang`` (never the API's
    snake_case name), nested records indented, user text in its own words, each record it
    refers to by its name (``name``), not its identifier, and each time as ``clock`` reads
    it."""
    pad = "  " * depth
    lines: list[str] = []
    if isinstance(data, dict) and name is not None and _is_reference(data):
        called = name(str(data["kind"]), str(data["id"]))  # a record named with its kind
        if called is not None:
            return f"{pad}{called}"
    if isinstance(data, dict):
        kind = str(data.get("entity", ""))
        for key, value in data.items():
            if depth == 0 and key == "id":
                continue  # generated: the record is named by its name and its reference
            if depth == 0 and key == "ref" and short_ref(kind, value, lang):
                lines.append(f"{pad}{tr(lang, 'Reference')}: {short_ref(kind, value, lang)}")
                continue
            label = field_label(str(key), lang) if isinstance(key, str) else None
            title = label or tr(lang, "Other field")
            nested = (isinstance(value, dict) and not _is_text(value)) or isinstance(value, list)
            if nested and not value:
                lines.append(f"{pad}{title}: {NOTHING}")
            elif nested:
                lines.append(f"{pad}{title}:")
                lines.append(entity_lines(value, lang, depth + 1, name, str(key), clock))
            else:
                lines.append(f"{pad}{title}: {_value(str(key), value, lang, name, clock)}")
    elif isinstance(data, list):
        for index, item in enumerate(data, 1):
            if isinstance(item, dict) and _is_reference(item) and name is not None:
                called = name(str(item["kind"]), str(item["id"]))
                lines.append(f"{pad}- {called if called is not None else '—'}")
            elif (isinstance(item, dict) and not _is_text(item)) or isinstance(item, list):
                lines.append(f"{pad}{number(index, lang)}.")
                lines.append(entity_lines(item, lang, depth + 1, name, clock=clock))
            else:
                lines.append(f"{pad}- {_value(within, item, lang, name, clock)}")
    return "\n".join(line for line in lines if line)
