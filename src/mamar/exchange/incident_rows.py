"""Incidents from a partner's file (ACLED layout or HXL), all or nothing.

Each parser turns the file into :class:`Row` values: the fields of an incident report,
each with the column it came from and the file's line. :func:`commands` checks every
row against the operation's names (parties and places, by name or id, as the reader
may see them) and the command's own rules; the first problem is refused naming its
line and column, in the user's language, and nothing is recorded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import Connection

from mamar.api.messages import domain_message
from mamar.domain.errors import DomainError, SaidIn
from mamar.domain.model import Actor
from mamar.domain.time import OccurredAt, Precision
from mamar.exchange.records import Records
from mamar.incidents.commands import ReportIncident
from mamar.services import commands as services
from mamar.vault.store import Vault
from mamar.web.i18n import tr


class ImportRefused(SaidIn):
    """A file refused: which line, which column, and what is wrong there, in ``lang``."""

    def __init__(self, lang: str, line: int | None, column: str | None, problem: str) -> None:
        if line is None:
            message = problem
        elif column is None:
            message = tr(lang, "Line %(line)s: %(problem)s", line=line, problem=problem)
        else:
            message = tr(
                lang,
                "Line %(line)s, column “%(column)s”: %(problem)s",
                line=line,
                column=column,
                problem=problem,
            )
        super().__init__("invalid_import", message, language=lang, field=column)
        self.line = line
        self.column = column


@dataclass
class Row:
    """One incident of a file: its fields, and the column each came from."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    occurred: OccurredAt | None = None

    def put(self, name: str, value: Any, column: str) -> None:
        self.values[name] = value
        self.columns[name] = column


def csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record of a CSV text, with the line it starts on (1 is the first)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


class Names:
    """Parties and places of the operation by id and by every name they are known by."""

    def __init__(self, records: Records) -> None:
        self.parties: dict[str, str] = {}
        self.places: dict[str, str] = {}
        for party in records.parties:
            for name in (party.id, party.name.ar, party.name.en, *party.aliases):
                if name:
                    self.parties.setdefault(name.casefold().strip(), party.id)
        for place in records.places:
            for name in (place.id, place.name.ar, place.name.en, *place.aliases):
                if name:
                    self.places.setdefault(name.casefold().strip(), place.id)

    def party(self, name: str) -> str | None:
        return self.parties.get(name.casefold().strip())

    def place(self, name: str) -> str | None:
        return self.places.get(name.casefold().strip())

    def known_party(self, name: str, lang: str, line: int, column: str) -> str:
        found = self.party(name)
        if found is None:
            raise ImportRefused(
                lang,
                line,
                column,
                tr(lang, "no party of this operation is called “%(value)s”", value=name),
            )
        return found


def require_columns(present: Iterable[str], needed: Iterable[str], lang: str, line: int) -> None:
    """Refuse a file without one of the ``needed`` columns, naming it."""
    have = set(present)
    for need in needed:
        if need not in have:
            raise ImportRefused(
                lang, line, None, tr(lang, "the file has no column “%(column)s”", column=need)
            )


def unknown_place(value: str, lang: str, line: int, column: str) -> ImportRefused:
    return ImportRefused(
        lang,
        line,
        column,
        tr(lang, "no place of this operation is called “%(value)s”", value=value),
    )


def whole(value: str, lang: str, line: int, column: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise ImportRefused(
            lang, line, column, tr(lang, "“%(value)s” is not a whole number", value=text)
        )
    return int(text)


def decimal(value: str, lang: str, line: int, column: str) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ImportRefused(
            lang, line, column, tr(lang, "“%(value)s” is not a number", value=text)
        ) from None


def moment(value: str, lang: str, line: int, column: str, zone: ZoneInfo) -> OccurredAt:
    """A time with its offset (exact), or a date (the day, noon local time)."""
    text = value.strip()
    try:
        if "T" in text or " " in text:
            at = datetime.fromisoformat(text)
            if at.tzinfo is None:
                raise ValueError(text)
            return OccurredAt(at=at, precision=Precision.EXACT)
        day = datetime.fromisoformat(text).date()
        return OccurredAt(at=datetime.combine(day, time(12), zone), precision=Precision.DAY)
    except ValueError:
        raise ImportRefused(
            lang,
            line,
            column,
            tr(
                lang, "“%(value)s” is not a date (2016-12-15) or a time with its offset", value=text
            ),
        ) from None


def _refusal(row: Row, exc: ValidationError, lang: str) -> ImportRefused:
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    column = row.columns.get(name)
    value = row.values.get(name)
    problem = (
        tr(lang, "“%(value)s” is not accepted here", value=value)
        if value not in (None, "")
        else tr(lang, "this column must be filled in")
    )
    return ImportRefused(lang, row.line, column, problem)


def commands(rows: list[Row], operation: str, lang: str) -> list[tuple[Row, ReportIncident]]:
    """The report of each row, or the refusal of the first row that cannot be one."""
    out = []
    seen: dict[str, int] = {}
    for row in rows:
        ident = str(row.values.get("id") or "")
        if ident in seen:
            raise ImportRefused(
                lang,
                row.line,
                row.columns.get("id"),
                tr(
                    lang,
                    "the id “%(value)s” is also on line %(other)s",
                    value=ident,
                    other=seen[ident],
                ),
            )
        seen[ident] = row.line
        try:
            command = ReportIncident.model_validate({**row.values, "operation": operation})
        except ValidationError as exc:
            raise _refusal(row, exc, lang) from None
        out.append((row, command))
    return out


def record(
    conn: Connection,
    made: list[tuple[Row, ReportIncident]],
    *,
    actor: Actor,
    vault: Vault | None,
    lang: str,
) -> int:
    """Record every incident in the caller's one transaction; a refusal names its line."""
    for row, command in made:
        try:
            services.execute(conn, command, actor=actor, occurred=row.occurred, vault=vault)
        except DomainError as exc:
            column = row.columns.get(exc.field or "") if exc.field else None
            problem = (
                tr(
                    lang,
                    "an incident with the id “%(value)s” is already recorded",
                    value=command.id,
                )
                if exc.code == "already_exists"
                else tr(
                    lang,
                    "this incident was refused: %(reason)s",
                    reason=domain_message(exc, lang),
                )
            )
            raise ImportRefused(lang, row.line, column, problem) from None
    return len(made)
