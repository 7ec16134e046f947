"""Server-sent events: new journal events the viewer may see, within about a second.

Served asynchronously: an open stream waits on the process's :class:`JournalWatch`
(one poll of the journal head for every stream of the process) and holds no worker
thread while idle. When the head moves, the stream reads only the events after the
last one it sent, through ``reads.timeline`` in a worker thread, so the viewer's
compartments apply; it works on SQLite and PostgreSQL and across processes.

"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import orjson
from fastapi import FastAPI, Request
from starlette.responses import StreamingResponse

from mamar import reads
from mamar.access.cursors import BadCursor
from mamar.access.rules import READ_ANY, RuleBook
from mamar.access.viewer import viewer_of
from mamar.domain.model import Actor
from mamar.i18n.labels import event_label
from mamar.journal import store
from mamar.system import Mamar
from mamar.web.journal_watch import JournalWatch
from mamar.web.page import View, add_page, view

KEEPALIVE_SECONDS = 15.0
#: Worker threads the streams' reads may use at once, apart from the pool pages use:
#: when the journal moves, every open stream reads, and pages must not wait behind them.
READERS = anyio.CapacityLimiter(4)


def _head(system: Mamar) -> int:
    with system.reading() as conn:
        return store.head(conn)[0]


def _new_events(
    system: Mamar, viewer: Actor, operation: str | None, after: int
) -> list[tuple[int, dict[str, Any]]]:
    """Each new event's position (kept by the stream, never sent) and what is sent."""
    with system.reading() as conn:
        entries = reads.timeline(
            conn,
            viewer=viewer,
            operation=operation,
            order="recorded",
            after_position=after,
            cursors=system.cursors,
        )
        return [
            (
                e.position,
                {
                    "cursor": e.cursor,
                    "type": e.type,
                    "kind": e.kind,
                    "entity_id": e.entity_id,
                    "occurred_at": e.occurred_at,
                    "label": {"ar": event_label(e.type, "ar"), "en": event_label(e.type, "en")},
                },
            )
            for e in entries
        ]


async def stream(
    system: Mamar,
    watch: JournalWatch,
    viewer: Actor,
    operation: str | None,
    seconds: float,
    start: int | None = None,
) -> AsyncIterator[bytes]:
    last = await watch.head() if start is None else start
    # Nothing of the journal head: it moves with events this viewer may not see.
    yield b"retry: 1000\n\n"
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        head = await watch.wait_beyond(last, min(KEEPALIVE_SECONDS, left))
        if head <= last:
            yield b": keep-alive\n\n"
            continue
        events = await anyio.to_thread.run_sync(
            _new_events, system, viewer, operation, last, limiter=READERS
        )
        for _, event in events:
            # The event's cursor, not its position: ``Last-Event-ID`` resumes from it.
            yield b"id: %s\nevent: journal\ndata: %s\n\n" % (
                event["cursor"].encode(),
                orjson.dumps(event),
            )
        last = max([head, *(position for position, _ in events)])


def journal_watch(app: FastAPI) -> JournalWatch:
    watch: JournalWatch | None = getattr(app.state, "journal_watch", None)
    if watch is None:
        system: Mamar = app.state.system
        watch = app.state.journal_watch = JournalWatch(lambda: _head(system))
    return watch


def _open(request: Request) -> View:
    """Who is asking, and that they may see the operation (a worker thread, once a stream)."""

    async def opened() -> View:
        v = await view(request, READ_ANY)
        operation = request.query_params.get("operation") or None
        if operation is not None:
            with v.system.reading() as conn:
                reads.get_state(conn, viewer=v.actor, kind="operation", entity_id=operation)
        return v

    return asyncio.run(opened())


def _resume(v: View, cursor: str) -> int | None:
    """Where a reconnecting stream goes on from: after the last event it was sent (its
    ``Last-Event-ID``, a cursor); from now if there is none or it is not this viewer's
    (e.g. the server was restarted with a new development secret)."""
    if not cursor:
        return None
    try:
        return v.system.cursors.open(viewer_of(v.actor), cursor, field="last-event-id")
    except BadCursor:
        return None


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def live(request: Request) -> StreamingResponse:
        v = await anyio.to_thread.run_sync(_open, request)

        start = _resume(v, request.headers.get("last-event-id", ""))
        seconds = float(request.app.state.live_seconds)
        operation = request.query_params.get("operation") or None
        return StreamingResponse(
            stream(v.system, journal_watch(request.app), v.actor, operation, seconds, start),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    add_page(app, book, "/live", live, READ_ANY, offload=False)
