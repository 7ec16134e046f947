"""Signing in and out with a form; the same sessions, throttling and cookies as the API."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from mamar.access.door import CSRF_COOKIE, SESSION_COOKIE, account_actor
from mamar.access.rules import PUBLIC, SIGNED_IN, RuleBook
from mamar.accounts import sessions, throttle
from mamar.accounts.credentials import check_password
from mamar.web.page import add_page, view

security_log = logging.getLogger("mamar.security")


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an address elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/ops"


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def login_form(request: Request) -> Response:
        v = await view(request, PUBLIC)
        data = {"next": _safe_next(request.query_params.get("next"))}
        return v.render("login.html", data, title=v.t("Sign in"))

    async def login(request: Request) -> Response:
        v = await view(request, PUBLIC)
        username = v.form.get("username", "").strip()
        password = v.form.get("password", "")
        target = _safe_next(v.form.get("next"))
        data = {"next": target}
        if not username or not password:
            errors = {}
            if not username:
                errors["username"] = v.t("Enter your user name.")
            if not password:
                errors["password"] = v.t("Enter your password.")
            return v.render("login.html", data, title=v.t("Sign in"), status=422, errors=errors)
        system = v.system
        address = request.client.host if request.client else "unknown"
        keys = [throttle.user_key(username), throttle.address_key(address)]
        with system.reading() as conn:
            wait = throttle.wait_seconds(conn, keys)
        if wait:
            message = v.t("Too many failed sign-ins: wait %(seconds)s seconds.", seconds=wait)
            return v.render(
                "login.html", data, title=v.t("Sign in"), status=429, errors={"_general": message}
            )
        with system.writing() as conn:
            ok = check_password(conn, username, password)
            actor = account_actor(conn, username) if ok else None
            if actor is None:
                throttle.record_failure(conn, keys)
            else:
                throttle.clear(conn, keys[0])
        if actor is None:
            security_log.warning("failed page login from %s", address)
            message = v.t("The user name or password is wrong, or the account is disabled.")
            return v.render(
                "login.html", data, title=v.t("Sign in"), status=401, errors={"_general": message}
            )
        value, session = sessions.issue(request.app.state.secret_key, actor.username)
        security_log.info("login: %s from %s (page)", actor.username, address)
        response = RedirectResponse(target, status_code=303)
        max_age = int(sessions.LIFETIME.total_seconds())
        response.set_cookie(
            SESSION_COOKIE, value, max_age=max_age, secure=True, httponly=True, samesite="strict"
        )
        response.set_cookie(
            CSRF_COOKIE, session.csrf, max_age=max_age, secure=True, samesite="strict"
        )
        return response

    add_page(app, book, "/login", login_form, PUBLIC)
    add_page(app, book, "/login", login, PUBLIC, methods=("POST",))

    async def logout(request: Request) -> Response:
        v = await view(request, SIGNED_IN)
        if v.principal is not None and v.principal.session is not None:
            with v.system.writing() as conn:
                sessions.revoke(conn, v.principal.session)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="strict")
        response.delete_cookie(CSRF_COOKIE, secure=True, samesite="strict")
        return response

    add_page(app, book, "/logout", logout, SIGNED_IN, methods=("POST",))
