"""Recompute the chain and say where, if anywhere, the record was altered.

Checks, in journal order: positions have no gaps; each ``prev_hash`` is the
previous event's hash; each hash is ``SHA-256(prev_hash ‖ body)``; recorded
checkpoints and the chain head agree with the events (so removing the tail is
caught); and the indexed columns say what the hashed body says.

On SQLite the indexed columns are computed by the database from the body itself
(they cannot disagree), so verifying is walking the chain. A long journal is
walked in several processes at once (``journal.chain``), one range each, and the
seams between ranges are checked here. On PostgreSQL the columns are stored
copies: the database compares them with the body at the same time, on a second
connection. The first problem by position is reported.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import DBAPIError

from mamar.db.tables import checkpoints, journal_head
from mamar.domain.time import now_utc, utc_key
from mamar.journal import merkle
from mamar.journal.canonical import GENESIS_HASH
from mamar.journal.chain import (
    Problem,
    Row,
    Walk,
    postgres_chunks,
    sqlite_chunks,
    walk,
    worker_request,
)
from mamar.journal.findings import Finding, Why, named
from mamar.journal.store import INDEXED

log = logging.getLogger(__name__)

#: Below this many events one process walks the whole chain (starting a worker costs more).
PARALLEL_FROM = 100_000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_position: int
    head_hash: bytes
    failed_position: int | None = None
    finding: Finding | None = None

    @property
    def reason(self) -> str | None:
        """The finding in English, for the logs (people read :attr:`finding` in their words)."""
        return None if self.finding is None else str(self.finding)

    def describe(self) -> str:
        if self.ok:
            return f"ok: {self.count} events, head {self.head_position} {self.head_hash.hex()}"
        return f"FAILED at position {self.failed_position}: {self.reason}"


# --- Columns against bodies (PostgreSQL: stored copies). ---


def _column_reason(name: str) -> Finding:
    if name == "body":
        return named(Why.NOT_JSON)
    return named(Why.COLUMN_DIFFERS, name)


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


# On SQLite the indexed columns are computed from the body, but the position is the
# row's own key: a row moved to another position (the rest renumbered, the chain
# recomputed) keeps a body that names its old place.
_SQLITE_CHECK = (
    "SELECT position, CASE WHEN typeof(body) <> 'blob' THEN 'body' ELSE 'position' END "
    "FROM journal WHERE position <= {last} AND (typeof(body) <> 'blob' "
    "OR json_extract(body, '$.position') IS NOT position) ORDER BY position LIMIT 1"
)


def _check_columns(engine: Engine, last: int) -> Problem | None:
    """The first position whose stored columns disagree with its hashed body."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            reader = conn.execution_options(readonly=True)
            with reader.begin():
                found = reader.execute(text(_SQLITE_CHECK.format(last=int(last)))).first()
        return _sqlite_problem(found)
    with engine.connect() as conn:
        reader = conn.execution_options(readonly=True)
        try:
            with reader.begin():
                row = reader.execute(text(_postgres_check(last))).first()
        except DBAPIError:
            # A body the database cannot parse: row by row.
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


# --- The chain, in ranges. ---


def _chunks(conn: Connection, first: int, last: int) -> Iterator[Sequence[Row]]:
    raw: Any = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        return postgres_chunks(raw, first, last)
    return sqlite_chunks(raw, first, last)


def _worker_location(conn: Connection) -> tuple[str, str] | None:
    """(dialect, address) another process can open, or None (an in-memory database)."""
    url = conn.engine.url
    if conn.dialect.name == "postgresql":
        return "postgresql", url.set(drivername="postgresql").render_as_string(hide_password=False)
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return "sqlite", database


