"""Checking the read models against the journal (``mamar verify --read-models``).

The pages, the API and every access decision read ``entities``,
``entity_history`` and ``entity_members``, not the journal: an edit there (``UPDATE entities SET
visibility = 'shared'``) shows a record to people it was not shared with, and the
hash chain does not cover those tables. This replays the journal in memory, row by
row as the projector would write it, and names the first entity whose stored row
differs. It writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import Connection, select

from mamar.access.viewer import members_of
from mamar.db.tables import entities, entity_history, entity_members
from mamar.domain.ids import split_stream
from mamar.domain.model import EntityState, aggregate_for
from mamar.journal import store
from mamar.projections.entities import meta_of, state_text

_ENTITY = (
    "stream",
    "kind",
    "entity_id",
    "operation",
    "visibility",
    "version",
    "position",
    "occurred_utc",
    "state",
    "ref",
)
_HISTORY = ("stream", "version", "kind", "operation", "position", "occurred_utc", "state")


class Gap(Enum):
    """How a read-model row differs from the journal; its value is its catalogue message
    (``%(column)s`` a column in words, ``%(organisation)s`` an organisation's id, the other
    placeholders numbers)."""

    NOT_REPLAYABLE = "the event at position %(position)s of the journal cannot be replayed"
    VERSION_MISSING = "version %(version)s is missing"
    VERSION_MOVED = (
        "version %(version)s is not what the journal gives at position %(position)s "
        "(rows were added, removed or moved)"
    )
    VERSION_EXTRA = "version %(version)s is not in the journal"
    VALUE = "%(column)s in the read model is not what the journal gives"
    NUMBER = "%(column)s is %(have)s in the read model; the journal gives %(want)s"
    STATE = "its stored state is not the one the journal gives"
    ROW = "the row differs"
    NO_SUCH_ENTITY = "the journal has no such entity"
    ENTITY_MISSING = "the entity is missing from the read model"
    MEMBER_EXTRA = "organisation %(organisation)s is not one the journal shares it with"
    MEMBER_MISSING = "organisation %(organisation)s, which the journal gives it, is missing"


@dataclass(frozen=True)
class Difference:
    """The first read-model row that is not what the journal gives: in which table, for which
    record, and how (``column`` a column's name, ``figures`` the numbers the sentence names);
    ``detail`` adds what only a developer reads (the values, the replay's error)."""

    stream: str
    table: str
    gap: Gap
    column: str | None = None
    organisation: str | None = None
    figures: Mapping[str, int] = field(default_factory=dict)
    detail: str = ""

    @property
    def reason(self) -> str:
        """The difference in English, for the logs."""
        said = self.gap.value % {
            "column": f"column '{self.column}'",
            "organisation": repr(self.organisation),
            **self.figures,
        }
        return f"{said} ({self.detail})" if self.detail else said

    def describe(self) -> str:
        return f"read model '{self.table}', entity {self.stream}: {self.reason}"


def _rows(
    conn: Connection, table: Any, columns: tuple[str, ...], order: Any
) -> Iterator[tuple[Any, ...]]:
    query = select(*(table.c[name] for name in columns)).order_by(*order)
    for row in conn.execute(query):
        yield tuple(row)


def _differs(
    table: str, columns: tuple[str, ...], stored: tuple[Any, ...], expected: tuple[Any, ...]
) -> Difference:
    stream = str(expected[0])
    for name, have, want in zip(columns, stored, expected, strict=True):
        if have == want:
            continue
        if name == "state":
            return Difference(stream, table, Gap.STATE)
        if isinstance(have, int) and isinstance(want, int):
            figures = {"have": have, "want": want}
            return Difference(stream, table, Gap.NUMBER, name, figures=figures)
        detail = f"{have!r} in the read model; the journal gives {want!r}"
        return Difference(stream, table, Gap.VALUE, name, detail=detail)
    return Difference(stream, table, Gap.ROW)


def compare(
    conn: Connection, *, progress: Callable[[int], None] | None = None
) -> Difference | None:
    """The first entity whose read-model rows differ from a replay of the journal, or None."""
    states: dict[str, EntityState] = {}
    current: dict[str, tuple[Any, ...]] = {}
    history = _rows(conn, entity_history, _HISTORY, (entity_history.c.position,))
    for done, event in enumerate(store.read_all(conn), start=1):
        kind, entity_id = split_stream(event.stream)
        try:
            new = aggregate_for(kind).evolve(
                states.get(event.stream), event.decoded(), meta_of(event)
            )
        except Exception as exc:  # a body that hashes right but cannot be replayed
            return Difference(
                event.stream,
                "journal",
                Gap.NOT_REPLAYABLE,
                figures={"position": event.position},
                detail=str(exc),
            )
        states[event.stream] = new
        text = state_text(new)
        row = (event.stream, event.version, kind, new.operation, event.position)
        expected = (*row, event.occurred_utc, text)
        stored = next(history, None)
        if stored is None:
            return Difference(
                event.stream,
                "entity_history",
                Gap.VERSION_MISSING,
                figures={"version": event.version},
            )
        if stored != expected:
            if stored[:2] != expected[:2]:
                return Difference(
                    str(stored[0]),
                    "entity_history",
                    Gap.VERSION_MOVED,
                    figures={"version": int(stored[1]), "position": event.position},
                )
            return _differs("entity_history", _HISTORY, stored, expected)
        current[event.stream] = (
            event.stream,
            kind,
            entity_id,
            new.operation,
            new.visibility.value,
            event.version,
            event.position,
            event.occurred_utc,
            text,
            new.ref,
        )
        if progress is not None and done % 1000 == 0:
            progress(1000)
    extra = next(history, None)
    if extra is not None:
        return Difference(
            str(extra[0]),
            "entity_history",
            Gap.VERSION_EXTRA,
            figures={"version": int(extra[1])},
        )
    expected_rows = iter(sorted(current.items()))
    for stored in _rows(conn, entities, _ENTITY, (entities.c.stream,)):
        want = next(expected_rows, None)
        if want is None or stored[0] < want[0]:
            return Difference(str(stored[0]), "entities", Gap.NO_SUCH_ENTITY)
        if stored[0] > want[0]:
            return Difference(want[0], "entities", Gap.ENTITY_MISSING)
        if stored != want[1]:
            return _differs("entities", _ENTITY, stored, want[1])
    missing = next(expected_rows, None)
    if missing is not None:
        return Difference(missing[0], "entities", Gap.ENTITY_MISSING)
    return _members_differ(conn, states)


def _members_differ(conn: Connection, states: dict[str, EntityState]) -> Difference | None:
    """The first record whose organisations (``entity_members``: its owner and those it
    is shared with, what the viewer's rule reads in SQL) are not the journal's."""
    want = {(stream, o) for stream, state in states.items() for o in members_of(state)}
    m = entity_members
    have = set(_rows(conn, m, ("stream", "organisation"), (m.c.stream, m.c.organisation)))
    for stream, organisation in sorted(have ^ want):
        gap = Gap.MEMBER_EXTRA if (stream, organisation) in have else Gap.MEMBER_MISSING
        return Difference(stream, "entity_members", gap, organisation=organisation)
    return None
