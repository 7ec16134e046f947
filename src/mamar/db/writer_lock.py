"""A lock that SQLite writers in every process of one database take before ``BEGIN IMMEDIATE``.

SQLite lets one writer in at a time; a second process that finds the write lock
taken is put to sleep by the busy handler, in steps that grow to 100 ms, and
tries again. Under concurrent writes from two server processes those sleeps were
most of a write's wait (``bench/api.py``: a p99 of 0.6–2.6 s). An advisory lock
on a file beside the database (``<database>-writer.lock``, ``flock``) makes the
next writer wait in the kernel and wake as soon as the last one has committed.
It only orders writers: ``BEGIN IMMEDIATE`` still guards the database, and a
writer that does not take this lock (another tool) is still kept out by SQLite.
The kernel drops the lock of a process that dies.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WriterLock:
    """An exclusive ``flock`` on ``path``, opened once per process, taken per transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._pid = 0
        self._open = threading.Lock()

    def _descriptor(self) -> int:
        with self._open:
            # A forked child opens its own: a descriptor shared with the parent would
            # share its lock too.
            if self._fd is None or self._pid != os.getpid():
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                self._pid = os.getpid()
            return self._fd

    @contextmanager
    def held(self) -> Iterator[None]:
        fd = self._descriptor()
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._open:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
                self._fd = None


def writer_lock_for(database: str | None) -> WriterLock | None:
    """The writer lock of a SQLite database file (None in memory)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return WriterLock(Path(database).with_name(Path(database).name + "-writer.lock"))
