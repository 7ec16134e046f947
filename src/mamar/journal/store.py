"""Appending to and reading from the journal, on SQLite or PostgreSQL.

Appends are serialised: on SQLite by ``BEGIN IMMEDIATE`` (one writer), on
PostgreSQL by a row lock on the chain head. The caller owns the transaction, so
projections are written in the same one and an acknowledged append is durable
together with its read models.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, func, select

from mamar.db.raw import Statement, insert_statement
from mamar.db.tables import journal, journal_head
from mamar.domain.errors import Conflict
from mamar.domain.ids import new_id
from mamar.domain.time import now_utc, utc_key
from mamar.journal.canonical import GENESIS_HASH, canonical_envelope, chain_hash
from mamar.journal.envelope import PendingEvent, RecordedEvent
from mamar.journal.merkle import leaf_hash
from mamar.journal.registry import EventData
from mamar.journal.tree import add_leaves, catch_up, split_frontier

# The columns kept beside the body, to index and filter by (see ``db.tables``).
INDEXED = (
    "position",
    "event_id",
    "stream",
    "version",
    "type",
    "operation",
    "occurred_utc",
    "visibility",
)

_COLUMNS = (journal.c.position, journal.c.body, journal.c.prev_hash, journal.c.hash)


# The append path runs on the driver connection (see ``db.raw``): same transaction.
_HEAD_ROW = "SELECT position, hash, tree_size, frontier FROM journal_head WHERE id = 1"
_HEAD = Statement(_HEAD_ROW, postgres=f"{_HEAD_ROW} FOR UPDATE")
_NEW_HEAD = Statement("INSERT INTO journal_head (id, position, hash) VALUES (1, 0, :genesis)")
# The Merkle tree's frontier moves with the chain head, in the same row (see ``tree``).
_MOVE_HEAD = Statement(
    "UPDATE journal_head SET position = :position, hash = :hash, "
    "tree_size = :position, frontier = :frontier WHERE id = 1"
)
_STREAM_VERSION = Statement("SELECT max(version) FROM journal WHERE stream = :stream")
# On SQLite the indexed columns are computed by the database from the body (see
# ``db.tables``); on PostgreSQL they are written beside it.
_INSERT = Statement(
    insert_statement("journal", ("position", "body", "prev_hash", "hash")).sqlite,
    postgres=insert_statement("journal", (*INDEXED, "body", "prev_hash", "hash")).sqlite,
)


class Head(NamedTuple):
    """The chain head as locked for an append, with the Merkle tree's frontier."""

    position: int
    hash: bytes
    frontier: bytes | None


def lock_head(conn: Connection) -> Head:
    """Take the append lock and return the chain head."""
    row = _HEAD.run(conn).fetchone()
    if row is None:
        _NEW_HEAD.run(conn, {"genesis": GENESIS_HASH})
        row = _HEAD.run(conn).fetchone()
    if row[2] != row[0]:  # events the tree lacks (a bulk load, a journal from before it)
        catch_up(conn)
        row = _HEAD.run(conn).fetchone()
    return Head(int(row[0]), bytes(row[1]), None if row[3] is None else bytes(row[3]))


def stream_version(conn: Connection, stream: str) -> int:
    value = _STREAM_VERSION.run(conn, {"stream": stream}).fetchone()[0]
    return int(value or 0)


def append(
    conn: Connection,
    events: Sequence[PendingEvent],
    *,
    locked: Head | None = None,
    versions: Mapping[str, int] | None = None,
) -> list[RecordedEvent]:
    """Append ``events`` atomically in the caller's transaction; return them as recorded.

    Each event's ``version`` must be the next version of its stream, else ``Conflict``.
    A caller that already took the append lock in this transaction passes the head
    :func:`lock_head` returned as ``locked``, and may pass the current ``versions``
    of streams it read since (under the lock they cannot have moved).
    """
    if not events:
        return []
    appending = Appending(conn, locked if locked is not None else lock_head(conn))
    out = appending.add(events, versions)
    appending.write()
    return out


class Mark(NamedTuple):
    """How far an :class:`Appending` had gone (see :meth:`Appending.mark`)."""

    position: int
    prev: bytes
    rows: int
    next_version: dict[str, int]


