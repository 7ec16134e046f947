"""API bearer tokens: random, stored only as a SHA-256, scoped, expiring and revocable."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select, update

from mamar.db.tables import api_tokens
from mamar.domain.errors import DomainError
from mamar.domain.ids import new_id
from mamar.domain.time import now_utc, utc_key

PREFIX = "mamar_"


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"  # implies read


@dataclass(frozen=True)
class TokenInfo:
    id: str
    username: str
    scope: Scope
    expires_at: str | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    conn: Connection,
    username: str,
    *,
    scope: Scope = Scope.READ,
    expires_in: timedelta | None = timedelta(days=30),
    now: datetime | None = None,
) -> tuple[str, str]:
    """A new token for ``username``: returns (token id, the token itself, shown once)."""
    moment = now or now_utc()
    token = PREFIX + secrets.token_urlsafe(32)
    token_id = new_id()
    conn.execute(
        insert(api_tokens).values(
            id=token_id,
            token_hash=_digest(token),
            username=username,
            scope=scope.value,
            created_at=utc_key(moment),
            expires_at=utc_key(moment + expires_in) if expires_in is not None else None,
        )
    )
    return token_id, token


def revoke_token(conn: Connection, token_id: str) -> None:
    changed = conn.execute(
        update(api_tokens)
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=utc_key(now_utc()))
    )
    if changed.rowcount == 0:
        raise DomainError("unknown_token", f"no active token '{token_id}'", field="id")


def token_digest(token: str) -> str | None:
    """What the token is stored as, or None for what cannot be one of ours."""
    return _digest(token) if token.startswith(PREFIX) else None


def token_of(row: Sequence[Any] | None, *, now: datetime | None = None) -> TokenInfo | None:
    """The token of a row of ``api_tokens`` found by :func:`token_digest` (id, username,
    scope, expires_at, revoked_at; None or NULLs: no such token) if it is unrevoked and
    unexpired; else None. The door reads it afresh on every request (with the account,
    ``access.door``), so a revocation or an expiry takes effect on the very next one."""
    if row is None or row[0] is None:
        return None
    token_id, username, scope, expires_at, revoked_at = row
    if revoked_at is not None:
        return None
    if expires_at is not None and expires_at <= utc_key(now or now_utc()):
        return None
    return TokenInfo(token_id, username, Scope(scope), expires_at)


def list_tokens(conn: Connection) -> list[TokenInfo]:
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.revoked_at.is_(None)).order_by(api_tokens.c.id)
    )
    return [TokenInfo(r.id, r.username, Scope(r.scope), r.expires_at) for r in rows]
