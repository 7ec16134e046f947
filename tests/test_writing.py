"""``Mamar.writing``: one transaction for driver statements and SQLAlchemy statements alike.

On SQLite the writer's transaction is begun and ended on the driver connection
(for speed); SQLAlchemy statements in the block must join it, commit with it and
roll back with it. The same contract holds on PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Connection, insert, select
from sqlalchemy.engine import make_url

from mamar.db.raw import insert_statement
from mamar.db.tables import revoked_sessions
from mamar.system import Mamar

_RAW_INSERT = insert_statement("revoked_sessions", ("session_hash", "expires_at"))
_LATER = "2030-01-01T00:00:00.000000Z"


def _by_driver(conn: Connection, name: str) -> None:
    _RAW_INSERT.run(conn, {"session_hash": name, "expires_at": _LATER})


def _by_sqlalchemy(conn: Connection, name: str) -> None:
    conn.execute(insert(revoked_sessions).values(session_hash=name, expires_at=_LATER))


def _kept(system: Mamar) -> set[str]:
    with system.reading() as conn:
        return set(conn.execute(select(revoked_sessions.c.session_hash)).scalars())


@pytest.mark.parametrize("sqlalchemy_first", [True, False])
def test_driver_and_sqlalchemy_statements_commit_together(
    system: Mamar, sqlalchemy_first: bool
) -> None:
    with system.writing() as conn:
        if sqlalchemy_first:
            _by_sqlalchemy(conn, "a")
            _by_driver(conn, "b")
        else:
            _by_driver(conn, "a")
            _by_sqlalchemy(conn, "b")
        _by_driver(conn, "c")
    assert _kept(system) == {"a", "b", "c"}
    # The writer is left ready for the next transaction.
    with system.writing() as conn:
        _by_driver(conn, "d")
    assert _kept(system) == {"a", "b", "c", "d"}


@pytest.mark.parametrize("with_sqlalchemy", [True, False])
def test_a_failed_block_keeps_nothing_and_the_next_one_works(
    system: Mamar, with_sqlalchemy: bool
) -> None:
    with pytest.raises(RuntimeError, match="refused"), system.writing() as conn:
        _by_driver(conn, "a")
        if with_sqlalchemy:
            _by_sqlalchemy(conn, "b")
        raise RuntimeError("refused half-way")
    assert _kept(system) == set()
    with system.writing() as conn:
        _by_sqlalchemy(conn, "c")
        _by_driver(conn, "d")
    assert _kept(system) == {"c", "d"}


def test_a_nested_write_on_sqlite_is_refused_and_keeps_nothing(sqlite_system: Mamar) -> None:
    """SQLite has one writer: a block that writes inside another cannot begin."""
    with pytest.raises(Exception, match="transaction"), sqlite_system.writing() as conn:
        _by_driver(conn, "outer")
        with sqlite_system.writing() as inner:
            _by_driver(inner, "inner")
    assert _kept(sqlite_system) == set()
    with sqlite_system.writing() as conn:
        _by_driver(conn, "after")
    assert _kept(sqlite_system) == {"after"}


_HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def test_sqlite_writers_of_another_process_wait_for_the_writer_lock(
    sqlite_system: Mamar, sqlite_url: str
) -> None:
    """Writers of every process take turns on ``<database>-writer.lock`` (``db.writer_lock``)."""
    lock = Path(make_url(sqlite_url).database + "-writer.lock")  # type: ignore[operator]
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "held\n"
        written = threading.Event()

        def write() -> None:
            with sqlite_system.writing() as conn:
                _by_driver(conn, "waited")
            written.set()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        # Not a speed check: while the other process holds the lock, nothing is written.
        assert not written.wait(0.5)
        assert _kept(sqlite_system) == set()
    finally:
        holder.communicate("\n", timeout=30)
    assert written.wait(30)
    assert _kept(sqlite_system) == {"waited"}
