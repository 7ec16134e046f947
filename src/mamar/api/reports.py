"""Situation reports over the API (and the dashboard's download link): PDF or HTML.

The route's rule is :data:`mamar.access.rules.SITREP`; the report is made through the
caller's viewer (:func:`mamar.reports.making.make_sitrep`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from starlette.responses import Response

from mamar.access.door import Principal, guard, require
from mamar.access.rules import SITREP, RuleBook
from mamar.api.language import choose_language
from mamar.api.reads import aware
from mamar.api.responses import READ_ERRORS
from mamar.domain.time import now_utc
from mamar.reports.making import SitrepRequest, make_sitrep
from mamar.system import Mamar

PREFIX = "/api/v1"
SITREP_PATH = "/operations/{op}/sitrep"
REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
router = APIRouter(prefix=PREFIX, tags=["report"], responses=READ_ERRORS)


@router.get(
    SITREP_PATH,
    summary="The situation report of an operation, as of a moment or over a period",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "text/html": {"schema": {"type": "string"}},
            }
        }
    },
)
def situation_report(
    request: Request,
    op: Annotated[str, Path(max_length=200)],
    principal: Annotated[Principal | None, Depends(guard(SITREP))],
    at: Annotated[
        datetime | None, Query(description="As of this moment (ISO 8601 with offset)")
    ] = None,
    since: Annotated[
        datetime | None,
        Query(alias="from", description="Start of the period covered (default: all)"),
    ] = None,
    lang: Annotated[
        str | None, Query(pattern="^(ar|en)$", description="Default: from Accept-Language")
    ] = None,
    format: Annotated[str, Query(pattern="^(pdf|html)$")] = "html",
) -> Response:
    reader = require(principal).actor
    system: Mamar = request.app.state.system
    language = lang or choose_language(request.headers.get("accept-language"))
    moment = aware(at, "at") or now_utc()
    wanted = SitrepRequest(
        operation=op,
        at=moment,
        since=aware(since, "from"),
        lang=language,
        format=format,
    )
    made = make_sitrep(system, reader, wanted)
    name = made.filename(moment, language, format)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "html":
        # A standalone document: its own styles, nothing else (no script, nothing fetched).
        headers = {
            "Content-Disposition": f'inline; filename="{name}"',
            "Content-Security-Policy": REPORT_POLICY,
        }
    return Response(made.content, media_type=made.media_type, headers=headers)


def add_report_routes(app: FastAPI, book: RuleBook) -> None:
    book.set("GET", PREFIX + SITREP_PATH, SITREP)
    app.include_router(router)
