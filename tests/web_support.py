"""The web app over the aleppo-2016 scenario, with a signed-in client per demo account."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mamar.accounts.credentials import set_password
from mamar.journal import store
from mamar.scenarios import runner
from mamar.system import Mamar
from mamar.web.app import create_app

PASSWORD = "a long enough password"
OP = "aleppo-2016"
#: Scenario account per role.
ACCOUNTS = {
    "admin": "admin",
    "coordinator": "coordinator",
    "negotiator": "negotiator",
    "operations": "operations",
    "medical": "medic",
    "monitor": "monitor",
    "liaison": "liaison-ru",
    "observer": "observer",
}


@dataclass
class Web:
    system: Mamar
    app: FastAPI

    def client(self, role: str | None = None) -> TestClient:
        client = TestClient(self.app, base_url="https://testserver", follow_redirects=False)
        if role is not None:
            client.get("/login")  # the sign-in form's CSRF token, in its cookie
            response = client.post(
                "/login",
                data={"username": ACCOUNTS[role], "password": PASSWORD, "csrf": csrf(client)},
            )
            assert response.status_code == 303, response.text
        return client

    def journal_size(self) -> int:
        with self.system.reading() as conn:
            return store.count(conn)


def make_web(system: Mamar) -> Web:
    runner.run(system, runner.load("aleppo-2016"))
    with system.writing() as conn:
        for username in ACCOUNTS.values():
            set_password(conn, username, PASSWORD)
    app = create_app(system)
    app.state.live_seconds = 4.0
    return Web(system, app)


def csrf(client: TestClient) -> str:
    return client.cookies.get("mamar_csrf") or ""


def signed_in(system: Mamar, username: str) -> TestClient:
    """A client of a fresh app over ``system``, signed in as ``username`` (any scenario's
    account; its password is set to :data:`PASSWORD` first)."""
    with system.writing() as conn:
        set_password(conn, username, PASSWORD)
    client = TestClient(create_app(system), base_url="https://testserver", follow_redirects=False)
    client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": csrf(client)}
    )
    assert response.status_code == 303, response.text
    return client
