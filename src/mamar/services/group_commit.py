"""Group commit: commands that arrive together share one durable commit.

A durable commit (an ``fsync`` on SQLite, a WAL flush on PostgreSQL) costs more
than deciding and appending a command. When commands wait for the writer, the
thread that leads waits for the writer (the other processes' writers on SQLite,
the chain head's row lock on PostgreSQL), then carries every command waiting at
that moment, those that came while it waited among them: it runs
each through the services, in the order they arrived, in one transaction, each
inside its own savepoint, commits once, and only then answers every caller.

- Acknowledged still means on disk: no caller is answered before the commit has
  returned, and if the commit fails every command of the group fails with it.
- A refused command is refused alone: its savepoint is rolled back, so whatever
  it wrote before it was refused (a vault entry, say) is undone, and the others
  go on as if it had never been sent.
- Order, the hash chain and optimistic concurrency are the services' own: each
  command reads the head and the state the one before it left, as it would in a
  transaction of its own.

A command alone (no one else waiting) runs as before: one transaction, no
savepoint.

What a group's commands share besides the transaction (``share``): the services
read the head once, decide each command against the states the ones before it
left (kept in memory), and write the group's journal rows, the Merkle tree's
growth, the head's move, the records' rows and the history rows once, just
before it commits (``services.commands.GroupAppend``), instead of for each
command. On PostgreSQL, where the chain head's row lock is held while the group
runs, a command then costs about two round trips under it instead of about nine.
A refused command's events, states and short references are forgotten with its
savepoint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Connection

from mamar.db.raw import Statement

Result = TypeVar("Result")

_SAVEPOINT = Statement("SAVEPOINT command")
_RELEASE = Statement("RELEASE SAVEPOINT command")
_ROLLBACK_TO = Statement("ROLLBACK TO SAVEPOINT command")
_RELEASE_AND_SET = "RELEASE SAVEPOINT command; SAVEPOINT command"

#: Commands one transaction carries at most; more wait for the next commit. On
#: PostgreSQL each savepoint that writes is a subtransaction, and a transaction with
#: more than 64 of them overflows the server's per-backend cache of them, which slows
#: every other session's snapshots until it ends; 50 clients fit in one group anyway.
LIMIT = 64


class Shared(Protocol):
    """What a group's commands share (see the module doc): marked before each command,
    brought back to the mark if it is refused, finished before the group commits."""

    def mark(self) -> object: ...

    def undo(self, mark: object) -> None: ...

    def finish(self) -> None: ...


_SHARED: ContextVar[Shared | None] = ContextVar("mamar_group_shared", default=None)


def shared() -> Shared | None:
    """What the group being carried out in this thread shares, if a group is."""
    return _SHARED.get()


@dataclass(eq=False)
class _Waiting(Generic[Result]):
    """One caller's work, and, once its group has committed, its answer."""

    work: Callable[[Connection], Result]
    result: Result | None = None
    error: BaseException | None = None
    done: bool = False

    def answer(self) -> Result:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


