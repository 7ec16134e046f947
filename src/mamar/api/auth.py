"""Who is calling: a bearer token or a session cookie (with CSRF), checked against a route's rule."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Connection

from mamar.accounts import sessions
from mamar.accounts.tokens import Scope, check_token
from mamar.api.access import RouteRule
from mamar.api.errors import ApiError
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor
from mamar.projections.entities import current
from mamar.system import Mamar

security_log = logging.getLogger("mamar.security")

SESSION_COOKIE = "mamar_session"
CSRF_COOKIE = "mamar_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    actor: Actor
    via: str  # "token" or "session"
    scope: Scope
    token_id: str | None = None
    csrf: str | None = None
    session: sessions.Session | None = None


def account_actor(conn: Connection, username: str) -> Actor | None:
    """The active account ``username`` as an actor; None if unknown or disabled."""
    found = current(conn, stream_name("account", username))
    if found is None or getattr(found[0], "disabled", False):
        return None
    state = found[0]
    return Actor(username=username, role=state.role, party=state.party)  # type: ignore[attr-defined]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def identify(system: Mamar, request: Request) -> Principal | None:
    """The caller, or None; a bad token or session counts as none."""
    if _bearer(request) is None and not request.cookies.get(SESSION_COOKIE):
        return None
    with system.reading() as conn:
        return identify_in(conn, request)


def identify_in(conn: Connection, request: Request) -> Principal | None:
    """:func:`identify`, reading in the caller's transaction ``conn``.

    Nothing is cached: the token (or the session's revocation) and the account are
    read afresh, so a revoked token, a signed-out session or a disabled account is
    refused on the very next request.
    """
    token = _bearer(request)
    if token is not None:
        info = check_token(conn, token) if token else None
        actor = account_actor(conn, info.username) if info else None
        if info is None or actor is None:
            security_log.warning("rejected bearer token on %s", request.url.path)
            return None
        if security_log.isEnabledFor(logging.INFO):
            security_log.info("token %s used on %s %s", info.id, request.method, request.url.path)
        return Principal(actor, "token", info.scope, token_id=info.id)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = sessions.read(request.app.state.secret_key, cookie)
        if session is None:
            return None
        actor = (
            None if sessions.is_revoked(conn, session) else account_actor(conn, session.username)
        )
        if actor is None:
            return None
        return Principal(actor, "session", Scope.WRITE, csrf=session.csrf, session=session)
    return None


def guard(rule: RouteRule) -> Callable[[Request], Principal | None]:
    """A dependency enforcing ``rule``: sign-in, role, token scope, and CSRF for sessions."""

    def check(request: Request) -> Principal | None:
        if rule.roles is None:
            return None
        return _enforce(rule, request, identify(request.app.state.system, request))

    return check


def authorize(conn: Connection, request: Request, rule: RouteRule) -> Principal:
    """What :func:`guard` checks, in the caller's transaction ``conn``: for a route that
    reads right after, so checking and reading share one connection and one worker thread
    (the route must still have ``rule`` in the rule book, like every route)."""
    principal = _enforce(rule, request, identify_in(conn, request))
    if principal is None:  # a public rule: there is no one to authorise
        raise ApiError(401, "unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    return principal


def _enforce(rule: RouteRule, request: Request, principal: Principal | None) -> Principal | None:
    if rule.roles is None:
        return None
    route = request.scope.get("route")
    where = f"{request.method} {getattr(route, 'path', None) or request.url.path}"
    if principal is None:
        security_log.info("unauthenticated request refused: %s", where)
        raise ApiError(401, "unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    actor = principal.actor
    if actor.role not in rule.roles:
        security_log.warning("denied %s (%s): %s", actor.username, actor.role.value, where)
        raise ApiError(403, "forbidden")
    if rule.scope is Scope.WRITE and principal.scope is not Scope.WRITE:
        security_log.warning(
            "denied %s: read-only token %s: %s", actor.username, principal.token_id, where
        )
        raise ApiError(403, "insufficient_scope")
    if principal.via == "session" and request.method not in _SAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not principal.csrf or not hmac.compare_digest(sent, principal.csrf):
            security_log.warning("CSRF check failed for %s: %s", actor.username, where)
            raise ApiError(403, "csrf_failed", field=CSRF_HEADER)
    return principal


def require(principal: Principal | None) -> Principal:
    """The principal of a guarded route (never None there)."""
    if principal is None:
        raise ApiError(401, "unauthenticated")
    return principal
