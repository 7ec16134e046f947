"""Signing in cannot be turned against the people who sign in.

- Failures from another address never lock the owner out (throttled per account and
  address; the account-wide limit is slower, and a browser that signed in before
  escapes it); the attempts are recorded.
- The sign-in form needs its CSRF token (login CSRF).
- With a database that takes no writes (a read-only SQLite file, a full disk, a
  read-only PostgreSQL), people still sign in and read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from mamar.accounts import throttle
from mamar.db.tables import login_failures
from mamar.system import Mamar
from mamar.web.app import create_app
from tests.conftest import make_system
from tests.web_support import OP, PASSWORD, Web, csrf, make_web

OWNER = ("198.51.100.7", 40000)
ATTACKER = ("203.0.113.9", 40000)


def _client(web: Web, address: tuple[str, int]) -> TestClient:
    return TestClient(
        web.app, base_url="https://testserver", follow_redirects=False, client=address
    )


def _api_login(client: TestClient, username: str, password: str) -> int:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    return response.status_code


def _page_login(client: TestClient, username: str, password: str) -> int:
    client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf": csrf(client)}
    )
    return response.status_code


def test_another_address_cannot_lock_the_owner_out(
    sqlite_system: Mamar, caplog: pytest.LogCaptureFixture
) -> None:
    web = make_web(sqlite_system)
    attacker = _client(web, ATTACKER)
    caplog.set_level(logging.INFO, logger="mamar.security")
    for _ in range(throttle.PAIR.failures):
        assert _api_login(attacker, "coordinator", "wrong password, again") == 401
    # The attacker's address now waits, even with the right password ...
    assert _api_login(attacker, "coordinator", PASSWORD) == 429
    assert _page_login(_client(web, ATTACKER), "coordinator", PASSWORD) == 429
    # ... and the owner, elsewhere, signs in at once, through the API and the form.
    assert _api_login(_client(web, OWNER), "coordinator", PASSWORD) == 200
    assert _page_login(_client(web, OWNER), "coordinator", PASSWORD) == 303
    # The attempts are recorded: counted per key, and each one logged with its address.
    with sqlite_system.reading() as conn:
        rows = {r.key: r for r in conn.execute(select(login_failures)).all()}
    attempt = throttle.Attempt("coordinator", ATTACKER[0])
    assert rows[attempt.pair].failures == throttle.PAIR.failures
    assert rows[attempt.pair].locked_until is not None
    assert f"addr:{ATTACKER[0]}" in rows
    failed = [r for r in caplog.records if "failed sign-in" in r.getMessage()]
    assert len(failed) == throttle.PAIR.failures
    assert all(ATTACKER[0] in r.getMessage() for r in failed)
    assert not any("coordinator" in r.getMessage() for r in failed)  # a fingerprint, not the name


def test_the_account_wide_limit_is_slower_and_spares_a_known_browser(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    owner = _client(web, OWNER)
    assert _api_login(owner, "negotiator", PASSWORD) == 200  # the owner's browser, marked
    per_address = throttle.PAIR.failures
    addresses = -(-throttle.ACCOUNT.failures // per_address)
    assert addresses > 1  # slower than one address's limit
    for number in range(addresses):
        spread = _client(web, (f"192.0.2.{number + 1}", 40000))
        for _ in range(per_address):
            assert _api_login(spread, "negotiator", "a guessed password") == 401
    # Guessing spread over many addresses: a new address now waits for this account ...
    assert _api_login(_client(web, ("192.0.2.200", 40000)), "negotiator", PASSWORD) == 429
    # ... but not the owner's browser, which signed in here before.
    assert _api_login(owner, "negotiator", PASSWORD) == 200
    # Another account from a fresh address is not touched.
    assert _api_login(_client(web, ("192.0.2.201", 40000)), "coordinator", PASSWORD) == 200


def test_the_sign_in_form_needs_its_csrf_token(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client()
    form = {"username": "coordinator", "password": PASSWORD}
    # Another site posting a sign-in (its own account, to watch what the victim records).
    refused = client.post("/login", data=form)
    assert refused.status_code == 403
    assert "mamar_session" not in refused.headers.get("set-cookie", "")
    page = client.get("/login")
    token = csrf(client)
    assert token and f'name="csrf" value="{token}"' in page.text
    assert client.post("/login", data={**form, "csrf": "not the token"}).status_code == 403
    signed_in = client.post("/login", data={**form, "csrf": token})
    assert signed_in.status_code == 303
    assert "mamar_session" in signed_in.headers.get("set-cookie", "")
    # The API's sign-in takes JSON only: a cross-site form cannot send it.
    assert client.post("/api/v1/auth/login", data=form).status_code == 415


# --- a database that takes no writes ----------------------------------------------------------


@contextlib.contextmanager
def _small_disk(where: Path) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        reason = f"cannot mount a small disk: {done.stderr.decode().strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path) -> None:
    with (disk / "filler").open("wb") as out:
        block = b"\0" * (1 << 20)
        with contextlib.suppress(OSError):
            while True:
                out.write(block)
                out.flush()
    with contextlib.suppress(OSError), (disk / "filler-tail").open("wb") as out:
        while True:
            out.write(b"\0" * 512)
            out.flush()


def _truncate_wal(database: Path) -> None:
    """Every later write must take new space on the disk (none kept from earlier writes)."""
    conn = sqlite3.connect(database)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "the WAL could not be emptied"
    finally:
        conn.close()


@contextlib.contextmanager
def _unwritable(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Web]:
    if kind == "full disk":
        with _small_disk(tmp_path / "disk") as disk:
            system = make_system(f"sqlite:///{disk / 'mamar.db'}")
            try:
                web = make_web(system)
                _truncate_wal(disk / "mamar.db")
                _fill(disk)
                yield web
            finally:
                system.dispose()
        return
    if kind == "read-only file":
        # Recorded in one file, served from a read-only copy no connection has open yet
        # (SQLite would reuse a descriptor opened for writing before the file changed).
        system = make_system(f"sqlite:///{tmp_path / 'recorded.db'}")
        make_web(system)
        system.dispose()
        database = tmp_path / "mamar.db"
        with sqlite3.connect(tmp_path / "recorded.db") as source, sqlite3.connect(database) as copy:
            source.backup(copy)
        copy.close()
        source.close()
        done = subprocess.run(["chattr", "+i", str(database)], capture_output=True)
        if done.returncode != 0:
            reason = f"cannot make the file read-only: {done.stderr.decode().strip()}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        served = Mamar(system.settings.model_copy(update={"database_url": f"sqlite:///{database}"}))
        try:
            yield Web(served, create_app(served))
        finally:
            served.dispose()
            subprocess.run(["chattr", "-i", str(database)], check=False)
        return
    url: str = request.getfixturevalue("postgres_url")
    system = make_system(url)
    try:
        web = make_web(system)
        name = make_url(url).database
        admin = make_url(url).set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
            c.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        system.engine.dispose()  # new connections are read-only
        system.dispose()
        yield web
    finally:
        system.dispose()


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param("read-only file"),
        pytest.param("full disk"),
        pytest.param("read-only postgres", marks=pytest.mark.postgres),
    ],
)
def test_people_sign_in_and_read_when_the_database_takes_no_writes(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with _unwritable(kind, tmp_path, request) as web:
        # Writes are refused for real.
        with pytest.raises(Exception), web.system.writing() as conn:  # noqa: B017
            conn.execute(text("DELETE FROM login_failures"))
            conn.execute(login_failures.insert().values(key="probe", failures=1, first_at="2026"))
        client = web.client()
        assert _page_login(client, "coordinator", PASSWORD) == 303
        dashboard = client.get(f"/ops/{OP}/dashboard")
        assert dashboard.status_code == 200
        assert client.get(f"/ops/{OP}/incidents?format=json").status_code == 200
        api = _client(web, OWNER)
        assert _api_login(api, "monitor", PASSWORD) == 200
        assert api.get(f"/api/v1/operations/{OP}/status").status_code == 200
        # Still throttled, the counts kept in memory.
        attacker = _client(web, ATTACKER)
        for _ in range(throttle.PAIR.failures):
            assert _api_login(attacker, "observer", "wrong password here") == 401
        assert _api_login(attacker, "observer", PASSWORD) == 429
        assert _api_login(_client(web, OWNER), "observer", PASSWORD) == 200
        # Signing out still clears the browser's session.
        signed_out = client.post("/logout", data={"csrf": csrf(client)})
        assert signed_out.status_code == 303
