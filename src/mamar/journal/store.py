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
from mamar.journal.canonical import GENESIS_HASH, canonical_bytes, chain_hash
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
    position, prev, frontier = locked if locked is not None else lock_head(conn)
    tree_size = position
    leaves: list[bytes] = []
    next_version = {stream: version + 1 for stream, version in (versions or {}).items()}
    recorded_at = utc_key(now_utc())
    rows: list[dict[str, Any]] = []
    out: list[RecordedEvent] = []
    for pending in events:
        expected = next_version.get(pending.stream)
        if expected is None:
            expected = stream_version(conn, pending.stream) + 1
        if pending.version != expected:
            raise Conflict(pending.stream, pending.version - 1, expected - 1)
        next_version[pending.stream] = expected + 1
        position += 1
        data = pending.data.model_dump(mode="json")
        envelope = {
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
            "phrase": pending.occurred.phrase,
            "recorded_at": recorded_at,
            "actor": pending.actor,
            "visibility": pending.visibility.value,
            "data": data,
        }
        body = canonical_bytes(envelope)
        digest = chain_hash(prev, body)
        leaves.append(leaf_hash(body))
        row: dict[str, Any] = {k: envelope[k] for k in INDEXED}
        row.update(body=body, prev_hash=prev, hash=digest)
        rows.append(row)
        out.append(_from_envelope(envelope, body, prev, digest, pending.data))
        prev = digest
    _INSERT.many(conn, rows)
    _, grown = add_leaves(conn, tree_size, split_frontier(frontier), leaves)
    _MOVE_HEAD.run(conn, {"position": position, "hash": prev, "frontier": grown})
    return out


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
