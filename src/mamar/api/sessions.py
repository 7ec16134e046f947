"""Signing in and out: sessions in secure, HttpOnly, SameSite cookies; login throttling."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from mamar.accounts.tokens import Scope
from mamar.api.access import PUBLIC, SIGNED_IN, RuleBook
from mamar.api.auth import CSRF_COOKIE, SESSION_COOKIE, Principal, guard, require
from mamar.api.errors import ApiError, ErrorBody
from mamar.api.responses import AUTH_ERRORS, Health, Me, respond
from mamar.api.signin import end_session, set_session_cookies, sign_in

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
        "party": actor.party,
        "via": principal.via,
        "scope": principal.scope.value,
        "csrf_token": csrf if csrf is not None else principal.csrf,
    }


def add_session_routes(app: FastAPI, book: RuleBook) -> None:
    def login(request: Request, body: Login) -> Response:
        outcome = sign_in(request, body.username, body.password, surface="api")
        if outcome.wait:
            raise ApiError(
                429,
                "throttled",
                headers={"Retry-After": str(outcome.wait)},
                seconds=outcome.wait,
            )
        if outcome.actor is None or outcome.session is None:
            raise ApiError(401, "invalid_credentials")
        principal = Principal(
            outcome.actor, "session", scope=Scope.WRITE, csrf=outcome.session.csrf
        )
        response = respond(_me(principal))
        set_session_cookies(request, response, outcome)
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
            end_session(request.app.state.system, signed_in.session)
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
