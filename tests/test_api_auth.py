"""Sign-in, sessions with CSRF, API tokens (scope, expiry, revocation), throttling, settings."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from pydantic import ValidationError

from mamar.accounts.tokens import Scope, create_token, revoke_token
from mamar.config import Settings
from mamar.domain.time import now_utc
from mamar.domain.visibility import Role
from mamar.system import Mamar
from tests.api_support import PASSWORD, make_api, username

OPEN = "/api/v1/operation/open"
BODY = {"name": {"en": "Op"}, "timezone": "UTC"}


def test_session_cookie_is_secure_and_csrf_is_required(sqlite_system: Mamar) -> None:
    api = make_api(sqlite_system, passwords=True)
    client = api.client
    login = client.post(
        "/api/v1/auth/login", json={"username": username(Role.COORDINATOR), "password": PASSWORD}
    )
    assert login.status_code == 200
    cookies = login.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("mamar_session="))
    for attribute in ("HttpOnly", "Secure", "SameSite=strict"):
        assert attribute in session
    csrf = login.json()["csrf_token"]
    assert client.get("/api/v1/auth/me").json()["username"] == username(Role.COORDINATOR)
    before = api.journal_size()
    refused = client.post(OPEN, json=BODY)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert client.post(OPEN, json=BODY, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert api.journal_size() == before
    assert client.post(OPEN, json=BODY, headers={"X-CSRF-Token": csrf}).status_code == 201
    # A tampered cookie is no session at all.
    client.cookies.set("mamar_session", session.split(";")[0].split("=", 1)[1][:-2] + "xx")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_tokens_expire_and_can_be_revoked(sqlite_system: Mamar) -> None:
    api = make_api(sqlite_system)
    with sqlite_system.writing() as conn:
        _old_id, old = create_token(
            conn,
            username(Role.OBSERVER),
            scope=Scope.READ,
            expires_in=timedelta(minutes=1),
            now=now_utc() - timedelta(hours=1),
        )
        live_id, live = create_token(conn, username(Role.OBSERVER))
    me = "/api/v1/auth/me"
    assert api.client.get(me, headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert api.client.get(me, headers={"Authorization": f"Bearer {live}"}).status_code == 200
    with sqlite_system.writing() as conn:
        revoke_token(conn, live_id)
    assert api.client.get(me, headers={"Authorization": f"Bearer {live}"}).status_code == 401
    assert api.client.get(me, headers={"Authorization": "Bearer mamar_guess"}).status_code == 401


def test_disabled_accounts_lose_access(sqlite_system: Mamar) -> None:
    api = make_api(sqlite_system)
    headers = api.headers(Role.OBSERVER)
    assert api.client.get("/api/v1/auth/me", headers=headers).status_code == 200
    disabled = api.client.post(
        f"/api/v1/account/{username(Role.OBSERVER)}/disable",
        json={"reason": "left"},
        headers=api.headers(Role.ADMIN),
    )
    assert disabled.status_code == 200
    assert api.client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_login_is_throttled_and_logged_without_secrets(
    sqlite_system: Mamar, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api(sqlite_system, passwords=True)
    name = username(Role.MONITOR)
    caplog.set_level(logging.INFO, logger="mamar.security")
    for _ in range(5):
        wrong = api.client.post(
            "/api/v1/auth/login", json={"username": name, "password": "wrong-guess-123"}
        )
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_credentials"
    throttled = api.client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert throttled.json()["error"]["code"] == "throttled"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "failed sign-in" in logged
    assert "throttled" in logged
    assert "wrong-guess-123" not in logged
    assert PASSWORD not in logged
    assert name not in logged


def test_token_use_and_denials_are_logged(
    sqlite_system: Mamar, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api(sqlite_system)
    caplog.set_level(logging.INFO, logger="mamar.security")
    api.client.post(OPEN, json=BODY, headers=api.headers(Role.OBSERVER))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "used on POST /api/v1/operation/open" in logged
    assert "denied user-observer (observer)" in logged
    assert api.tokens[Role.OBSERVER] not in logged


def test_settings_refuse_to_start_outside_development_without_keys() -> None:
    with pytest.raises(ValidationError, match="MAMAR_SECRET_KEY and MAMAR_VAULT_KEY"):
        Settings(environment="production", secret_key=None, vault_key=None)
    with pytest.raises(ValidationError, match="without MAMAR_VAULT_KEY"):
        Settings(environment="production", secret_key="s" * 40, vault_key=None)
    ok = Settings(environment="production", secret_key="s" * 40, vault_key="k" * 44)
    assert not ok.is_development
    assert Settings(environment="development").resolve_secret_key()


def test_sign_out_ends_the_session_on_the_server(system: Mamar) -> None:
    api = make_api(system, passwords=True)
    client = api.client
    login = client.post(
        "/api/v1/auth/login", json={"username": username(Role.NEGOTIATOR), "password": PASSWORD}
    )
    csrf = login.json()["csrf_token"]
    copied = client.cookies.get("mamar_session")
    assert copied and client.get("/api/v1/auth/me").status_code == 200
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    # Someone who kept a copy of the cookie is signed out too.
    client.cookies.set("mamar_session", copied)
    assert client.get("/api/v1/auth/me").status_code == 401
    # A new sign-in works as before.
    client.cookies.clear()
    again = client.post(
        "/api/v1/auth/login", json={"username": username(Role.NEGOTIATOR), "password": PASSWORD}
    )
    assert again.status_code == 200 and client.get("/api/v1/auth/me").status_code == 200
