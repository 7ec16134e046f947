"""Passwords, hashed with Argon2id. Kept out of the journal: a hash is a secret too."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from mamar.db.tables import credentials
from mamar.domain.errors import DomainError
from mamar.domain.time import now_utc, utc_key

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

MIN_LENGTH = 12


def set_password(conn: Connection, username: str, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise DomainError(
            "weak_password", f"a password needs at least {MIN_LENGTH} characters", field="password"
        )
    hashed = _hasher.hash(password)
    now = utc_key(now_utc())
    changed = conn.execute(
        update(credentials)
        .where(credentials.c.username == username)
        .values(password_hash=hashed, changed_at=now)
    )
    if changed.rowcount == 0:
        conn.execute(
            insert(credentials).values(username=username, password_hash=hashed, changed_at=now)
        )


def check_password(conn: Connection, username: str, password: str) -> bool:
    row = conn.execute(
        select(credentials.c.password_hash).where(credentials.c.username == username)
    ).first()
    if row is None:
        # Spend the same time as a real check, so timing does not reveal unknown names.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
