"""Reading personal records through the API is journalled; the vault key can be rotated."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from mamar import reads
from mamar.cli import app as cli
from mamar.config import Settings
from mamar.domain.visibility import Role
from mamar.journal.verify import verify
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.api_support import make_api, post, record, username

PERSON = {
    "id": "amal",
    "operation": "op",
    "personal": {"full_name": "Amal K.", "phones": ["+963 944 000000"]},
}


def _setup(system: Mamar):  # type: ignore[no-untyped-def]
    api = make_api(system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    record(api, "/api/v1/person/register", PERSON)
    return api


def test_personal_record_read_is_journalled_without_the_data(system: Mamar) -> None:
    api = _setup(system)
    for role in Role:
        before = api.journal_size()
        response = api.client.get("/api/v1/person/amal/personal", headers=api.headers(role))
        if role in (Role.ADMIN, Role.COORDINATOR, Role.MEDICAL):
            assert response.status_code == 200
            assert response.json()["full_name"] == "Amal K."
            assert api.journal_size() == before + 1
        else:
            assert response.status_code == 403
            assert api.journal_size() == before
    with system.reading() as conn:
        accessed = list(reads.timeline(conn, viewer=SYSTEM, types=["vault.accessed"]))
        assert verify(conn).ok
    assert [r.data["reader"] for r in accessed] == [
        username(Role.ADMIN),
        username(Role.COORDINATOR),
        username(Role.MEDICAL),
    ]
    assert all(r.data["subject_id"] == "amal" and r.visibility == "medical" for r in accessed)
    text = str([r.data for r in accessed])
    assert "Amal K." not in text and "944" not in text
    # The person entity itself never holds the name either.
    person = api.client.get("/api/v1/person/amal", headers=api.headers(Role.COORDINATOR)).text
    assert "Amal" not in person


def test_erased_record_is_gone_and_the_journal_verifies(system: Mamar) -> None:
    api = _setup(system)
    post(api, "/api/v1/person/amal/erase", {})
    response = api.client.get("/api/v1/person/amal/personal", headers=api.headers(Role.COORDINATOR))
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "erased"
    with system.reading() as conn:
        assert verify(conn).ok


def test_rotate_key_and_audit_listing_from_the_cli(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    system = Mamar(Settings(database_url=url))  # development: the key lives in a file
    system.init()
    api = _setup(system)
    assert (
        api.client.get(
            "/api/v1/person/amal/personal", headers=api.headers(Role.MEDICAL)
        ).status_code
        == 200
    )
    key_file = system.settings.key_file()
    assert key_file is not None
    old_key = key_file.read_text()
    runner = CliRunner()
    rotated = runner.invoke(cli, ["vault", "rotate-key", "--database", url])
    assert rotated.exit_code == 0, rotated.output
    assert "re-encrypted 1 personal record under key" in rotated.output
    assert key_file.read_text() != old_key
    reopened = Mamar(Settings(database_url=url))
    assert reopened.vault is not None
    with reopened.reading() as conn:
        person = reads.get_state(conn, viewer=SYSTEM, kind="person", entity_id="amal")
        assert reopened.vault.get(conn, person.vault_ref)["full_name"] == "Amal K."  # type: ignore[attr-defined,index]
    audit = runner.invoke(cli, ["audit", "access", "--database", url])
    assert audit.exit_code == 0, audit.output
    assert "user-medical" in audit.output and "person:amal" in audit.output
    assert "Amal K." not in audit.output
    reopened.dispose()
    system.dispose()


def test_token_cli_creates_and_revokes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    runner = CliRunner()
    added = runner.invoke(cli, ["user", "add", "nadia", "--role", "monitor", "--database", url])
    assert added.exit_code == 0, added.output
    created = runner.invoke(
        cli,
        ["token", "create", "nadia", "--scope", "write", "--expires-in", "2h", "--database", url],
    )
    assert created.exit_code == 0, created.output
    lines = dict(line.split(": ", 1) for line in created.output.splitlines() if ": " in line)
    token_id, token = lines["token id"].strip(), lines["token"].strip()
    system = Mamar(Settings(database_url=url))
    api_client = make_api_client(system)
    me = api_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["scope"] == "write"
    revoked = runner.invoke(cli, ["token", "revoke", token_id, "--database", url])
    assert revoked.exit_code == 0, revoked.output
    assert (
        api_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    system.dispose()


def make_api_client(system: Mamar):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from mamar.api.app import create_app

    return TestClient(create_app(system), base_url="https://testserver")