def _ranges(last: int, parts: int) -> list[tuple[int, int]]:
    size = -(-last // parts)
    return [(first, min(first + size - 1, last)) for first in range(1, last + 1, size)]


class _Worker:
    """One range walked by ``python -m mamar.journal.chain`` in its own process."""

    def __init__(self, location: tuple[str, str], first: int, last: int) -> None:
        self.first, self.last = first, last
        self.failure: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mamar.journal.chain"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            assert self.process.stdin is not None
            self.process.stdin.write(worker_request(*location, first, last))
            self.process.stdin.close()
        except OSError as error:
            self.failure = str(error)
            self.stop()

    def result(self, progress: Callable[[int], None] | None) -> Walk | None:
        """The worker's finding, or None if it failed (the caller walks the range itself)."""
        found: Walk | None = None
        if self.process is not None and self.failure is None:
            assert self.process.stdout is not None and self.process.stderr is not None
            for line in self.process.stdout:
                word, _, rest = line.decode().partition(" ")
                if word == "progress" and progress is not None:
                    progress(int(rest))
                elif word == "result":
                    found = Walk.from_json(orjson.loads(rest))
            errors = self.process.stderr.read().decode(errors="replace").strip()
            if self.process.wait() != 0 or found is None:
                self.failure = errors.splitlines()[-1] if errors else "no result"
        if found is None:
            log.warning(
                "chain walk worker for %d-%d failed (%s); walking it here",
                self.first,
                self.last,
                self.failure,
            )
        return found

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _walk_chain(
    conn: Connection,
    last: int,
    progress: Callable[[int], None] | None,
    workers: int,
    parallel_from: int,
) -> list[Walk]:
    location = _worker_location(conn)
    if last < max(parallel_from, 2) or workers < 2 or location is None:
        return [walk(_chunks(conn, 1, last), 1, last, GENESIS_HASH, progress)]
    (first, own_last), *others = _ranges(last, workers)
    started = [_Worker(location, a, b) for a, b in others]
    try:
        walks = [walk(_chunks(conn, first, own_last), first, own_last, GENESIS_HASH, progress)]
        for worker in started:
            found = worker.result(progress)
            if found is None:
                a, b = worker.first, worker.last
                found = walk(_chunks(conn, a, b), a, b, None, progress)
            walks.append(found)
        return walks
    finally:
        for worker in started:
            worker.stop()


def _join(walks: list[Walk]) -> tuple[int, bytes, Problem | None]:
    """The last good position and its hash over consecutive ranges, and the first problem."""
    good, prev = 0, GENESIS_HASH
    for part in walks:
        if part.first > 1 and part.start_prev is not None and part.start_prev != prev:
            return good, prev, (part.first, named(Why.PREVIOUS_HASH))
        if part.good_hash is not None:
            good, prev = part.good, part.good_hash
        if part.problem is not None:
            return good, prev, part.problem
    return good, prev, None


def _separate_connection(conn: Connection) -> bool:
    """Whether the column check can run on a connection of its own (not in-memory SQLite)."""
    return conn.dialect.name == "postgresql" or _worker_location(conn) is not None


def _check_in(conn: Connection, last: int) -> Problem | None:
    """The column check on ``conn`` itself (an in-memory SQLite database)."""
    return _sqlite_problem(conn.execute(text(_SQLITE_CHECK.format(last=int(last)))).first())


def _sqlite_problem(found: Any) -> Problem | None:
    if found is None:
        return None
    if found[1] == "body":
        return int(found[0]), named(Why.NOT_BYTES, "body")
    return int(found[0]), named(Why.RENUMBERED)


def _checkpoint_problem(conn: Connection, upto: int) -> Problem | None:
    row = conn.execute(
        text(
            "SELECT c.position FROM journal_checkpoints AS c "
            "JOIN journal AS j ON j.position = c.position "
            "WHERE c.position <= :upto AND c.hash <> j.hash ORDER BY c.position LIMIT 1"
        ),
        {"upto": upto},
    ).first()
    if row is None:
        return None
    return int(row[0]), named(Why.CHECKPOINT)


def _hash_at(conn: Connection, position: int) -> bytes:
    if position <= 0:
        return GENESIS_HASH
    value = conn.execute(
        text("SELECT hash FROM journal WHERE position = :p"), {"p": position}
    ).scalar_one()
    return bytes(value)


@dataclass(frozen=True)
class Anchor:
    """A position and its hash kept outside the database (``mamar verify --against``)."""

    position: int
    hash: bytes

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """``POSITION:SHA256HEX``, as ``mamar verify`` prints it; ValueError if not."""
        position, sep, digest = text.strip().partition(":")
        if not sep or not position.isdecimal() or int(position) < 1:
            raise ValueError("give POSITION:SHA256HEX, e.g. 1234:9f86d081…, as verify printed it")
        try:
            value = bytes.fromhex(digest)
        except ValueError:
            value = b""
        if len(value) != 32:
            raise ValueError("the hash after ':' must be 64 hexadecimal digits (SHA-256)")
        return cls(int(position), value)

    def problem(self, conn: Connection, last: int) -> Problem | None:
        """What the verified journal (ending at ``last``) says against this anchor."""
        if self.position > last:
            return last + 1, named(Why.ANCHOR_AFTER_END, last=last, anchored=self.position)
        if _hash_at(conn, self.position) != self.hash:
            return self.position, named(Why.ANCHOR_HASH)
        return None


@dataclass(frozen=True)
class TreeAnchor:
    """A tree size and Merkle root from a signed checkpoint whose signature was checked.

    The root is recomputed from the journal's bodies (RFC 6962), not read from the
    stored tree: the stored nodes are in the database being checked.
    """

    size: int
    root: bytes

    def problem(self, conn: Connection, last: int) -> Problem | None:
        if self.size > last:
            return last + 1, named(Why.TREE_AFTER_END, last=last, size=self.size)
        if _root_over_bodies(conn, self.size) != self.root:
            return self.size, named(Why.TREE_ROOT, size=self.size)
        return None


def _root_over_bodies(conn: Connection, size: int) -> bytes:
    frontier: list[bytes] = []
    for count, (body,) in enumerate(
        conn.execute(
            text("SELECT body FROM journal WHERE position <= :size ORDER BY position"),
            {"size": size},
        )
    ):
        carry, index = merkle.leaf_hash(bytes(body)), count
        while index & 1:  # the subtree on the left is complete at this level: merge
            carry = merkle.node_hash(frontier.pop(), carry)
            index >>= 1
        frontier.append(carry)
    return merkle.root_of(frontier)


def verify(
    conn: Connection,
    *,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
    against: Anchor | TreeAnchor | None = None,
) -> VerifyResult:
    """Verify the whole journal; the first problem found is reported.

    ``workers`` processes walk the chain (default: one per CPU) once the journal
    holds ``parallel_from`` events or more. ``against`` is a position and hash kept
    elsewhere: the database alone can be rewritten consistently (bodies, chain, head
    and checkpoints together), a hash it does not hold cannot.
    """
    marks = [int(p) for p in conn.execute(select(checkpoints.c.position)).scalars()]
    head_row = conn.execute(select(journal_head.c.position, journal_head.c.hash)).first()
    last = int(conn.execute(text("SELECT max(position) FROM journal")).scalar() or 0)
    columns = _ColumnCheck(conn.engine, last) if _separate_connection(conn) else None
    if columns is not None:
        columns.start()
    try:
        walks = _walk_chain(conn, last, progress, workers or os.cpu_count() or 1, parallel_from)
    finally:
        if columns is not None:
            columns.join()
    if columns is not None and columns.error is not None:
        raise columns.error
    good, prev, chain_problem = _join(walks)
    column_problem = columns.result if columns is not None else _check_in(conn, last)
    problems = [
        p for p in (chain_problem, _checkpoint_problem(conn, good), column_problem) if p is not None
    ]
    if problems:
        where, reason = min(problems, key=lambda p: p[0])
        if where <= good:
            good, prev = where - 1, _hash_at(conn, where - 1)
        return VerifyResult(False, good, good, prev, where, reason)
    later = [p for p in marks if p > last]
    if later:
        return VerifyResult(
            False,
            last,
            last,
            prev,
            min(later),
            named(Why.CHECKPOINT_AFTER_END, last=last, checkpoint=max(later)),
        )
    if head_row is None and last > 0:
        return VerifyResult(
            False,
            last,
            last,
            prev,
            last,
            named(Why.HEAD_MISSING, count=last),
        )
    if head_row is not None and (int(head_row.position), head_row.hash) != (last, prev):
        return VerifyResult(
            False,
            last,
            last,
            prev,
            int(head_row.position),
            named(Why.HEAD_DIFFERS, head=int(head_row.position), last=last),
        )
    anchored = against.problem(conn, last) if against is not None else None
    if anchored is not None:
        return VerifyResult(False, last, last, prev, anchored[0], anchored[1])
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
