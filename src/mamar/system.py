"""The running system: database, vault and the application services bound together."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine

import mamar.features  # noqa: F401  (registers every feature)
from mamar.access.cursors import Cursors
from mamar.accounts.model import actor_of
from mamar.config import Settings
from mamar.db.engine import is_sqlite, make_engine, make_lookup_engine, wipe_wal
from mamar.db.maintenance import analyze_sqlite, vacuum_analyze_postgres
from mamar.db.migrate import upgrade
from mamar.db.writer_lock import writer_lock_for
from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, Command
from mamar.domain.time import OccurredAt
from mamar.journal import store
from mamar.journal.envelope import RecordedEvent
from mamar.projections.entities import current
from mamar.services import commands
from mamar.services.commands import SYSTEM
from mamar.services.group_commit import GroupCommit
from mamar.vault.store import Vault, parse_key
from mamar.web import i18n


class Mamar:
    """One instance per process: use :meth:`execute` for changes, :meth:`reading` for reads."""

    def __init__(
        self, settings: Settings | None = None, *, database_url: str | None = None
    ) -> None:
        self.settings = settings or Settings()
        if database_url is not None:
            self.settings = self.settings.model_copy(update={"database_url": database_url})
        self.engine: Engine = make_engine(self.settings.database_url)
        i18n.set_digits(self.settings.digits)
        # The same engine and pool, its transactions marked read-only (no write lock).
        self._reader: Engine = self.engine.execution_options(readonly=True)
        # PostgreSQL's point reads outside a transaction, from a pool of their own (see
        # ``looking_up``).
        self._autocommit: Engine | None = (
            None if is_sqlite(self.engine) else make_lookup_engine(self.settings.database_url)
        )
        key = self.settings.resolve_vault_key()
        self.vault: Vault | None = Vault(parse_key(key)) if key else None
        # What viewers are given instead of journal positions (``access.cursors``).
        self.cursors = Cursors(self.settings.resolve_secret_key())
        # SQLite has one writer at a time anyway: this process keeps one connection
        # for writing, taken in turn, instead of checking one out for every command.
        self._writer_lock = threading.RLock() if is_sqlite(self.engine) else None
        self._writer: Connection | None = None
        # Writers of every process wait for each other in the kernel, not in SQLite's
        # busy handler's sleeps (``db.writer_lock``).
        self._file_lock = (
            writer_lock_for(self.engine.url.database) if self._writer_lock is not None else None
        )
        # Commands from concurrent callers share durable commits (``services.group_commit``).
        # On PostgreSQL a group is made up once the chain head's row lock is taken (on
        # SQLite ``writing`` already waited for the other processes' writers).
        self.group: GroupCommit[list[RecordedEvent]] = GroupCommit(
            self.writing,
            lock=None if self._writer_lock is not None else store.lock_head,
            share=commands.GroupAppend,
        )

    def init(self) -> None:
        """Create or upgrade the schema; move old vault records to keys of their own."""
        upgrade(self.engine)
        if self.vault is None:
            return
        # A pooled connection, not the writer's: ``serve`` forks after this, and a
        # process must not inherit an open SQLite connection.
        with self.engine.begin() as conn:
            self.vault.migrate(conn)
        if self.vault.take_shredded() and is_sqlite(self.engine):
            with self.engine.connect() as conn:
                wipe_wal(conn.connection.driver_connection)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction that may write; committed when the block ends without error."""
        if self._writer_lock is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._writer_lock, self._file_lock.held() if self._file_lock else nullcontext():
            if self._writer is None or self._writer.invalidated or self._writer.closed:
                self._writer = self.engine.connect()
            conn = self._writer
            # The transaction is begun and ended on the driver: SQLAlchemy's begin
            # and commit machinery cost some 30 µs of Python a transaction, a tenth
            # of a single-event append's CPU (bench/journal.py). A SQLAlchemy
            # statement run in the block joins this transaction (see ``db.engine``)
            # and is ended with it.
            driver: Any = conn.connection.driver_connection
            driver.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                if conn.in_transaction():
                    conn.commit()
                else:
                    driver.commit()
                if self.vault is not None and self.vault.take_shredded():
                    wipe_wal(driver)
            except BaseException:
                # Nothing of the block is kept; the next transaction starts on a
                # fresh connection.
                self._writer = None
                try:
                    if conn.in_transaction():
                        conn.rollback()
                    elif driver.in_transaction:
                        driver.rollback()
                finally:
                    conn.close()
                raise

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._reader.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def looking_up(self) -> Iterator[Connection]:
        """A connection for reads that share no snapshot: each statement sees what is
        committed when it runs (a caller's token and account, the journal head).

        On PostgreSQL it reads without a transaction (autocommit): the same as a read
        in a READ COMMITTED transaction (PostgreSQL's default, and this product's),
        less the BEGIN and COMMIT round trips, on a connection of a pool of its own
        (``db.engine.make_lookup_engine``). A server-side cursor (``yield_per``) needs
        :meth:`reading`. On SQLite it is :meth:`reading`.
        """
        if self._autocommit is None:
            with self.reading() as conn:
                yield conn
            return
        with self._autocommit.connect() as conn:
            yield conn

    def actor(self, username: str) -> Actor:
        """The account ``username`` as an actor; disabled or unknown accounts are refused."""
        if username == SYSTEM.username:
            return SYSTEM
        with self.reading() as conn:
            found = current(conn, stream_name("account", username))
        if found is None:
            raise DomainError("unknown_account", f"no account '{username}'", field="actor")
        state = found[0]
        if getattr(state, "disabled", False):
            raise NotPermitted(f"the account '{username}' is disabled")
        return actor_of(username, state)

    def execute(
        self, command: Command, *, actor: Actor, occurred: OccurredAt | None = None
    ) -> list[RecordedEvent]:
        """Carry out ``command``; return its recorded events once they are durable.

        Commands that other threads send at the same time may share the transaction
        and its commit (``services.group_commit``); each is decided, refused and
        answered as if it ran alone.
        """
        vault = self.vault
        return self.group.submit(
            lambda conn: commands.execute(
                conn, command, actor=actor, occurred=occurred, vault=vault
            )
        )

    def after_bulk_write(self) -> None:
        """Let the planner see the tables as a bulk write left them (``db.maintenance``):
        PostgreSQL vacuumed and analysed, SQLite analysed. Call it once the bulk write
        has committed (a synthetic operation, a large import, a rebuild)."""
        if self._writer_lock is None:
            vacuum_analyze_postgres(self.engine)
            return
        with self.writing() as conn:
            analyze_sqlite(conn)

    def dispose(self) -> None:
        if self._writer_lock is not None:
            with self._writer_lock:
                if self._writer is not None:
                    self._writer.close()
                    self._writer = None
            if self._file_lock is not None:
                self._file_lock.close()
        if self._autocommit is not None:
            self._autocommit.dispose()
        self.engine.dispose()
