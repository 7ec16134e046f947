"""Exports in the field's formats, and imports of partners' incidents, over the API.

Exports follow :data:`mamar.access.rules.EXPORTS` and hold only what the caller's viewer
sees; the import carries out ``incident.report`` for the caller (its rule is that
command's), all or nothing, naming the first bad line and column.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from mamar.access.door import Principal, guard, require
from mamar.access.rules import EXPORTS, RuleBook, command_rule
from mamar.api.language import choose_language
from mamar.api.reads import _key
from mamar.api.responses import READ_ERRORS, respond
from mamar.exchange.exports import make_export
from mamar.exchange.imports import import_incidents
from mamar.system import Mamar

PREFIX = "/api/v1"
EXPORT_PATH = "/operations/{op}/export/{fmt}"
IMPORT_PATH = "/operations/{op}/import/incidents"
IMPORTS = command_rule("incident.report")
MAX_IMPORT_CHARS = 5_000_000
router = APIRouter(prefix=PREFIX, tags=["exchange"], responses=READ_ERRORS)
Operation = Annotated[str, Path(max_length=200)]


@router.get(
    EXPORT_PATH,
    summary="An export in a field's format: geojson, hxl, acled, cap, gpx or kml",
    response_class=Response,
)
def export(
    request: Request,
    op: Operation,
    fmt: Annotated[str, Path(pattern="^(geojson|hxl|acled|cap|gpx|kml)$")],
    principal: Annotated[Principal | None, Depends(guard(EXPORTS))],
    of: Annotated[
        str, Query(pattern="^(incidents|convoys|movements)$", description="HXL: which table")
    ] = "incidents",
    lang: Annotated[str | None, Query(pattern="^(ar|en)$")] = None,
    at: Annotated[datetime | None, Query(description="As of this moment")] = None,
) -> Response:
    reader = require(principal).actor
    system: Mamar = request.app.state.system
    language = lang or choose_language(request.headers.get("accept-language"))
    made = make_export(
        system, reader, fmt=fmt, operation=op, lang=language, of=of, at_utc=_key(at, "at")
    )
    name = made.filename(op, of if fmt == "hxl" else fmt)
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class IncidentFile(BaseModel):
    """A partner's CSV file, as text, and its layout."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["acled", "hxl"]
    content: str = Field(max_length=MAX_IMPORT_CHARS, description="The CSV file, as text")
    id_prefix: str = Field(default="", max_length=40, pattern="^[a-z0-9-]*$")
    visibility: Literal["internal", "shared"] | None = None


@router.post(
    IMPORT_PATH,
    summary="Record the incidents of a CSV file in ACLED's layout or with HXL hashtags",
)
def import_file(
    request: Request,
    op: Operation,
    body: IncidentFile,
    principal: Annotated[Principal | None, Depends(guard(IMPORTS))],
) -> Response:
    actor = require(principal).actor
    system: Mamar = request.app.state.system
    lang = choose_language(request.headers.get("accept-language"))
    count = import_incidents(
        system,
        actor,
        fmt=body.format,
        text=body.content,
        operation=op,
        lang=lang,
        id_prefix=body.id_prefix,
        visibility=body.visibility,
    )
    return respond({"recorded": count})


def add_exchange_routes(app: FastAPI, book: RuleBook) -> None:
    book.set("GET", PREFIX + EXPORT_PATH, EXPORTS)
    book.set("POST", PREFIX + IMPORT_PATH, IMPORTS)
    app.include_router(router)
