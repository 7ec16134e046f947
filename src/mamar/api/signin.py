"""Signing in, for the API and the sign-in form alike: throttle, password, session cookies.

Only reads are needed to sign someone in: the throttle's counts, the password hash
and the account are read in one reading transaction, and the session is a signed
cookie. The attempt is then counted in a transaction of its own, which may fail on
a read-only database or a full disk without refusing the person (the throttle then
counts in memory). Every attempt is logged to ``mamar.security`` with its address
and a fingerprint of the account name (never the name: it may be a password typed
in the wrong field).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.accounts import sessions
from mamar.accounts.credentials import check_password
from mamar.accounts.throttle import (
    UNWRITABLE,
    Attempt,
    Throttle,
    device_mark,
    is_known_device,
)
from mamar.api.auth import CSRF_COOKIE, SESSION_COOKIE, account_actor
from mamar.domain.model import Actor
from mamar.system import Mamar

security_log = logging.getLogger("mamar.security")
#: Set at a successful sign-in: attempts from this browser escape the wide throttle limits.
DEVICE_COOKIE = "mamar_device"
DEVICE_LIFETIME_SECONDS = 90 * 86400


@dataclass(frozen=True)
class Outcome:
    """An actor signed in, or why not: ``wait`` seconds (throttled) or wrong credentials."""

    actor: Actor | None
    wait: int = 0
    session_cookie: str = ""
    session: sessions.Session | None = None


def fingerprint(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:12]


def throttle_of(app: FastAPI) -> Throttle:
    found: Throttle | None = getattr(app.state, "throttle", None)
    if found is None:
        found = app.state.throttle = Throttle()
    return found


def sign_in(request: Request, username: str, password: str, *, surface: str) -> Outcome:
    """Check ``username`` and ``password`` from this request's address, throttled."""
    system: Mamar = request.app.state.system
    secret: bytes = request.app.state.secret_key
    throttle = throttle_of(request.app)
    address = request.client.host if request.client else "unknown"
    known = is_known_device(secret, username, request.cookies.get(DEVICE_COOKIE))
    attempt = Attempt(username, address, known_device=known)
    with system.reading() as conn:
        wait = throttle.wait_seconds(conn, attempt)
        if wait:
            security_log.warning(
                "sign-in throttled (%s): user#%s from %s", surface, fingerprint(username), address
            )
            return Outcome(None, wait=wait)
        ok = check_password(conn, username, password)
        actor = account_actor(conn, username) if ok else None
    throttle.record(system.writing, attempt, succeeded=actor is not None)
    if actor is None:
        security_log.warning(
            "failed sign-in (%s): user#%s from %s%s",
            surface,
            fingerprint(username),
            address,
            " (known device)" if known else "",
        )
        return Outcome(None)
    value, session = sessions.issue(secret, actor.username)
    security_log.info("sign-in (%s): %s from %s", surface, actor.username, address)
    return Outcome(actor, session_cookie=value, session=session)


def set_session_cookies(request: Request, response: Response, outcome: Outcome) -> None:
    """The session (HttpOnly), its CSRF token (read by the page's script) and the device mark."""
    assert outcome.session is not None and outcome.actor is not None
    max_age = int(sessions.LIFETIME.total_seconds())
    response.set_cookie(
        SESSION_COOKIE,
        outcome.session_cookie,
        max_age=max_age,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE, outcome.session.csrf, max_age=max_age, secure=True, samesite="strict"
    )
    response.set_cookie(
        DEVICE_COOKIE,
        device_mark(request.app.state.secret_key, outcome.actor.username),
        max_age=DEVICE_LIFETIME_SECONDS,
        secure=True,
        httponly=True,
        samesite="strict",
    )


def end_session(system: Mamar, session: sessions.Session) -> None:
    """Revoke ``session`` on the server; on a database that takes no writes the cookies are
    still cleared, and the session ends at its expiry (logged)."""
    try:
        with system.writing() as conn:
            sessions.revoke(conn, session)
    except UNWRITABLE as exc:
        security_log.error("sign-out of %s not recorded: %s", session.username, exc)