class GroupCommit(Generic[Result]):
    """Runs work submitted from many threads in shared transactions (see the module doc).

    ``writing`` opens a transaction that commits when its block ends without error
    (``Mamar.writing``); ``lock``, when given, takes the append lock in it (on
    PostgreSQL the chain head's row lock: ``journal.store.lock_head``), and the group
    is made up only once it is taken. ``share``, when given, makes what a group of
    more than one command shares (:class:`Shared`), in its transaction. ``decided``,
    when set, is called with the size of each group after its commands have run and
    what they share is finished, before it commits (tests stop a process there).
    """

    def __init__(
        self,
        writing: Callable[[], AbstractContextManager[Connection]],
        *,
        lock: Callable[[Connection], object] | None = None,
        share: Callable[[Connection], Shared] | None = None,
        limit: int = LIMIT,
    ) -> None:
        self._writing = writing
        self._lock = lock
        self._share = share
        self._limit = limit
        self._ready = threading.Condition(threading.Lock())
        self._queue: list[_Waiting[Result]] = []
        self._leading = False
        self.decided: Callable[[int], None] | None = None
        #: Groups committed so far (tests count them).
        self.commits = 0

    @property
    def waiting(self) -> int:
        """Commands waiting for a writer (not yet taken into a group)."""
        with self._ready:
            return len(self._queue)

    @property
    def leading(self) -> bool:
        """True while a group is being carried out."""
        with self._ready:
            return self._leading

    def submit(self, work: Callable[[Connection], Result]) -> Result:
        """Run ``work`` in a transaction, perhaps shared; return once it is durable."""
        mine: _Waiting[Result] = _Waiting(work)
        with self._ready:
            alone = not self._leading and not self._queue
            if alone:  # nobody to wait for or to carry: this thread leads at once
                self._leading = True
            else:
                self._queue.append(mine)
        if alone:
            self._lead([mine])
            return mine.answer()
        while True:
            with self._ready:
                while self._leading and not mine.done:
                    self._ready.wait()
                if mine.done:
                    return mine.answer()
                # No group is under way: this thread carries everything waiting.
                self._leading = True
            self._lead([])

    def _lead(self, group: list[_Waiting[Result]]) -> None:
        """Carry ``group`` and whatever is waiting once the writer is ours (this thread
        is leading), then let the next leader go."""
        try:
            self._carry(group)
        finally:
            with self._ready:
                self._leading = False
                self._ready.notify_all()

    def _join(self, group: list[_Waiting[Result]]) -> None:
        """Add to ``group`` the commands waiting now, in the order they came, up to the limit."""
        with self._ready:
            taken = self._queue[: self._limit - len(group)]
            del self._queue[: len(taken)]
        group.extend(taken)

    def _carry(self, group: list[_Waiting[Result]]) -> None:
        refused: set[int] = set()
        joined = False
        try:
            with self._writing() as conn:
                # The writer is ours only now: on SQLite once the other processes' writers
                # have let go (``Mamar.writing``), on PostgreSQL once the chain head's row
                # lock is taken (``lock``). Whoever queued while this thread waited for it
                # joins the group, instead of waiting for it to commit and then for the
                # writer again: under load a lone first command would otherwise wait its
                # turn for the writer alone, and every group after it too (a group of one,
                # then one of everyone else, one after the other).
                if self._lock is not None:
                    self._lock(conn)
                self._join(group)
                joined = True
                if len(group) == 1:
                    group[0].result = group[0].work(conn)
                else:
                    self._run_shared(conn, group, refused)
                if self.decided is not None:
                    self.decided(len(group))
            self.commits += 1
        except BaseException as error:
            if not joined:  # the writer could not be had: those waiting are told so
                self._join(group)
            # Nothing of the group was committed: every caller not already refused
            # gets the error (the one that failed alone, or the commit's).
            for index, waiting in enumerate(group):
                if index not in refused:
                    waiting.result, waiting.error = None, error
        finally:
            for waiting in group:
                waiting.done = True

    def _run_shared(
        self, conn: Connection, group: list[_Waiting[Result]], refused: set[int]
    ) -> None:
        """Run a group's commands with what they share, then finish it."""
        if self._share is None:
            self._run_each(conn, group, refused, None)
            return
        state = self._share(conn)
        token = _SHARED.set(state)
        try:
            self._run_each(conn, group, refused, state)
        finally:
            _SHARED.reset(token)
        state.finish()

    @staticmethod
    def _run_each(
        conn: Connection, group: list[_Waiting[Result]], refused: set[int], state: Shared | None
    ) -> None:
        """Run each command of a group in its own savepoint; add to ``refused`` the
        index of each one refused (and bring what they share back to where it was
        before it).

        On PostgreSQL, where every statement is a round trip, one command's savepoint
        is released and the next one's set in the same round trip."""
        driver: Any = conn.connection.driver_connection
        chained = conn.dialect.name == "postgresql"
        set_up = False
        for index, waiting in enumerate(group):
            if not set_up:
                _SAVEPOINT.run(conn)
            mark = None if state is None else state.mark()
            try:
                waiting.result = waiting.work(conn)
            except Exception as error:
                # Undo what it wrote; if that fails the transaction is lost, and the
                # whole group with it.
                _ROLLBACK_TO.run(conn)
                _RELEASE.run(conn)
                if state is not None:
                    state.undo(mark)
                waiting.error = error
                refused.add(index)
                set_up = False
                continue
            if chained and index < len(group) - 1:
                driver.execute(_RELEASE_AND_SET)  # no parameters: both in one round trip
                set_up = True
            else:
                _RELEASE.run(conn)
                set_up = False
