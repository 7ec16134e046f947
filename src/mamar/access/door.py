"""Who is calling, and may they make this request: the same for the API, the pages and
live streams.

:func:`identify` finds the caller from a bearer token (with its scope) or a session
cookie; :func:`enforce` applies a route's :class:`~mamar.access.rules.RouteRule`:
sign-in, role, token scope (a read-only token cannot write through any route) and,
for sessions, CSRF on every unsafe method (the token comes in the
``X-CSRF-Token`` header or, for a plain form, its ``csrf`` field). Refusals raise
:class:`Refused`; each surface only turns it into its own answer (JSON, or a page).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection
from starlette.requests import Request

from mamar.access.rules import RouteRule
from mamar.access.viewer import Viewer, viewer_of
from mamar.accounts import sessions
from mamar.accounts.model import actor_of
from mamar.accounts.tokens import Scope, token_digest, token_of
from mamar.db.raw import Statement
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, Command, EntityState
from mamar.domain.visibility import Role
from mamar.projections.entities import current, load_state
from mamar.system import Mamar

security_log = logging.getLogger("mamar.security")

SESSION_COOKIE = "mamar_session"
CSRF_COOKIE = "mamar_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Refused(Exception):
    """A request the door does not let through: ``status`` 401 or 403 and a stable ``code``."""

    def __init__(self, status: int, code: str, *, field: str | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Principal:
    """The identified caller: the account acting, how it came in, and with what scope."""

    actor: Actor
    via: str  # "token" or "session"
    scope: Scope
    token_id: str | None = None
    csrf: str | None = None
    session: sessions.Session | None = None

    @property
    def viewer(self) -> Viewer:
        """Through whom every read of this request goes."""
        return viewer_of(self.actor)


def account_actor(conn: Connection, username: str) -> Actor | None:
    """The active account ``username`` as an actor; None if unknown or disabled."""
    found = current(conn, stream_name("account", username))
    return None if found is None else _active(username, found[0])


def _active(username: str, state: EntityState) -> Actor | None:
    return None if getattr(state, "disabled", False) else actor_of(username, state)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def presents_credentials(request: Request) -> bool:
    return _bearer(request) is not None or bool(request.cookies.get(SESSION_COOKIE))


def identify(system: Mamar, request: Request) -> Principal | None:
    """The caller, or None; a bad token or session counts as none."""
    if not presents_credentials(request):
        return None
    with system.looking_up() as conn:
        return identify_in(conn, request)


#: The journal's last position and hash (0 and empty before the first event).
Head = tuple[int, bytes]

# The caller and the journal head in one statement: on PostgreSQL every statement is a
# round trip to the server, and the overview, the most read route, needs all three (the
# token or the session's revocation, the account's state, the head). A row always comes
# back; what was not found is NULL.
_ACCOUNT = stream_name("account", "")
_BY_TOKEN = Statement(
    "SELECT h.position, h.hash, t.id, t.username, t.scope, t.expires_at, t.revoked_at, "
    "e.kind, e.state FROM (SELECT 1 AS one) AS o "
    "LEFT JOIN journal_head AS h ON h.id = 1 "
    "LEFT JOIN api_tokens AS t ON t.token_hash = :hash "
    f"LEFT JOIN entities AS e ON e.stream = '{_ACCOUNT}' || t.username"
)
_BY_SESSION = Statement(
    "SELECT h.position, h.hash, r.session_hash, e.kind, e.state FROM (SELECT 1 AS one) AS o "
    "LEFT JOIN journal_head AS h ON h.id = 1 "
    "LEFT JOIN revoked_sessions AS r ON r.session_hash = :hash "
    "LEFT JOIN entities AS e ON e.stream = :stream"
)


def _head(position: int | None, hash: bytes | None) -> Head:
    return (0, b"") if position is None else (int(position), bytes(hash or b""))


def _account(username: str, kind: str | None, text: str | None) -> Actor | None:
    return None if kind is None or text is None else _active(username, load_state(kind, text))


def identify_in(conn: Connection, request: Request) -> Principal | None:
    """:func:`identify`, reading in the caller's transaction ``conn``.

    Nothing is cached: the token (or the session's revocation) and the account are
    read afresh, so a revoked token, a signed-out session or a disabled account is
    refused on the very next request.
    """
    return identify_at_head(conn, request)[0]


def identify_at_head(conn: Connection, request: Request) -> tuple[Principal | None, Head | None]:
    """:func:`identify_in`, and the journal's head read in the same statement (None when
    nothing was read: no credentials, or none that could be valid)."""
    token = _bearer(request)
    if token is not None:
        digest = token_digest(token)
        row = _BY_TOKEN.run(conn, {"hash": digest}).fetchone() if digest else None
        head = _head(row[0], row[1]) if row is not None else None
        info = token_of(row[2:7]) if row is not None else None
        actor = _account(info.username, row[7], row[8]) if info and row else None
        if info is None or actor is None:
            security_log.warning("rejected bearer token on %s", request.url.path)
            return None, head
        if security_log.isEnabledFor(logging.INFO):
            security_log.info("token %s used on %s %s", info.id, request.method, request.url.path)
        return Principal(actor, "token", info.scope, token_id=info.id), head
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = sessions.read(request.app.state.secret_key, cookie)
        if session is None:
            return None, None
        row = _BY_SESSION.run(
            conn,
            {
                "hash": sessions.session_hash(session),
                "stream": stream_name("account", session.username),
            },
        ).fetchone()
        revoked = row[2] is not None
        actor = None if revoked else _account(session.username, row[3], row[4])
        if actor is None:
            return None, _head(row[0], row[1])
        principal = Principal(actor, "session", Scope.WRITE, csrf=session.csrf, session=session)
        return principal, _head(row[0], row[1])
    return None, None


def enforce(
    rule: RouteRule,
    request: Request,
    principal: Principal | None,
    *,
    form_csrf: str | None = None,
) -> Principal | None:
    """Let the request through under ``rule``, or raise :class:`Refused`.

    Returns the principal (None for a public rule). ``form_csrf`` is the ``csrf``
    field of a submitted form, where the surface has read one.
    """
    if rule.roles is None:
        return None
    route = request.scope.get("route")
    where = f"{request.method} {getattr(route, 'path', None) or request.url.path}"
    if principal is None:
        security_log.info("unauthenticated request refused: %s", where)
        raise Refused(401, "unauthenticated")
    actor = principal.actor
    if actor.role not in rule.roles:
        security_log.warning("denied %s (%s): %s", actor.username, actor.role.value, where)
        raise Refused(403, "forbidden")
    unsafe = request.method not in SAFE_METHODS
    if (rule.scope is Scope.WRITE or unsafe) and principal.scope is not Scope.WRITE:
        security_log.warning(
            "denied %s: read-only token %s: %s", actor.username, principal.token_id, where
        )
        raise Refused(403, "insufficient_scope")
    if principal.via == "session" and unsafe:
        sent = request.headers.get(CSRF_HEADER) or form_csrf or ""
        if not principal.csrf or not hmac.compare_digest(sent, principal.csrf):
            security_log.warning("CSRF check failed for %s: %s", actor.username, where)
            raise Refused(403, "csrf_failed", field=CSRF_HEADER)
    return principal


def check_csrf(request: Request, form_csrf: str | None, expected: str | None, who: str) -> None:
    """For a form sent before sign-in (the sign-in form itself): its ``csrf`` field (or the
    ``X-CSRF-Token`` header) must repeat ``expected``, the token of the form's cookie."""
    sent = form_csrf or request.headers.get(CSRF_HEADER, "")
    if not expected or not hmac.compare_digest(sent, expected):
        security_log.warning("CSRF check failed for %s", who)
        raise Refused(403, "csrf_failed", field=CSRF_HEADER)


