"""Signing in and out with a form; the same sign-in, throttling and cookies as the API.

The sign-in form carries a CSRF token too (login CSRF: another site must not be
able to sign a browser into an account of its choosing). Before anyone is signed
in, the token is a random value in the ``mamar_csrf`` cookie, set with the form and
repeated in its hidden field; the check is the pages' own (:func:`require_csrf`).
"""

from __future__ import annotations

import logging
import secrets

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from mamar.api.access import PUBLIC, SIGNED_IN, RuleBook
from mamar.api.auth import CSRF_COOKIE, SESSION_COOKIE
from mamar.api.signin import end_session, set_session_cookies, sign_in
from mamar.web.page import View, add_page, require_csrf, view

security_log = logging.getLogger("mamar.security")
FORM_TOKEN_SECONDS = 12 * 3600


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an address elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/ops"


def _form(
    v: View, target: str, *, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    """The sign-in form, with the CSRF token of this browser (a new one if it has none)."""
    token = v.request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = v.render(
        "login.html",
        {"next": target},
        title=v.t("Sign in"),
        status=status,
        errors=errors,
        csrf=token,
    )
    if v.request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE, token, max_age=FORM_TOKEN_SECONDS, secure=True, samesite="strict"
        )
    return response


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def login_form(request: Request) -> Response:
        v = await view(request, PUBLIC)
        return _form(v, _safe_next(request.query_params.get("next")))

    async def login(request: Request) -> Response:
        v = await view(request, PUBLIC)
        require_csrf(v, request.cookies.get(CSRF_COOKIE), "the sign-in form")
        username = v.form.get("username", "").strip()
        password = v.form.get("password", "")
        target = _safe_next(v.form.get("next"))
        if not username or not password:
            errors = {}
            if not username:
                errors["username"] = v.t("Enter your user name.")
            if not password:
                errors["password"] = v.t("Enter your password.")
            return _form(v, target, status=422, errors=errors)
        outcome = sign_in(request, username, password, surface="page")
        if outcome.wait:
            message = v.t(
                "Too many failed sign-ins: wait %(seconds)s seconds.", seconds=outcome.wait
            )
            return _form(v, target, status=429, errors={"_general": message})
        if outcome.actor is None:
            message = v.t("The user name or password is wrong, or the account is disabled.")
            return _form(v, target, status=401, errors={"_general": message})
        response = RedirectResponse(target, status_code=303)
        set_session_cookies(request, response, outcome)
        return response

    add_page(app, book, "/login", login_form, PUBLIC)
    add_page(app, book, "/login", login, PUBLIC, methods=("POST",))

    async def logout(request: Request) -> Response:
        v = await view(request, SIGNED_IN)
        if v.principal is not None and v.principal.session is not None:
            end_session(v.system, v.principal.session)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="strict")
        response.delete_cookie(CSRF_COOKIE, secure=True, samesite="strict")
        return response

    add_page(app, book, "/logout", logout, SIGNED_IN, methods=("POST",))
