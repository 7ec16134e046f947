"""The API's request limits, letting HTML forms (urlencoded, or with a file) reach the pages."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.types import Scope

from mamar.api.limits import RequestLimits

FORM = "application/x-www-form-urlencoded"
#: A form with a file (a registration list): same size limit as any body.
UPLOAD = "multipart/form-data"


class PageLimits(RequestLimits):
    """Same size limit everywhere; outside /api/ a form body is accepted as well as JSON."""

    def accepts(self, scope: Scope, content_type: str) -> bool:
        if not str(scope.get("path", "")).startswith("/api/"):
            media = content_type.split(";", 1)[0].strip().lower()
            if media in (FORM, UPLOAD):
                return True
        return super().accepts(scope, content_type)


def accept_forms(app: FastAPI) -> None:
    """Swap the API's limits middleware for :class:`PageLimits` (before the app first runs)."""
    swapped: list[Middleware] = []
    for entry in app.user_middleware:
        if entry.cls is RequestLimits:  # type: ignore[comparison-overlap]
            entry = Middleware(PageLimits, *entry.args, **entry.kwargs)  # type: ignore[arg-type]
        swapped.append(entry)
    app.user_middleware[:] = swapped
