"""Signing in and out: sessions in secure, HttpOnly, SameSite cookies; login throttling."""

from __future__ import annotations

import hashlib
import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from mamar.access.door import CSRF_COOKIE, SESSION_COOKIE, Principal, account_actor, guard, require
from mamar.access.rules import PUBLIC, SIGNED_IN, RuleBook
from mamar.accounts import sessions, throttle
from mamar.accounts.credentials import check_password
from mamar.accounts.tokens import Scope
from mamar.api.errors import ApiError, ErrorBody
from mamar.api.responses import AUTH_ERRORS, Health, Me, respond
from mamar.system import Mamar

PREFIX = "/api/v1"
security_log = logging.getLogger("mamar.security")


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


def _me(principal: Principal, csrf: str | None = None) -> dict[str, Any]:
    actor = principal.actor
    return {
        "username": actor.username,
        "role": actor.role.value,
        "organisation": actor.organisation,
        "party": actor.party,
        "via": principal.via,
        "scope": principal.scope.value,
        "csrf_token": csrf if csrf is not None else principal.csrf,
    }


def _fingerprint(username: str) -> str:
    # Logged instead of the name typed: it may be a password typed in the wrong field.
    return hashlib.sha256(username.encode()).hexdigest()[:12]


def add_session_routes(app: FastAPI, book: RuleBook) -> None:
    def login(request: Request, body: Login) -> Response:
        system: Mamar = request.app.state.system
        address = request.client.host if request.client else "unknown"
        keys = [throttle.user_key(body.username), throttle.address_key(address)]
        with system.reading() as conn:
            wait = throttle.wait_seconds(conn, keys)
        if wait:
            security_log.warning(
                "login throttled: user#%s from %s", _fingerprint(body.username), address
            )
            raise ApiError(429, "throttled", headers={"Retry-After": str(wait)}, seconds=wait)
        with system.writing() as conn:
            ok = check_password(conn, body.username, body.password)
            actor = account_actor(conn, body.username) if ok else None
            if actor is None:
                throttle.record_failure(conn, keys)
            else:
                throttle.clear(conn, keys[0])
        if actor is None:
            security_log.warning(
                "failed login: user#%s from %s", _fingerprint(body.username), address
            )
            raise ApiError(401, "invalid_credentials")
        value, session = sessions.issue(request.app.state.secret_key, actor.username)
        security_log.info("login: %s from %s", actor.username, address)
        principal = Principal(actor, "session", scope=Scope.WRITE, csrf=session.csrf)
        response = respond(_me(principal))
        max_age = int(sessions.LIFETIME.total_seconds())
        response.set_cookie(
            SESSION_COOKIE, value, max_age=max_age, secure=True, httponly=True, samesite="strict"
        )
        # Readable by the page's script, which repeats it in the X-CSRF-Token header.
        response.set_cookie(
            CSRF_COOKIE,
            session.csrf,
            max_age=max_age,
            secure=True,
            httponly=False,
            samesite="strict",
        )
        return response

    book.set("POST", f"{PREFIX}/auth/login", PUBLIC)
    app.add_api_route(
        f"{PREFIX}/auth/login",
        login,
        methods=["POST"],
        tags=["auth"],
        summary="Sign in: sets the session cookie and returns the CSRF token",
        response_model=Me,
        responses={**AUTH_ERRORS, 429: {"model": ErrorBody}},
    )

    def logout(
        request: Request, principal: Annotated[Principal | None, Depends(guard(SIGNED_IN))]
    ) -> Response:
        signed_in = require(principal)
        if signed_in.session is not None:
            with request.app.state.system.writing() as conn:
                sessions.revoke(conn, signed_in.session)
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE, secure=True, httponly=True, samesite="strict")
        response.delete_cookie(CSRF_COOKIE, secure=True, samesite="strict")
        return response

    book.set("POST", f"{PREFIX}/auth/logout", SIGNED_IN)
    app.add_api_route(
        f"{PREFIX}/auth/logout",
        logout,
        methods=["POST"],
        tags=["auth"],
        status_code=204,
        summary="Sign out: ends the session on the server and clears its cookies",
        responses=AUTH_ERRORS,
    )

    def me(principal: Annotated[Principal | None, Depends(guard(SIGNED_IN))]) -> Response:
        return respond(_me(require(principal)))

    book.set("GET", f"{PREFIX}/auth/me", SIGNED_IN)
    app.add_api_route(
        f"{PREFIX}/auth/me",
        me,
        methods=["GET"],
        tags=["auth"],
        response_model=Me,
        summary="Who is signed in",
        responses=AUTH_ERRORS,
    )

    def health() -> Response:
        return respond({"status": "ok"})

    book.set("GET", f"{PREFIX}/health", PUBLIC)
    app.add_api_route(
        f"{PREFIX}/health",
        health,
        methods=["GET"],
        tags=["system"],
        response_model=Health,
        summary="A constant answer: the service is up",
    )
