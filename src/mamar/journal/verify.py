"""Recompute the chain and say where, if anywhere, the record was altered.

Checks, in journal order: positions have no gaps; each ``prev_hash`` is the
previous event's hash; each hash is ``SHA-256(prev_hash ‖ body)``; the indexed
columns say what the hashed body says; recorded checkpoints and the chain head
agree with the events (so removing the tail is caught).

The chain is walked in Python over four columns. The column check runs at the
same time inside the database (its JSON functions, on a second connection), so
the two use both cores; the first problem by position is reported.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import DBAPIError

from mamar.db.tables import checkpoints, journal_head
from mamar.domain.time import now_utc, utc_key
from mamar.journal.canonical import GENESIS_HASH
from mamar.journal.store import INDEXED

_CHAIN = (
    "SELECT position, prev_hash, hash, body FROM journal "
    "WHERE position > {after} AND position <= {last} ORDER BY position LIMIT {limit}"
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


Problem = tuple[int, str]


def _column_reason(name: str) -> str:
    if name == "body":
        return "the body is not valid JSON: the body was altered"
    if name == "position":
        return "the hashed body names another position: events were moved or swapped"
    return f"column '{name}' differs from the hashed body"


def _sqlite_check(last: int) -> str:
    tests = [(name, f"json_extract(body, '$.{name}') IS NOT {name}") for name in INDEXED]
    which = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond in tests)
    return (
        f"SELECT position, CASE WHEN NOT json_valid(body) THEN 'body' {which} END AS col "
        f"FROM journal WHERE position <= {last} AND "
        f"(CASE WHEN json_valid(body) THEN ({' OR '.join(c for _, c in tests)}) ELSE 1 END) "
        "ORDER BY position LIMIT 1"
    )


def _postgres_check(last: int) -> str:
    def cond(name: str) -> str:
        return f"(x.b ->> '{name}') IS DISTINCT FROM j.{name}::text"

    which = " ".join(f"WHEN {cond(name)} THEN '{name}'" for name in INDEXED)
    # OFFSET 0 keeps the parse in the lateral subquery: once per row, not once per use.
    return (
        f"SELECT j.position, CASE {which} END AS col FROM journal AS j "
        "CROSS JOIN LATERAL (SELECT convert_from(j.body, 'UTF8')::jsonb AS b OFFSET 0) AS x "
        f"WHERE j.position <= {last} AND ({' OR '.join(cond(name) for name in INDEXED)}) "
        "ORDER BY j.position LIMIT 1"
    )


def _python_check(conn: Connection, last: int) -> Problem | None:
    """The same check row by row: used where the database cannot parse a body."""
    names = ", ".join(INDEXED)
    for row in conn.execute(
        text(f"SELECT {names}, body FROM journal WHERE position <= {last} ORDER BY position")
    ):
        try:
            envelope = orjson.loads(bytes(row.body))
        except orjson.JSONDecodeError:
            return int(row.position), _column_reason("body")
        for name in INDEXED:
            if envelope.get(name) != getattr(row, name):
                return int(row.position), _column_reason(name)
    return None


def _check_columns(engine: Engine, last: int) -> Problem | None:
    """The first position whose indexed columns disagree with its hashed body."""
    sql = _sqlite_check(last) if engine.dialect.name == "sqlite" else _postgres_check(last)
    with engine.connect() as conn:
        reader = conn.execution_options(readonly=True)
        try:
            with reader.begin():
                row = reader.execute(text(sql)).first()
        except DBAPIError:
            # A body the database cannot parse (PostgreSQL has no json_valid): row by row.
            with reader.begin():
                return _python_check(reader, last)
    return None if row is None else (int(row[0]), _column_reason(str(row[1])))


class _ColumnCheck(threading.Thread):
    """Runs :func:`_check_columns` beside the chain walk; the database does the work."""

    def __init__(self, engine: Engine, last: int) -> None:
        super().__init__(name="verify-columns", daemon=True)
        self.engine = engine
        self.last = last
        self.result: Problem | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = _check_columns(self.engine, self.last)
        except BaseException as exc:
            self.error = exc


def _walk_chain(
    conn: Connection,
    last: int,
    marks: dict[int, bytes],
    batch: int,
    progress: Callable[[int], None] | None,
) -> tuple[int, bytes, Problem | None]:
    """Walk positions 1..last; return the last good position, its hash, and any problem."""
    expected = 1
    prev = GENESIS_HASH
    sha256 = hashlib.sha256
    raw: Any = conn.connection.driver_connection
    # psycopg: binary results, so hashes and bodies arrive as bytes without hex decoding.
    cursor = raw.cursor(binary=True) if conn.dialect.name == "postgresql" else raw.cursor()
    while expected <= last:
        cursor.execute(_CHAIN.format(after=expected - 1, last=last, limit=batch))
        rows = cursor.fetchall()
        if not rows:
            return (
                expected - 1,
                prev,
                (expected, f"event missing (the journal ends at {expected - 1})"),
            )
        for position, row_prev, row_hash, body in rows:
            if position != expected:
                return (
                    expected - 1,
                    prev,
                    (
                        expected,
                        f"event missing (the next present is position {position})",
                    ),
                )
            if row_prev != prev:
                return (
                    expected - 1,
                    prev,
                    (
                        position,
                        "prev_hash is not the hash of the event before it "
                        "(an event was removed, inserted or reordered)",
                    ),
                )
            if sha256(prev + body).digest() != row_hash:
                return (
                    expected - 1,
                    prev,
                    (
                        position,
                        "hash is not SHA-256(prev_hash ‖ body): the body or the hash was altered",
                    ),
                )
            if position in marks and marks[position] != row_hash:
                return (
                    expected - 1,
                    prev,
                    (
                        position,
                        "hash differs from the checkpoint recorded for this position",
                    ),
                )
            prev = bytes(row_hash)
            expected += 1
        if progress is not None:
            progress(len(rows))
    return last, prev, None


def verify(
    conn: Connection,
    *,
    batch: int = 20000,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Verify the whole journal; the first problem found is reported."""
    marks = {int(r.position): bytes(r.hash) for r in conn.execute(select(checkpoints))}
    head_row = conn.execute(select(journal_head.c.position, journal_head.c.hash)).first()
    stored_last = conn.execute(text("SELECT max(position) FROM journal")).scalar()
    last = int(stored_last or 0)
    columns = _ColumnCheck(conn.engine, last)
    columns.start()
    good, prev, chain_problem = _walk_chain(conn, last, marks, batch, progress)
    columns.join()
    if columns.error is not None:
        raise columns.error
    problems = [p for p in (chain_problem, columns.result) if p is not None]
    if problems:
        where, reason = min(problems, key=lambda p: p[0])
        return VerifyResult(False, good, good, prev, where, reason)
    later = [p for p in marks if p > last]
    if later:
        return VerifyResult(
            False,
            last,
            last,
            prev,
            min(later),
            f"the journal ends at position {last}, but a checkpoint was recorded "
            f"at position {max(later)}: events after {last} were removed",
        )
    if head_row is not None and (int(head_row.position), bytes(head_row.hash)) != (last, prev):
        return VerifyResult(
            False,
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
