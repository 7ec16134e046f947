"""Server-sent events: new journal events the viewer may see, within about a second.

The generator polls the journal head (cheap) twice a second and, when it moved,
reads only the events after the last one sent, through ``reads.timeline`` — so the
viewer's compartments apply, and it works on SQLite and PostgreSQL and across processes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import orjson
from fastapi import FastAPI, Request
from starlette.responses import StreamingResponse

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook
from mamar.domain.model import Actor
from mamar.i18n.labels import event_label
from mamar.journal import store
from mamar.system import Mamar
from mamar.web.page import add_page, view

POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0


def _head(system: Mamar) -> int:
    with system.reading() as conn:
        return store.head(conn)[0]


def _new_events(
    system: Mamar, viewer: Actor, operation: str | None, after: int
) -> list[dict[str, Any]]:
    with system.reading() as conn:
        entries = reads.timeline(
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


def stream(
    system: Mamar, viewer: Actor, operation: str | None, seconds: float, start: int | None = None
) -> Iterator[bytes]:
    last = _head(system) if start is None else start
    # Nothing of the journal head: it moves with events this viewer may not see.
    yield b"retry: 1000\n\n"
    deadline = time.monotonic() + seconds
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        head = _head(system)
        if head > last:
            for event in _new_events(system, viewer, operation, last):
                yield b"id: %d\nevent: journal\ndata: %s\n\n" % (
                    event["position"],
                    orjson.dumps(event),
                )
            last = head
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
            yield b": keep-alive\n\n"
            quiet_since = time.monotonic()


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def live(request: Request) -> StreamingResponse:
        v = await view(request, READ_ANY)
        operation = request.query_params.get("operation") or None
        if operation is not None:
            with v.system.reading() as conn:
                reads.get_state(conn, viewer=v.actor, kind="operation", entity_id=operation)
        resume = request.headers.get("last-event-id", "")
        start = int(resume) if resume.isdigit() else None
        seconds = float(request.app.state.live_seconds)
        return StreamingResponse(
            stream(v.system, v.actor, operation, seconds, start),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    add_page(app, book, "/live", live, READ_ANY, offload=False)
