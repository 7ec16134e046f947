"""Login sessions: a cookie value signed (HMAC-SHA256) with the settings' secret key.

The session names the account, when it ends, and the CSRF token that unsafe
requests authenticated by this cookie must repeat in a header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import Connection, delete, insert, select

from mamar.db.tables import revoked_sessions
from mamar.domain.time import now_utc, utc_key

LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str
    expires: int  # seconds since the epoch


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def issue(key: bytes, username: str, *, now: datetime | None = None) -> tuple[str, Session]:
    """A signed cookie value for a new session, and the session it encodes."""
    moment = now or now_utc()
    session = Session(username, secrets.token_urlsafe(24), int((moment + LIFETIME).timestamp()))
    payload = _b64(orjson.dumps({"u": session.username, "c": session.csrf, "e": session.expires}))
    return f"{payload}.{_sign(key, payload)}", session


def read(key: bytes, value: str, *, now: datetime | None = None) -> Session | None:
    """The session in a cookie value, if the signature holds and it has not expired."""
    payload, _, signature = value.partition(".")
    if not payload or not hmac.compare_digest(signature, _sign(key, payload)):
        return None
    try:
        data = orjson.loads(_unb64(payload))
        session = Session(str(data["u"]), str(data["c"]), int(data["e"]))
    except (ValueError, KeyError, TypeError):
        return None
    if session.expires <= (now or now_utc()).timestamp():
        return None
    return session


def session_hash(session: Session) -> str:
    """What a revoked session is stored as (``revoked_sessions``)."""
    return hashlib.sha256(session.csrf.encode()).hexdigest()


def revoke(conn: Connection, session: Session) -> None:
    """End ``session`` now, whoever holds a copy of its cookie."""
    expires = datetime.fromtimestamp(session.expires, UTC)
    conn.execute(delete(revoked_sessions).where(revoked_sessions.c.expires_at < utc_key(now_utc())))
    if not is_revoked(conn, session):
        conn.execute(
            insert(revoked_sessions).values(
                session_hash=session_hash(session), expires_at=utc_key(expires)
            )
        )


def is_revoked(conn: Connection, session: Session) -> bool:
    row = conn.execute(
        select(revoked_sessions.c.session_hash).where(
            revoked_sessions.c.session_hash == session_hash(session)
        )
    ).first()
    return row is not None
