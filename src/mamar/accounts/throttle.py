"""Login throttling: after repeated failures a username or a client address must wait."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from mamar.db.tables import login_failures
from mamar.domain.time import now_utc, parse_utc_key, utc_key

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=5)


def user_key(username: str) -> str:
    # Hashed: a mistyped password entered as a username must not be stored.
    return "user:" + hashlib.sha256(username.casefold().encode()).hexdigest()[:32]


def address_key(address: str) -> str:
    return "addr:" + address[:60]


def wait_seconds(conn: Connection, keys: list[str], *, now: datetime | None = None) -> int:
    """Seconds before another attempt is allowed for any of ``keys`` (0: allowed now)."""
    moment = now or now_utc()
    rows = conn.execute(
        select(login_failures.c.locked_until).where(login_failures.c.key.in_(keys))
    ).all()
    waits = [
        (parse_utc_key(r.locked_until) - moment).total_seconds()
        for r in rows
        if r.locked_until is not None
    ]
    longest = max(waits, default=0.0)
    return max(0, int(longest + 0.999))


def record_failure(conn: Connection, keys: list[str], *, now: datetime | None = None) -> None:
    moment = now or now_utc()
    for key in keys:
        row = conn.execute(select(login_failures).where(login_failures.c.key == key)).first()
        if row is None or parse_utc_key(row.first_at) < moment - WINDOW:
            conn.execute(delete(login_failures).where(login_failures.c.key == key))
            conn.execute(
                insert(login_failures).values(
                    key=key, failures=1, first_at=utc_key(moment), locked_until=None
                )
            )
            continue
        failures = int(row.failures) + 1
        locked = utc_key(moment + LOCKOUT) if failures >= MAX_FAILURES else None
        conn.execute(
            update(login_failures)
            .where(login_failures.c.key == key)
            .values(failures=failures, locked_until=locked)
        )


def clear(conn: Connection, key: str) -> None:
    conn.execute(delete(login_failures).where(login_failures.c.key == key))
