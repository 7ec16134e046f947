"""The timeline: the events a viewer may see, by when they happened or were recorded.

An event is seen by whoever sees its record now (see :mod:`mamar.access.viewer`),
and, if it belongs to a sub-compartment (a bottom line, an audit entry), only by
those who hold that compartment of the record. Positions, totals and cursors a
viewer gets come only from events it sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, or_, select

from mamar.access.cursors import Cursors
from mamar.access.viewer import Viewer, viewer_of
from mamar.db.tables import journal
from mamar.domain.model import Actor, EntityState
from mamar.domain.text import as_text
from mamar.journal import store
from mamar.journal.envelope import RecordedEvent
from mamar.projections.entities import current


@dataclass(frozen=True)
class TimelineEntry:
    # The journal position: for the server only (never shown; see ``cursor``).
    position: int
    stream: str
    kind: str
    entity_id: str
    type: str
    occurred_at: str
    occurred_utc: str
    precision: str
    # The words used for the time, in their language (``{original, language, …}``); plain
    # words of journals from before are read as an undetermined language.
    phrase: dict[str, Any] | None
    recorded_at: str
    actor: str
    visibility: str
    operation: str | None
    data: dict[str, Any]
    # What the viewer is given to say "after this event" (``access.cursors``).
    cursor: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "cursor": self.cursor,
            "kind": self.kind,
            "entity_id": self.entity_id,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "precision": self.precision,
            "phrase": self.phrase,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "visibility": self.visibility,
            "operation": self.operation,
            "data": self.data,
        }


def mentions(value: Any, wanted: str) -> bool:
    """Whether an event's data names ``wanted`` (an id) anywhere in it."""
    if isinstance(value, str):
        return value == wanted
    if isinstance(value, dict):
        return any(mentions(v, wanted) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, wanted) for v in value)
    return False


#: Events fetched at a time.
_BATCH = 200


class RecordAccess:
    """The current state of each record the timeline meets, read once per stream."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._states: dict[str, EntityState | None] = {}

    def state(self, stream: str) -> EntityState | None:
        if stream not in self._states:
            found = current(self.conn, stream)
            self._states[stream] = found[0] if found is not None else None
        return self._states[stream]


def timeline(
    conn: Connection,
    *,
    viewer: Actor | Viewer,
    operation: str | None = None,
    entity: str | None = None,
    types: Iterable[str] | None = None,
    party: str | None = None,
    since_utc: str | None = None,
    until_utc: str | None = None,
    order: str = "occurred",
    after_position: int | None = None,
    cursors: Cursors | None = None,
    after: str | None = None,
) -> Iterator[TimelineEntry]:
    """Events the viewer may see, by when they happened (or by when they were recorded).

    ``entity`` is ``kind:id``; ``party`` keeps events whose data names that party;
    ``after`` (a cursor the viewer was given, opened with ``cursors``) or, on the
    server, ``after_position`` keeps only events appended after that one. With
    ``cursors``, each entry carries the viewer's cursor for it.
    """
    seer = viewer_of(viewer)
    if after is not None:
        if cursors is None:
            raise ValueError("a cursor is opened with the installation's cursors")
        opened = cursors.open(seer, after)
        after_position = opened if after_position is None else max(opened, after_position)
    j = journal
    query = select(j.c.position, j.c.body)
    if operation is not None:
        query = query.where(j.c.operation == operation)
    if entity is not None:
        query = query.where(j.c.stream == entity)
    if types is not None:
        wanted = list(types)
        prefixes = [t for t in wanted if t.endswith(".")]
        exact = [t for t in wanted if not t.endswith(".")]
        conditions: list[ColumnElement[bool]] = [j.c.type.in_(exact)] if exact else []
        conditions += [j.c.type.startswith(p) for p in prefixes]
        query = query.where(or_(*conditions))
    if after_position is not None:
        query = query.where(j.c.position > after_position)
    if since_utc is not None:
        query = query.where(j.c.occurred_utc >= since_utc)
    if until_utc is not None:
        query = query.where(j.c.occurred_utc <= until_utc)
    if order == "recorded":
        query = query.order_by(j.c.position)
    else:
        query = query.order_by(j.c.occurred_utc, j.c.position)
    records = RecordAccess(conn)
    # Read in batches as the caller goes (a page takes the first few): on PostgreSQL a
    # server-side cursor, where the driver would otherwise fetch every matching event
    # before the first is seen (a second for 100,000 events).
    for row in conn.execute(query.execution_options(yield_per=_BATCH)):
        envelope = orjson.loads(bytes(row.body))
        # The hashed body decides, never an index column.
        stream = envelope["stream"]
        if not seer.sees_event(records.state(stream), envelope["visibility"]):
            continue
        data = envelope["data"]
        if party is not None and not mentions(data, party):
            continue
        kind, _, entity_id = stream.partition(":")
        position = int(row.position)
        yield TimelineEntry(
            position=position,
            stream=stream,
            kind=kind,
            entity_id=entity_id,
            type=envelope["type"],
            occurred_at=envelope["occurred_at"],
            occurred_utc=envelope["occurred_utc"],
            precision=envelope["precision"],
            phrase=as_text(envelope["phrase"]),
            recorded_at=envelope["recorded_at"],
            actor=envelope["actor"],
            visibility=envelope["visibility"],
            operation=envelope["operation"],
            data=data,
            cursor=None if cursors is None else cursors.seal(seer, position),
        )


def visible_events(
    conn: Connection, *, viewer: Actor | Viewer, operation: str | None = None
) -> Iterator[RecordedEvent]:
    """The journal's events the viewer may see, in journal order (for exports)."""
    seer = viewer_of(viewer)
    records = RecordAccess(conn)
    for event in store.read_all(conn):
        if operation is not None and event.operation != operation:
            continue
        if seer.sees_event(records.state(event.stream), event.visibility):
            yield event