def guard(rule: RouteRule) -> Callable[[Request], Principal | None]:
    """A FastAPI dependency enforcing ``rule`` (for routes that read in their own
    transaction afterwards)."""

    def check(request: Request) -> Principal | None:
        if rule.roles is None:
            return None
        return enforce(rule, request, identify(request.app.state.system, request))

    return check


def authorize(conn: Connection, request: Request, rule: RouteRule) -> tuple[Principal, Head]:
    """What :func:`guard` checks, in the caller's connection ``conn``, and the journal's
    head read with the caller (one statement): for a route that reads right after, so
    checking and reading share one connection and one worker thread (the route must
    still have ``rule`` in the rule book, like every route)."""
    principal, head = identify_at_head(conn, request)
    principal = enforce(rule, request, principal)
    if principal is None or head is None:  # a public rule: there is no one to authorise
        raise Refused(401, "unauthenticated")
    return principal, head


def require(principal: Principal | None) -> Principal:
    """The principal of a guarded route (never None there)."""
    if principal is None:
        raise Refused(401, "unauthenticated")
    return principal


def may_issue(principal: Principal | None, command: type[Command]) -> bool:
    """Whether the caller may ask for ``command`` at all (its role, a writing scope):
    what a surface asks before offering a form or a button. The record itself is
    checked when the command is carried out (:mod:`mamar.access.commands`)."""
    return (
        principal is not None
        and principal.scope is Scope.WRITE
        and principal.actor.role in command.roles
    )


def holds_role(principal: Principal | None, roles: frozenset[Role] | None) -> bool:
    """Whether the caller holds one of ``roles`` (None: anyone), e.g. for navigation."""
    return roles is None or (principal is not None and principal.actor.role in roles)
