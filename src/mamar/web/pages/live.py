"""Server-sent events: new journal events the viewer may see, within about a second.

Served asynchronously: an open stream waits on the process's :class:`JournalWatch`
(one poll of the journal head for every stream of the process) and holds no worker
thread while idle. When the head moves, the stream reads only the events after the
last one it sent, through ``queries.timeline`` in a worker thread, so the viewer's
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

from mamar.api.access import READ_ANY, RuleBook
from mamar.domain.model import Actor
from mamar.i18n.labels import event_label
from mamar.journal import store
from mamar.services import queries
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
) -> list[dict[str, Any]]:
    with system.reading() as conn:
        entries = queries.timeline(
            conn, viewer=viewer, operation=operation, order="recorded", after_position=after
        )
        return [
            {
                "position": e.position,
                "type": e.type,
                "kind": e.kind,
                "entity_id": e.entity_id,
                "occurred_at": e.occurred_at,
                "label": {"ar": event_label(e.type, "ar"), "en": event_label(e.type, "en")},
            }
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
    yield f"retry: 1000\n: from {last}\n\n".encode()
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        head = await watch.wait_beyond(last, min(KEEPALIVE_SECONDS, left))
        if head <= last:
            yield b": keep-alive\n\n"
            continue
        events = await anyio.to_thread.run_sync(
            _new_events, system, viewer, operation, last, limiter=READERS
        )
        for event in events:
            yield b"id: %d\nevent: journal\ndata: %s\n\n" % (
                event["position"],
                orjson.dumps(event),
            )
        last = max([head, *(e["position"] for e in events)])


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
                queries.get_state(conn, viewer=v.actor, kind="operation", entity_id=operation)
        return v

    return asyncio.run(opened())


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def live(request: Request) -> StreamingResponse:
        v = await anyio.to_thread.run_sync(_open, request)
        resume = request.headers.get("last-event-id", "")
        start = int(resume) if resume.isdigit() else None
        seconds = float(request.app.state.live_seconds)
        operation = request.query_params.get("operation") or None
        return StreamingResponse(
            stream(v.system, journal_watch(request.app), v.actor, operation, seconds, start),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    add_page(app, book, "/live", live, READ_ANY, offload=False)