class Appending:
    """Appends in one transaction, held in memory until :meth:`write`: the chain and the
    tree move on with each :meth:`add`, the rows are written together.

    :func:`append` is one ``add`` and its ``write``. A batch of commands (the services'
    ``Batch``) adds each command's events in turn and writes them once: one insert of
    every row, one growth of the Merkle tree, one move of the head. Nothing in the
    transaction may read the journal or the head between an ``add`` and the ``write``.
    """

    def __init__(self, conn: Connection, locked: Head) -> None:
        self.conn = conn
        self._head = locked
        self.position = locked.position
        self.prev = locked.hash
        self._leaves: list[bytes] = []
        self._rows: list[dict[str, Any]] = []
        self._next_version: dict[str, int] = {}
        self._recorded_at = utc_key(now_utc())

    def add(
        self, events: Sequence[PendingEvent], versions: Mapping[str, int] | None = None
    ) -> list[RecordedEvent]:
        """Chain ``events`` after those added before; ``versions`` as for :func:`append`."""
        next_version = self._next_version
        for stream, version in (versions or {}).items():
            next_version[stream] = version + 1
        position, prev = self.position, self.prev
        recorded_at = self._recorded_at
        out: list[RecordedEvent] = []
        for pending in events:
            expected = next_version.get(pending.stream)
            if expected is None:
                expected = stream_version(self.conn, pending.stream) + 1
            if pending.version != expected:
                raise Conflict(pending.stream, pending.version - 1, expected - 1)
            next_version[pending.stream] = expected + 1
            position += 1
            data = pending.data.model_dump(mode="json")
            envelope: dict[str, Any] = {
                "position": position,
                "event_id": new_id(),
                "stream": pending.stream,
                "version": pending.version,
                "type": pending.data.type_name,
                "schema_version": pending.data.schema_version,
                "operation": pending.operation,
                "occurred_at": pending.occurred.iso(),
                "occurred_utc": pending.occurred.utc_key(),
                "precision": pending.occurred.precision.value,
                "phrase": _phrase(pending),
                "recorded_at": recorded_at,
                "actor": pending.actor,
                "visibility": pending.visibility.value,
                "data": data,
            }
            body = canonical_envelope(envelope)
            digest = chain_hash(prev, body)
            self._leaves.append(leaf_hash(body))
            row: dict[str, Any] = {k: envelope[k] for k in INDEXED}
            row.update(body=body, prev_hash=prev, hash=digest)
            self._rows.append(row)
            # The envelope's fields are the recorded event's, by the same names.
            out.append(
                RecordedEvent(
                    **envelope, body=body, prev_hash=prev, hash=digest, source=pending.data
                )
            )
            prev = digest
        self.position, self.prev = position, prev
        return out

    def mark(self) -> Mark:
        """Where the chain stands now, to go back to with :meth:`undo`."""
        return Mark(self.position, self.prev, len(self._rows), dict(self._next_version))

    def undo(self, mark: Mark) -> None:
        """Forget what was added since ``mark`` (a refused command's events)."""
        self.position, self.prev = mark.position, mark.prev
        del self._rows[mark.rows :], self._leaves[mark.rows :]
        self._next_version = dict(mark.next_version)

    def stamp(self) -> None:
        """Events added from now on were recorded now (a group's next command)."""
        self._recorded_at = utc_key(now_utc())

    def write(self) -> None:
        """Write every row added, grow the tree by their leaves and move the head."""
        if not self._rows:
            return
        _INSERT.many(self.conn, self._rows)
        _, grown = add_leaves(
            self.conn, self._head.position, split_frontier(self._head.frontier), self._leaves
        )
        _MOVE_HEAD.run(self.conn, {"position": self.position, "hash": self.prev, "frontier": grown})
        self._head = Head(self.position, self.prev, grown)
        self._rows, self._leaves = [], []


def _phrase(pending: PendingEvent) -> dict[str, Any] | None:
    """The words used for the event's time as the envelope keeps them: the original with
    its language and translations (hashed with the rest). Journals from before kept plain
    words (read as an undetermined language, see ``domain.text.as_text``); their bytes stay."""
    phrase = pending.occurred.phrase
    return None if phrase is None else phrase.model_dump(mode="json")


def _from_envelope(
    envelope: dict[str, Any],
    body: bytes,
    prev: bytes,
    digest: bytes,
    source: EventData | None = None,
) -> RecordedEvent:
    return RecordedEvent(
        position=envelope["position"],
        event_id=envelope["event_id"],
        stream=envelope["stream"],
        version=envelope["version"],
        type=envelope["type"],
        schema_version=envelope["schema_version"],
        operation=envelope["operation"],
        occurred_at=envelope["occurred_at"],
        occurred_utc=envelope["occurred_utc"],
        precision=envelope["precision"],
        phrase=envelope["phrase"],
        recorded_at=envelope["recorded_at"],
        actor=envelope["actor"],
        visibility=envelope["visibility"],
        data=envelope["data"],
        body=body,
        prev_hash=prev,
        hash=digest,
        source=source,
    )


def _to_recorded(row: Any) -> RecordedEvent:
    """An event read back: everything but its place in the chain comes from the hashed body."""
    body = bytes(row.body)
    return _from_envelope(orjson.loads(body), body, bytes(row.prev_hash), bytes(row.hash))


def read_stream(conn: Connection, stream: str) -> list[RecordedEvent]:
    rows = conn.execute(
        select(*_COLUMNS).where(journal.c.stream == stream).order_by(journal.c.version)
    )
    return [_to_recorded(r) for r in rows]


def read_all(conn: Connection, *, after: int = 0, batch: int = 2000) -> Iterator[RecordedEvent]:
    """Every event after ``after``, in journal order, fetched in batches."""
    position = after
    while True:
        rows = conn.execute(
            select(*_COLUMNS)
            .where(journal.c.position > position)
            .order_by(journal.c.position)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield _to_recorded(row)
        position = int(rows[-1].position)


def head(conn: Connection) -> tuple[int, bytes]:
    row = conn.execute(select(journal_head.c.position, journal_head.c.hash)).first()
    if row is None:
        return 0, GENESIS_HASH
    return int(row.position), bytes(row.hash)


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(journal)).scalar() or 0)
