"""Builders for API tests: the app, one account and token per role, and compartmented data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mamar.accounts.credentials import set_password
from mamar.accounts.model import CreateAccount
from mamar.accounts.tokens import Scope, create_token
from mamar.api.app import create_app
from mamar.domain.model import command_type
from mamar.domain.time import OccurredAt
from mamar.domain.visibility import Role, Visibility
from mamar.journal import store
from mamar.services.commands import SYSTEM, execute
from mamar.system import Mamar

PASSWORD = "a long enough password"
#: Text that appears only in records of one compartment: never in a response to a role without it.
MARKERS = {v: f"MARK{v.value.upper()}" for v in Visibility}


@dataclass
class Api:
    system: Mamar
    app: FastAPI
    client: TestClient
    tokens: dict[Role, str]
    read_tokens: dict[Role, str]

    def headers(self, role: Role, *, lang: str = "en", write: bool = True) -> dict[str, str]:
        token = (self.tokens if write else self.read_tokens)[role]
        return {"Authorization": f"Bearer {token}", "Accept-Language": lang}

    def journal_size(self) -> int:
        with self.system.reading() as conn:
            return store.count(conn)


def username(role: Role) -> str:
    return f"user-{role.value}"


def make_api(system: Mamar, *, passwords: bool = False) -> Api:
    tokens: dict[Role, str] = {}
    read_tokens: dict[Role, str] = {}
    with system.writing() as conn:
        for role in Role:
            execute(
                conn,
                CreateAccount(id=username(role), display_name=f"{role.value} user", role=role),
                actor=SYSTEM,
            )
            if passwords:
                set_password(conn, username(role), PASSWORD)
            tokens[role] = create_token(conn, username(role), scope=Scope.WRITE)[1]
            read_tokens[role] = create_token(conn, username(role), scope=Scope.READ)[1]
    app = create_app(system)
    client = TestClient(app, base_url="https://testserver")
    return Api(system, app, client, tokens, read_tokens)


def post(api: Api, path: str, body: dict[str, Any], role: Role = Role.COORDINATOR) -> Any:
    response = api.client.post(path, json=body, headers=api.headers(role))
    assert response.status_code in (200, 201), response.text
    return response.json()


def record(api: Api, path: str, body: dict[str, Any], role: Role = Role.COORDINATOR) -> None:
    """Set up a record the way the command line and scenarios do (through the services,
    with a slug id people can read in the tests), not through the API, whose creates
    generate ids. ``path`` is the API's path of the command, e.g. ``/api/v1/convoy/plan``."""
    parts = path.removeprefix("/api/v1/").split("/")
    data = {k: x for k, x in body.items() if k != "occurred"}
    if len(parts) == 3:  # /kind/{id}/verb
        data["id"] = parts[1]
    command = command_type(f"{parts[0]}.{parts[-1]}").model_validate(data)
    occurred = OccurredAt.model_validate(body["occurred"]) if "occurred" in body else None
    api.system.execute(command, actor=api.system.actor(username(role)), occurred=occurred)


def created(receipt: dict[str, Any]) -> str:
    """The id a create command's receipt gives the new record."""
    return str(receipt["events"][0]["id"])


def load_compartments(api: Api) -> None:
    """An operation with a record in every compartment, each carrying its marker."""
    occurred = {"at": "2016-12-13T20:00+02:00", "precision": "minute"}
    record(
        api,
        "/api/v1/operation/open",
        {
            "id": "op",
            "name": {"en": "Operation"},
            "timezone": "Asia/Damascus",
            "occurred": occurred,
        },
    )
    for visibility, marker in MARKERS.items():
        record(
            api,
            "/api/v1/convoy/plan",
            {
                "id": f"convoy-{visibility.value}",
                "operation": "op",
                "visibility": visibility.value,
                "name": {"en": f"Convoy {marker}"},
                "counts": {"planned": 10},
                "occurred": occurred,
            },
        )
    record(
        api,
        "/api/v1/party/register",
        {
            "id": "party-a",
            "operation": "op",
            "name": {"en": "Party A"},
            "party_kind": "armed_group",
        },
    )
    record(
        api, "/api/v1/issue/raise", {"id": "issue-1", "operation": "op", "title": {"en": "Route"}}
    )
    record(
        api,
        "/api/v1/position/state",
        {
            "id": "position-1",
            "operation": "op",
            "party": "party-a",
            "issue": "issue-1",
            "stance": "Open to talks",
            "bottom_line": f"Bottom line {MARKERS[Visibility.NEGOTIATION]}",
            "red_lines": [f"Red line {MARKERS[Visibility.NEGOTIATION]}"],
        },
    )
    record(
        api,
        "/api/v1/person/register",
        {
            "id": "person-1",
            "operation": "op",
            "personal": {"full_name": f"Vault name {MARKERS[Visibility.MEDICAL]}"},
        },
    )
    record(
        api,
        "/api/v1/convoy/convoy-shared/add_manifest_entry",
        {"person": "person-1"},
        role=Role.MEDICAL,
    )
