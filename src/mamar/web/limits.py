"""The API's request limits, letting HTML forms (urlencoded, or with a file) reach the pages."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mamar.api.limits import RequestLimits
from mamar.web import i18n
from mamar.web.page import theme_of

FORM = "application/x-www-form-urlencoded"
#: A form with files (a registration list, a family's photos).
UPLOAD = "multipart/form-data"
#: The largest form with files a page accepts: a family's photos as a phone's camera takes
#: them (each at most 12 MB, see :mod:`mamar.manifests.photos`), or a registration list of
#: a whole evacuation (35,000 rows of CSV are about 3 MB).
UPLOAD_BYTES = 48 * 1000 * 1000


#: A page's form is percent-encoded: an Arabic letter takes 6 bytes. Forms may be this many
#: times the API's limit, so the longest text a field accepts (20,000 letters) always
#: reaches the form's own check, which shows the form again as typed with the reason.
FORM_FACTOR = 8


def _page(scope: Scope) -> bool:
    return not str(scope.get("path", "")).startswith("/api/")


def _upload(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == UPLOAD


def _form(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in (FORM, UPLOAD)


class PageLimits(RequestLimits):
    """Outside /api/ a form body is accepted as well as JSON, up to ``FORM_FACTOR`` times
    the limit; a form larger still gets a page in the reader's language, not JSON."""

    def limit(self, scope: Scope, content_type: str) -> int:
        if _page(scope) and _upload(content_type):
            return upload_limit(self.max_bytes)
        if _page(scope) and _form(content_type):
            return self.max_bytes * FORM_FACTOR
        return self.max_bytes

    def accepts(self, scope: Scope, content_type: str) -> bool:
        if _page(scope) and _form(content_type):
            return True
        return super().accepts(scope, content_type)

    async def _refuse_size(
        self, scope: Scope, receive: Receive, send: Send, language: str | None
    ) -> None:
        if not _page(scope):
            await super()._refuse_size(scope, receive, send, language)
            return
        request = Request(scope)
        lang = i18n.choose(request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE))
        limit = self.limit(scope, request.headers.get("content-type", ""))
        if _upload(request.headers.get("content-type", "")):
            message = i18n.tr(
                lang,
                "The files sent are larger than %(size)s together, so nothing was recorded. "
                "Go back, choose smaller photos or fewer at once (or split the list), and "
                "send again.",
                size=size_words(limit, lang),
            )
        else:
            message = i18n.tr(
                lang,
                "What was sent is larger than %(size)s, so nothing was recorded. Go back (the "
                "browser keeps what you typed), shorten the longest text and send it again.",
                size=size_words(limit, lang),
            )
        context = {
            "lang": lang,
            "dir": i18n.DIRECTION[lang],
            "theme": theme_of(request),
            "static": request.app.state.assets.url,
            "title": i18n.tr(lang, "Too large to record"),
            "message": message,
        }
        html = request.app.state.renderer.render(lang, "too_large.html", context)
        response = Response(html, status_code=413, media_type="text/html; charset=utf-8")
        await response(scope, receive, send)


def upload_limit(max_bytes: int) -> int:
    """The largest form with files a page accepts, for the API's limit ``max_bytes``."""
    return max(UPLOAD_BYTES, max_bytes * FORM_FACTOR)


def size_words(limit: int, lang: str) -> str:
    """A size in bytes as a person reads it ("48 MB"), in ``lang``."""
    return i18n.unit(round(limit / 1_000_000, 1), "digital-megabyte", lang)


def accept_forms(app: FastAPI) -> None:
    """Swap the API's limits middleware for :class:`PageLimits` (before the app first runs)."""
    swapped: list[Middleware] = []
    for entry in app.user_middleware:
        if entry.cls is RequestLimits:  # type: ignore[comparison-overlap]
            entry = Middleware(PageLimits, *entry.args, **entry.kwargs)  # type: ignore[arg-type]
        swapped.append(entry)
    app.user_middleware[:] = swapped
