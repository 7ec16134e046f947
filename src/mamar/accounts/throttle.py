"""Sign-in throttling that an attacker cannot turn against the account's owner.

Failed attempts are counted under three keys, each with its own limit:

- the account from one address (:data:`PAIR`): a few failures, then that address
  waits a few minutes before trying that account again;
- the account from anywhere (:data:`ACCOUNT`): many more failures (guessing spread
  over many addresses), then a longer wait;
- the address, whatever the account (:data:`ADDRESS`): many failures (one machine
  trying password after password across accounts).

The two wide limits do not apply to an attempt that carries the account's own
"known device" mark (a signed cookie set at a successful sign-in, see
:func:`device_mark`): someone else's failures elsewhere never lock the owner
out of the device they use. Only the owner's own address can lock it, and only
for :data:`PAIR`'s wait.

The counts live in the ``login_failures`` table. When the database cannot be
written (a read-only database, a full disk) they are kept in this process's
memory instead, so sign-in still works and is still throttled.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from mamar.db.tables import login_failures
from mamar.domain.time import now_utc, parse_utc_key, utc_key

log = logging.getLogger("mamar.security")


@dataclass(frozen=True)
class Limit:
    """``failures`` within ``window`` make the key wait ``wait``."""

    failures: int
    window: timedelta
    wait: timedelta


PAIR = Limit(5, timedelta(minutes=15), timedelta(minutes=5))
ACCOUNT = Limit(50, timedelta(hours=1), timedelta(minutes=15))
ADDRESS = Limit(30, timedelta(minutes=15), timedelta(minutes=15))
#: Errors that mean "this database takes no writes now" (read-only, full disk, locked;
#: OSError: the SQLite writers' lock file beside the database cannot be made).
UNWRITABLE = (DBAPIError, sqlite3.Error, OSError)


def _account(username: str) -> str:
    # Hashed: a password typed into the user-name field must not be stored.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt: who for, from where, and whether it carries the device mark."""

    username: str
    address: str
    known_device: bool = False

    @property
    def pair(self) -> str:
        """The key of this account from this address."""
        return f"pair:{_account(self.username)}:{self.address[:40]}"

    def limits(self) -> dict[str, Limit]:
        """The keys counted for this attempt, each with its limit."""
        account = _account(self.username)
        keys = {self.pair: PAIR}
        if not self.known_device:
            keys[f"user:{account}"] = ACCOUNT
            keys[f"addr:{self.address[:60]}"] = ADDRESS
        return keys


def device_mark(key: bytes, username: str) -> str:
    """The value of the known-device cookie for ``username`` (signed, so it cannot be made)."""
    message = b"known-device:" + _account(username).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def is_known_device(key: bytes, username: str, mark: str | None) -> bool:
    return bool(mark) and hmac.compare_digest(device_mark(key, username), mark or "")


@dataclass
class _Count:
    failures: int
    first_at: datetime
    locked_until: datetime | None


class Throttle:
    """The counts in the database, or in memory while the database takes no writes."""

    def __init__(self) -> None:
        self._memory: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def wait_seconds(
        self, conn: Connection, attempt: Attempt, *, now: datetime | None = None
    ) -> int:
        """Seconds before ``attempt`` is allowed (0: allowed now)."""
        moment = now or now_utc()
        keys = list(attempt.limits())
        rows = conn.execute(
            select(login_failures.c.key, login_failures.c.locked_until).where(
                login_failures.c.key.in_(keys)
            )
        ).all()
        until = [parse_utc_key(r.locked_until) for r in rows if r.locked_until is not None]
        with self._lock:
            until += [c.locked_until for k in keys if (c := self._memory.get(k)) and c.locked_until]
        longest = max(((u - moment).total_seconds() for u in until), default=0.0)
        return max(0, int(longest + 0.999))

    def record(
        self,
        writing: Callable[[], AbstractContextManager[Connection]],
        attempt: Attempt,
        succeeded: bool,
        *,
        now: datetime | None = None,
    ) -> None:
        """Count a failure (or clear the account's pair on success) in a transaction of
        ``writing``, or in memory if the database refuses the write."""
        moment = now or now_utc()
        try:
            with writing() as conn:
                if succeeded:
                    _clear(conn, attempt)
                else:
                    for key, limit in attempt.limits().items():
                        _count(conn, key, limit, moment)
            return
        except UNWRITABLE as exc:
            log.error("sign-in attempts kept in memory: the database takes no writes (%s)", exc)
        with self._lock:
            if succeeded:
                self._memory.pop(attempt.pair, None)
                return
            for key, limit in attempt.limits().items():
                count = self._memory.get(key)
                if count is None or count.first_at < moment - limit.window:
                    count = self._memory[key] = _Count(0, moment, None)
                count.failures += 1
                if count.failures >= limit.failures:
                    count.locked_until = moment + limit.wait


def _count(conn: Connection, key: str, limit: Limit, moment: datetime) -> None:
    row = conn.execute(select(login_failures).where(login_failures.c.key == key)).first()
    if row is None or parse_utc_key(row.first_at) < moment - limit.window:
        conn.execute(delete(login_failures).where(login_failures.c.key == key))
        conn.execute(
            insert(login_failures).values(
                key=key, failures=1, first_at=utc_key(moment), locked_until=None
            )
        )
        return
    failures = int(row.failures) + 1
    locked = utc_key(moment + limit.wait) if failures >= limit.failures else None
    conn.execute(
        update(login_failures)
        .where(login_failures.c.key == key)
        .values(failures=failures, locked_until=locked)
    )


def _clear(conn: Connection, attempt: Attempt) -> None:
    """A success clears the pair only: the account's and the address's counts stand."""
    conn.execute(delete(login_failures).where(login_failures.c.key == attempt.pair))
