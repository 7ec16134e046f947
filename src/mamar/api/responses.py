"""Response helpers and the documented shapes of success and error responses."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from mamar.access.cursors import Cursors
from mamar.access.viewer import Viewer
from mamar.api.errors import ErrorBody
from mamar.domain.ids import split_stream
from mamar.journal.envelope import RecordedEvent


def respond(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


#: Errors every signed-in route may answer with.
AUTH_ERRORS = _errors(400, 401, 403, 413, 415, 422)
READ_ERRORS = _errors(400, 401, 403, 404, 410, 422)
WRITE_ERRORS = _errors(400, 401, 403, 404, 409, 410, 413, 415, 422)


class EventOut(BaseModel):
    """An event a command recorded: its record, its cursor (to read the timeline after
    it), and its hash (to prove later, with a checkpoint, that it was recorded). No
    journal position or stream version: both count events the caller may not see."""

    cursor: str
    kind: str
    id: str
    type: str
    visibility: str
    occurred_at: str
    recorded_at: str
    hash: str


class CommandResult(BaseModel):
    events: list[EventOut]


def events_out(recorded: list[RecordedEvent], viewer: Viewer, cursors: Cursors) -> dict[str, Any]:
    return {
        "events": [
            {
                "cursor": cursors.seal(viewer, e.position),
                "kind": split_stream(e.stream)[0],
                "id": split_stream(e.stream)[1],
                "type": e.type,
                "visibility": e.visibility,
                "occurred_at": e.occurred_at,
                "recorded_at": e.recorded_at,
                "hash": e.hash.hex(),
            }
            for e in recorded
        ]
    }


class EntityOut(BaseModel):
    """An entity's state without the fields of compartments the viewer lacks."""

    model_config = ConfigDict(extra="allow")

    entity: str
    id: str
    visibility: str


class Page(BaseModel):
    items: list[dict[str, Any]]
    limit: int
    offset: int
    next_offset: int | None
    #: The id of the page's last record, to ask for the next page with ``after``.
    next_after: str | None = None


class OverviewOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    operation: dict[str, Any]


class Me(BaseModel):
    username: str
    role: str
    party: str | None
    via: str
    scope: str
    csrf_token: str | None = None


class Health(BaseModel):
    status: str


class Personal(BaseModel):
    model_config = ConfigDict(extra="allow")
