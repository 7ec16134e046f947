"""Failures on pages are pages (in the page's language); under /api/v1 they stay JSON."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from mamar.access.door import Refused, identify
from mamar.api.errors import ApiError
from mamar.api.responses import respond
from mamar.domain.errors import DomainError
from mamar.web import confirm, i18n
from mamar.web.page import LoginRequired, PageError, RefusedForm, View, language_of

Handler = Callable[[Request, Exception], Awaitable[Response]]

MESSAGES = {
    "forbidden": i18n.N_("Your role does not give access to this page."),
    "csrf_failed": i18n.N_("This form has expired. Open the page again and resend it."),
    "insufficient_scope": i18n.N_("This access token may only read."),
    "not_found": i18n.N_("There is no such record, or it is not shared with you."),
    "route_not_found": i18n.N_("There is no such page."),
    "bad_request": i18n.N_("The request could not be understood."),
    "unauthenticated": i18n.N_("Please sign in."),
}
#: A form the door refused: said beside what was typed, which is kept.
FORM_MESSAGES = {
    "forbidden": i18n.N_(
        "Your role may not record this, so nothing was recorded. What you typed is still here."
    ),
    "csrf_failed": i18n.N_(
        "This form had expired, so nothing was recorded. What you typed is still here: "
        "check it and send it again."
    ),
    "insufficient_scope": i18n.N_(
        "This access may only read, so nothing was recorded. What you typed is still here."
    ),
}
#: A refusal that names what was wrong (``?a=x`` on an agreement page).
FIELD_MESSAGE = i18n.N_("The value given for “%(field)s” could not be understood.")
#: What a page's query parameter is, in words (``?at=`` is "the moment"): never its name.
FIELD_WORDS = {
    "at": i18n.N_("the moment"),
    "a": i18n.N_("the first version"),
    "b": i18n.N_("the second version"),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_page(request: Request, status: int, code: str, field: str | None = None) -> Response:
    lang = language_of(request)
    title = i18n.tr(lang, MESSAGES.get(code, MESSAGES["bad_request"]))
    message = title
    if field is not None and code == "bad_request":
        # The heading says the request was not understood; the page says which part, once.
        named = i18n.tr(lang, FIELD_WORDS[field]) if field in FIELD_WORDS else field
        message = i18n.tr(lang, FIELD_MESSAGE, field=named)
    if _wants_json(request):
        return respond({"error": {"code": code, "message": message, "field": field}}, status)
    system = request.app.state.system
    page = View(request, system, None, lang)
    try:
        page.principal = identify(system, request)
    except Exception:  # the error page must render even if identification fails
        page.principal = None
    # The heading says what kind of refusal; the page says what was wrong only when that
    # says more (which part was not understood), never the heading again.
    more = message if message != title else None
    return page.render("error.html", {"code": code}, title=title, status=status, message=more)


def form_refusal(exc: RefusedForm) -> str:
    """Why the door refused a form, in the form's language."""
    return exc.view.t(FORM_MESSAGES.get(exc.code, FORM_MESSAGES["forbidden"]))


def kept_page(exc: RefusedForm) -> Response:
    """A refused form whose own page cannot be drawn again: the reason, everything typed
    (shown, and kept to send again once the form had only expired)."""
    v = exc.view
    kept = [
        (name, value) for name, values in v.form_lists.items() if name != "csrf" for value in values
    ]
    return v.render(
        "kept.html",
        {"code": exc.code},
        title=v.t("Nothing was recorded"),  # why, once: the page's alert
        status=exc.status,
        message=form_refusal(exc),
        kept=kept,
        shown=[value for _name, value in kept if value.strip()],
        resend=exc.code == "csrf_failed",
        target=v.request.url.path + (f"?{v.request.url.query}" if v.request.url.query else ""),
        back=v.request.headers.get("referer") or "/",
    )


def install(app: FastAPI) -> None:
    """Wrap the API's handlers: same JSON under /api/, pages elsewhere."""
    api: dict[Any, Handler] = dict(app.exception_handlers)

    async def on_login_required(request: Request, exc: Exception) -> Response:
        if _wants_json(request):
            return error_page(request, 401, "unauthenticated")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    async def on_page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_page(request, exc.status, exc.code, exc.field)

    def wrap(kind: type[Exception], pick: Callable[[Exception], tuple[int, str]]) -> None:
        original = api[kind]

        async def handler(request: Request, exc: Exception) -> Response:
            if _is_api(request):
                return await original(request, exc)
            status, code = pick(exc)
            return error_page(request, status, code)

        app.add_exception_handler(kind, handler)

    def domain(exc: Exception) -> tuple[int, str]:
        assert isinstance(exc, DomainError)
        if exc.code == "not_found":
            return 404, "not_found"
        return (403, "forbidden") if exc.code == "not_permitted" else (400, "bad_request")

    async def on_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        if _is_api(request):
            return await api[Refused](request, exc)
        if exc.status == 401:
            return await on_login_required(request, exc)
        if isinstance(exc, RefusedForm) and not _wants_json(request):
            return kept_page(exc)
        return error_page(request, exc.status, exc.code)

    def api_error(exc: Exception) -> tuple[int, str]:
        assert isinstance(exc, ApiError)
        return exc.status, exc.code

    def http(exc: Exception) -> tuple[int, str]:
        assert isinstance(exc, StarletteHTTPException)
        return exc.status_code, "route_not_found" if exc.status_code == 404 else "bad_request"

    async def on_confirm(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, confirm.NeedsConfirmation)
        return confirm.page(exc)

    app.add_exception_handler(confirm.NeedsConfirmation, on_confirm)
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageError, on_page_error)
    app.add_exception_handler(Refused, on_refused)
    wrap(DomainError, domain)
    wrap(ApiError, api_error)
    wrap(StarletteHTTPException, http)
    wrap(RequestValidationError, lambda exc: (400, "bad_request"))
