"""Walking the hash chain over a range of positions, in this process or another.

Each event's hash is ``SHA-256(prev_hash ‖ body)`` and its ``prev_hash`` is the
hash of the event before it. A walk over positions ``first..last`` checks exactly
that, with no gaps. A range that does not start at 1 takes its first row's
``prev_hash`` on trust and reports it, so whoever joins the ranges checks the seam.

Hashing dominates, and CPython hashes one body at a time, so ``verify`` splits a
long journal over several processes. A worker is this module run as a program
(``python -m mamar.journal.chain``), reading one JSON request on stdin and writing
progress lines and one result line on stdout. It imports only the standard
library, the database driver and ``journal.findings``, so it starts quickly.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from mamar.journal.findings import Finding, Why, named

Row = tuple[int, bytes, bytes, bytes]  # position, prev_hash, hash, body
Problem = tuple[int, Finding]

CHUNK = 5000

_SQLITE_ROWS = (
    "SELECT position, prev_hash, hash, body FROM journal "
    "WHERE position >= ? AND position <= ? ORDER BY position"
)
_POSTGRES_ROWS = (
    "SELECT position, prev_hash, hash, body FROM journal "
    "WHERE position >= %s AND position <= %s ORDER BY position LIMIT %s"
)


@dataclass(frozen=True)
class Walk:
    """What a walk over ``first..last`` found."""

    first: int
    last: int
    start_prev: bytes | None  # the prev_hash the walk started from (None: no first row)
    good: int  # the last position that checked out (first - 1 if none)
    good_hash: bytes | None  # its hash (None if no position checked out)
    problem: Problem | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "last": self.last,
            "start_prev": None if self.start_prev is None else self.start_prev.hex(),
            "good": self.good,
            "good_hash": None if self.good_hash is None else self.good_hash.hex(),
            "problem": None
            if self.problem is None
            else [self.problem[0], self.problem[1].to_json()],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Walk:
        problem = data["problem"]
        return cls(
            first=int(data["first"]),
            last=int(data["last"]),
            start_prev=None if data["start_prev"] is None else bytes.fromhex(data["start_prev"]),
            good=int(data["good"]),
            good_hash=None if data["good_hash"] is None else bytes.fromhex(data["good_hash"]),
            problem=None if problem is None else (int(problem[0]), Finding.from_json(problem[1])),
        )


def _diagnose(expected: int, prev: bytes, row: Row) -> Problem:
    position, row_prev = row[0], row[1]
    malformed = [
        name
        for name, value in (("body", row[3]), ("prev_hash", row_prev), ("hash", row[2]))
        if not isinstance(value, bytes)
    ]
    if position == expected and malformed:
        # E.g. a body written back as text: its bytes are not the ones that were hashed.
        return position, named(Why.NOT_BYTES, malformed[0])
    if position != expected:
        return expected, named(Why.MISSING, next=position)
    if row_prev != prev:
        return position, named(Why.PREVIOUS_HASH)
    return position, named(Why.HASH)


def walk(
    chunks: Iterator[Sequence[Row]],
    first: int,
    last: int,
    prev: bytes | None,
    progress: Callable[[int], None] | None = None,
) -> Walk:
    """Walk rows (in position order, in chunks) expected to be exactly ``first..last``.

    ``prev`` is the hash before ``first``; None takes the first row's ``prev_hash``.
    """
    sha256 = hashlib.sha256
    expected = first
    start_prev = prev
    good_hash: bytes | None = None
    for rows in chunks:
        if start_prev is None and rows:
            if rows[0][0] != first or not isinstance(rows[0][1], bytes):
                return Walk(first, last, None, first - 1, None, _diagnose(first, b"", rows[0]))
            start_prev = prev = bytes(rows[0][1])
        assert prev is not None
        for row in rows:
            position, row_prev, row_hash, body = row
            try:
                changed = (
                    position != expected
                    or row_prev != prev
                    or sha256(prev + body).digest() != row_hash
                )
            except TypeError:  # a column that is not bytes: reported, never a crash
                changed = True
            if changed:
                problem = _diagnose(expected, prev, row)
                return Walk(first, last, start_prev, expected - 1, good_hash, problem)
            prev = good_hash = row_hash
            expected += 1
        if progress is not None:
            progress(len(rows))
    if expected <= last:
        problem = (expected, named(Why.MISSING_AT_END, end=expected - 1))
        return Walk(first, last, start_prev, expected - 1, good_hash, problem)
    return Walk(first, last, start_prev, last, good_hash)


def sqlite_chunks(db: Any, first: int, last: int) -> Iterator[list[Row]]:
    """Rows ``first..last`` from a DB-API ``sqlite3`` connection, in chunks."""
    cursor = db.cursor()
    cursor.execute(_SQLITE_ROWS, (first, last))
    while rows := cursor.fetchmany(CHUNK):
        yield rows
    cursor.close()


def postgres_chunks(db: Any, first: int, last: int) -> Iterator[list[Row]]:
    """Rows ``first..last`` from a psycopg connection, binary (bytea arrives as bytes)."""
    after = first
    with db.cursor(binary=True) as cursor:
        while after <= last:
            cursor.execute(_POSTGRES_ROWS, (after, last, CHUNK * 4))
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            after = int(rows[-1][0]) + 1


def _open(dialect: str, url: str) -> Any:
    if dialect == "sqlite":
        return sqlite3.connect(url, isolation_level=None)
    import psycopg

    return psycopg.connect(url)


def worker_request(dialect: str, url: str, first: int, last: int) -> bytes:
    return json.dumps({"dialect": dialect, "url": url, "first": first, "last": last}).encode()


def main() -> int:
    """Worker: walk the requested range and print ``progress N`` lines, then ``result {...}``."""
    request = json.loads(sys.stdin.read())
    first, last = int(request["first"]), int(request["last"])
    db = _open(request["dialect"], request["url"])
    try:
        chunks = (sqlite_chunks if request["dialect"] == "sqlite" else postgres_chunks)(
            db, first, last
        )

        def report(count: int) -> None:
            sys.stdout.write(f"progress {count}\n")
            sys.stdout.flush()

        result = walk(chunks, first, last, None, report)
    finally:
        db.close()
    sys.stdout.write("result " + json.dumps(result.to_json()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
