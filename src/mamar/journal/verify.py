"""Recompute the chain and say where, if anywhere, the record was altered.

Checks, in journal order: positions have no gaps; each ``prev_hash`` is the
previous event's hash; each hash is ``SHA-256(prev_hash ‖ body)``; the indexed
columns say what the hashed body says; recorded checkpoints and the chain head
agree with the events (so removing the tail is caught).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select

from mamar.db.tables import checkpoints, journal_head
from mamar.domain.time import now_utc, utc_key
from mamar.journal.canonical import GENESIS_HASH

# Columns compared with the hashed body, in the order they are selected.
_CHECKED = (
    "event_id",
    "stream",
    "version",
    "type",
    "schema_version",
    "operation",
    "occurred_at",
    "occurred_utc",
    "precision",
    "phrase",
    "recorded_at",
    "actor",
    "visibility",
)
_SELECT = (
    "SELECT position, prev_hash, hash, body, "
    + ", ".join(_CHECKED)
    + (" FROM journal WHERE position > {after} ORDER BY position LIMIT {limit}")
)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_position: int
    head_hash: bytes
    failed_position: int | None = None
    reason: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"ok: {self.count} events, head {self.head_position} {self.head_hash.hex()}"
        return f"FAILED at position {self.failed_position}: {self.reason}"


def _fail(count: int, position: int, prev: bytes, where: int, reason: str) -> VerifyResult:
    return VerifyResult(False, count, position, prev, where, reason)


def verify(
    conn: Connection,
    *,
    batch: int = 20000,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Verify the whole journal; the first problem found is reported."""
    marks = {int(r.position): bytes(r.hash) for r in conn.execute(select(checkpoints))}
    expected = 1
    prev = GENESIS_HASH
    sha256 = hashlib.sha256
    loads = orjson.loads
    columns = itemgetter(*_CHECKED)
    raw: Any = conn.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    while True:
        cursor.execute(_SELECT.format(after=expected - 1, limit=batch))
        rows = cursor.fetchall()
        if not rows:
            break
        for row in rows:
            position, row_hash = row[0], row[2]
            # Fast path: all the checks below at once, in few steps. A row that
            # fails any goes through them one by one, which name the problem.
            if position == expected and row[1] == prev:
                body = row[3]
                if sha256(prev + body).digest() == row_hash:
                    envelope = loads(body)
                    try:
                        clean = envelope["position"] == position and columns(envelope) == row[4:]
                    except (KeyError, TypeError):
                        clean = False
                    if clean and marks.get(position, row_hash) == row_hash:
                        prev = bytes(row_hash)
                        expected += 1
                        continue
            if position != expected:
                return _fail(
                    expected - 1,
                    expected - 1,
                    prev,
                    expected,
                    f"event missing (the next present is position {position})",
                )
            row_prev, row_hash, body = bytes(row[1]), bytes(row[2]), bytes(row[3])
            if row_prev != prev:
                return _fail(
                    expected - 1,
                    expected - 1,
                    prev,
                    position,
                    "prev_hash is not the hash of the event before it "
                    "(an event was removed, inserted or reordered)",
                )
            if sha256(prev + body).digest() != row_hash:
                return _fail(
                    expected - 1,
                    expected - 1,
                    prev,
                    position,
                    "hash is not SHA-256(prev_hash ‖ body): the body or the hash was altered",
                )
            envelope = loads(body)
            if envelope.get("position") != position:
                return _fail(
                    expected - 1,
                    expected - 1,
                    prev,
                    position,
                    f"the hashed body says position {envelope.get('position')}: "
                    "events were moved or swapped",
                )
            for index, name in enumerate(_CHECKED, start=4):
                if envelope.get(name) != row[index]:
                    return _fail(
                        expected - 1,
                        expected - 1,
                        prev,
                        position,
                        f"column '{name}' differs from the hashed body",
                    )
            mark = marks.get(position)
            if mark is not None and mark != row_hash:
                return _fail(
                    expected - 1,
                    expected - 1,
                    prev,
                    position,
                    "hash differs from the checkpoint recorded for this position",
                )
            prev = row_hash
            expected += 1
        if progress is not None:
            progress(len(rows))
    last = expected - 1
    later = [p for p in marks if p > last]
    if later:
        return _fail(
            last,
            last,
            prev,
            min(later),
            f"the journal ends at position {last}, but a checkpoint was recorded "
            f"at position {max(later)}: events after {last} were removed",
        )
    head_row = conn.execute(select(journal_head.c.position, journal_head.c.hash)).first()
    if head_row is not None and (int(head_row.position), bytes(head_row.hash)) != (last, prev):
        return _fail(
            last,
            last,
            prev,
            int(head_row.position),
            f"the chain head says position {head_row.position}, but the journal "
            f"ends at {last}: events were removed or the head was altered",
        )
    return VerifyResult(True, last, last, prev)


def record_checkpoint(conn: Connection, position: int, digest: bytes) -> None:
    """Remember (position, hash) so a later truncation behind it is caught."""
    if position == 0:
        return
    exists = conn.execute(select(checkpoints.c.position).where(checkpoints.c.position == position))
    if exists.first() is None:
        conn.execute(
            insert(checkpoints).values(
                position=position, hash=digest, recorded_at=utc_key(now_utc())
            )
        )
