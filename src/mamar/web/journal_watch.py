"""One watcher of the journal's head per process, shared by every open live stream.

A live stream used to poll the head itself, sleeping in a server worker thread
between polls: each open stream held a thread, and 40 idle streams used up the
pool every other request waits for. Now one task on the event loop reads the head
(in a worker thread, a moment each time) every :data:`POLL_SECONDS` while anyone
is listening, and wakes the streams waiting for it to move. An idle stream is a
suspended coroutine: no thread, no database read.

The head is read from the database, so appends made by other processes (other
server workers, the CLI, a scenario run, another app instance on the same
PostgreSQL) are seen too.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio

log = logging.getLogger("mamar.web.live")

POLL_SECONDS = 0.5


@dataclass
class _Listeners:
    """The waiting streams of one event loop (a server has one; tests may run several)."""

    moved: asyncio.Event = field(default_factory=asyncio.Event)
    count: int = 0
    head: int | None = None  # the head these streams were last woken for
    task: asyncio.Task[None] | None = None


class JournalWatch:
    """The journal head as last read, and a way to wait until it moves."""

    def __init__(self, read_head: Callable[[], int], *, poll_seconds: float = POLL_SECONDS) -> None:
        self._read_head = read_head
        self._poll_seconds = poll_seconds
        self._head: int | None = None
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Listeners] = (
            weakref.WeakKeyDictionary()
        )

    async def head(self) -> int:
        """The head now, read afresh (a stream starts from it: the last poll may be old)."""
        head = await anyio.to_thread.run_sync(self._read_head)
        self._head = max(head, self._head or 0)
        return head

    async def wait_beyond(self, position: int, timeout: float) -> int:
        """The head once it is past ``position``, or after ``timeout`` seconds, whichever first."""
        loop = asyncio.get_running_loop()
        listeners = self._loops.get(loop)
        if listeners is None:
            listeners = self._loops[loop] = _Listeners()
        listeners.count += 1
        try:
            if listeners.task is None or listeners.task.done():
                listeners.task = loop.create_task(self._poll(listeners))
            with anyio.move_on_after(timeout):
                while (self._head or 0) <= position:
                    await listeners.moved.wait()
            return self._head or 0
        finally:
            listeners.count -= 1

    async def _poll(self, listeners: _Listeners) -> None:
        """Reads the head while anyone waits; stops when no one does (started again on demand)."""
        while listeners.count > 0:
            await asyncio.sleep(self._poll_seconds)
            try:
                head = await anyio.to_thread.run_sync(self._read_head)
            except Exception:  # a database hiccup: streams wait for the next poll
                log.exception("reading the journal head for live streams failed")
                continue
            self._head = head
            if head != listeners.head:
                listeners.head = head
                moved, listeners.moved = listeners.moved, asyncio.Event()
                moved.set()
