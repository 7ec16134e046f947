"""Engine creation for the two supported engines: SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and route them to psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


#: Connections kept open per process. A server process answers from up to 40 worker
#: threads (anyio's default); with SQLAlchemy's default of 5 kept and 10 more opened and
#: closed per use, most requests at 50 clients waited for a connection or opened one
#: (on SQLite: the file, WAL and four pragmas each time).
SQLITE_POOL = {"pool_size": 40, "max_overflow": 20}


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, synchronous=FULL and one-writer transactions."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            # An in-memory database is one connection, not a pool.
            **({} if _in_memory(url) else SQLITE_POOL),
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, **POSTGRES_POOL)
    _ping_when_idle(engine)
    return engine


#: PostgreSQL connections kept per process: every connection is a server process, and
#: opening one (a fork, authentication, the driver's set-up) costs far more than a
#: query. With SQLAlchemy's default (5 kept, 10 more opened on demand and closed again
#: when 5 are idle), a server process at 50 clients (bench/api.py) opened some 60 new
#: connections a second, a connection's worth of work for every few overviews. None is
#: opened beyond these: a thread finding them all in use waits for one (as it did for
#: the 16th before).
POSTGRES_POOL = {"pool_size": 15, "max_overflow": 0}
#: The same for the point reads outside a transaction (``make_lookup_engine``): one
#: statement each, held for a round trip.
POSTGRES_LOOKUP_POOL = {"pool_size": 10, "max_overflow": 0}


def make_lookup_engine(url: str) -> Engine:
    """PostgreSQL connections for reads outside any transaction (``Mamar.looking_up``:
    a caller's token and account, the journal head), in a pool of their own.

    Opened in autocommit, so a checkout neither switches the connection's isolation
    level and back nor rolls back on return (there is never a transaction to end); and
    since the transactions, the writers' among them, draw on the other pool, readers at
    full load cannot hold every connection a writer needs.
    """
    engine = create_engine(
        normalise_url(url),
        isolation_level="AUTOCOMMIT",
        pool_reset_on_return=None,
        **POSTGRES_LOOKUP_POOL,
    )
    _ping_when_idle(engine)
    return engine


#: A pooled PostgreSQL connection left unused this long is checked before it is used.
IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection with a round trip only when it sat unused for
    :data:`IDLE_PING_SECONDS` (the server restarted, a firewall dropped it), not on
    every use as ``pool_pre_ping`` does: a busy server's connections are seldom idle,
    and the ping was one of an access check's round trips. One found dead is replaced
    before it is handed out; one that dies in use is invalidated with the rest of the
    pool (SQLAlchemy's disconnect handling), so the next request gets a new one."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned")
        if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            # The ping began a transaction (the driver does not autocommit): end it.
            dbapi_connection.rollback()
        except Exception as exc:
            raise DisconnectionError("a pooled connection did not answer") from exc


def wipe_wal(driver: Any) -> None:
    """Copy the write-ahead log into the database and empty it (SQLite driver connection).

    The WAL keeps old page images, an erased vault record among them, until it is
    overwritten; a TRUNCATE checkpoint waits (busy timeout) for readers of older
    snapshots, then leaves the file empty.
    """
    try:
        busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            # A reader held an old snapshot past the busy timeout: try once more.
            busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except Exception:  # the erasure is committed either way; say so, never fail it
        log.exception("could not empty the write-ahead log after an erasure")
        return
    if busy:
        log.warning(
            "the write-ahead log could not be emptied after an erasure (a long read "
            "held it); it is emptied at the next erasure"
        )


def _in_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (not the driver) decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Freed space is overwritten with zeros, so an erased vault record does not
        # linger in the database file's free pages (see ``vault.store``).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # One writer at a time: take the write lock up front, so a transaction
        # never fails half-way on upgrading a read lock. Readers (marked with
        # the ``readonly`` execution option) take no write lock.
        driver = conn.connection.driver_connection
        if driver.in_transaction:
            # Begun on the driver by ``Mamar.writing``: SQLAlchemy joins it.
            return
        readonly = conn.get_execution_options().get("readonly", False)
        driver.execute("BEGIN" if readonly else "BEGIN IMMEDIATE")
