"""Authorisation matrix, generated from the route table: every route × every role × visibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.routing import Route

from mamar import reads
from mamar.access.rules import RouteRule, RuleBook
from mamar.access.viewer import viewer_of
from mamar.accounts.tokens import Scope, create_token
from mamar.domain.visibility import Role, Visibility, visible_to
from mamar.scenarios import runner
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.api_support import MARKERS, Api, load_compartments, make_api, record

MISSING = "no-such-record"


def routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    for route in app.routes:
        if isinstance(route, Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, route.path


def unruled(app: FastAPI) -> list[tuple[str, str]]:
    book: RuleBook = app.state.access
    return [(m, p) for m, p in routes(app) if book.get(m, p) is None]


def test_every_route_has_an_access_rule(sqlite_system: Mamar) -> None:
    api = make_api(sqlite_system)
    assert list(routes(api.app)), "the route table is empty"
    assert unruled(api.app) == []


def test_a_new_route_without_a_rule_is_caught(sqlite_system: Mamar) -> None:
    api = make_api(sqlite_system)
    api.app.add_api_route("/api/v1/new-thing", lambda: {"ok": True}, methods=["GET"])
    assert unruled(api.app) == [("GET", "/api/v1/new-thing")]


def _ids_by_kind(system: Mamar) -> dict[str, list[str]]:
    with system.reading() as conn:
        states = reads.visible_states(conn, viewer=SYSTEM, operation=None)
    found: dict[str, list[str]] = {}
    for state in states:
        from mamar.domain.model import kind_of

        found.setdefault(kind_of(state), []).append(state.id)
    return found


def _visibility_of(system: Mamar, kind: str, entity_id: str) -> Visibility | None:
    with system.reading() as conn:
        try:
            state = reads.get_state(conn, viewer=SYSTEM, kind=kind, entity_id=entity_id)
        except Exception:
            return None
    return Visibility(state.visibility)


def _bindings(api: Api, method: str, path: str, ids: dict[str, list[str]]) -> list[str]:
    """Concrete paths for a template: every record of the kind for reads, a missing one too."""
    if "{" not in path:
        return [path]
    if method != "GET":
        return [path.replace("{id}", MISSING)]
    if "{op}" in path:
        return [path.replace("{op}", op) for op in [*ids.get("operation", []), MISSING]]
    kind = path.removeprefix("/api/v1/").split("/")[0]
    return [path.replace("{id}", i) for i in [*ids.get(kind, []), MISSING]]


def _expected_visible(api: Api, path: str, role: Role) -> bool:
    """Whether the record a concrete path names exists and may be seen by ``role``."""
    parts = path.removeprefix("/api/v1/").split("/")
    if parts[0] == "operations" and len(parts) >= 3:
        kind, entity_id = "operation", parts[1]
    elif len(parts) >= 2 and parts[0] != "operations":
        kind, entity_id = parts[0], parts[1]
    else:
        return True
    visibility = _visibility_of(api.system, kind, entity_id)
    return visibility is not None and visibility in visible_to(role)


def test_matrix_every_route_every_role_every_visibility(system: Mamar) -> None:
    api = make_api(system)
    load_compartments(api)
    record(
        api,
        "/api/v1/operation/open",
        {
            "id": "op-internal",
            "name": {"en": "Internal"},
            "timezone": "UTC",
            "visibility": "internal",
        },
    )
    ids = _ids_by_kind(system)
    book: RuleBook = api.app.state.access
    before = api.journal_size()
    checked = 0
    for method, template in routes(api.app):
        rule = book.get(method, template)
        assert rule is not None, f"{method} {template} has no access rule"
        for path in _bindings(api, method, template, ids):
            for role in [None, *Role]:
                checked += 1
                _check(api, rule, method, template, path, role)
    assert checked > 1000
    # Reads of the vault are journalled; nothing else in this walk may change the record.
    with system.reading() as conn:
        types = {e.type for e in reads.timeline(conn, viewer=SYSTEM, order="recorded")}
    assert api.journal_size() >= before
    assert "vault.accessed" in types


def _check(
    api: Api, rule: RouteRule, method: str, template: str, path: str, role: Role | None
) -> None:
    headers = api.headers(role) if role is not None else {}
    if method == "GET":
        response = api.client.get(path, headers=headers)
    else:
        response = api.client.post(path, json={}, headers=headers)
    where = f"{method} {path} as {role}"
    status = response.status_code
    assert status < 500, f"{where}: {status} {response.text[:300]}"
    if rule.roles is None:
        assert status not in (401, 403), where
        return
    if role is None:
        assert status == 401, where
        assert response.json()["error"]["code"] == "unauthenticated"
        return
    if role not in rule.roles:
        assert status == 403, f"{where}: {status}"
        return
    assert status not in (401, 403), f"{where}: {status} {response.text[:300]}"
    allowed = visible_to(role)
    for visibility, marker in MARKERS.items():
        if visibility not in allowed:
            assert marker not in response.text, f"{where} shows a {visibility.value} record"
    if method == "GET" and "{" in template:
        if _expected_visible(api, path, role):
            assert status in (200, 410), f"{where}: {status} {response.text[:300]}"
        else:
            # The same answer as for a record that does not exist: nothing leaks.
            assert status == 404, f"{where}: {status}"
            assert response.json()["error"]["code"] == "not_found"


def test_liaison_of_the_other_side_sees_shared_records_only(system: Mamar) -> None:
    scenario_path = Path(runner.BUILT_IN / "aleppo-2016.yaml")
    scenario = runner.load(
        str(scenario_path)
        if scenario_path.exists()
        else str(Path(__file__).parent / "scenarios" / "mini.yaml")
    )
    runner.run(system, scenario)
    api = make_api(system)
    load_compartments(api)
    # The Russian command's liaison officer: another organisation than the one that
    # recorded the markers (the installation's test accounts).
    with system.writing() as conn:
        token = create_token(conn, "liaison-ru", scope=Scope.READ)[1]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    liaison = viewer_of(system.actor("liaison-ru"))
    ids = _ids_by_kind(system)
    seen = []
    for method, template in routes(api.app):
        if method != "GET" or template in ("/api/v1/docs", "/api/v1/openapi.json"):
            continue
        for path in _bindings(api, method, template, ids):
            response = api.client.get(path, headers=headers)
            assert response.status_code < 500, path
            seen.append(response.text)
            if (
                response.status_code == 200
                and response.headers["content-type"] == "application/json"
            ):
                for key in ("bottom_line", "red_lines", "ceiling", "manifest", "vault_ref"):
                    assert not _has_value(response.json(), key), f"{path} shows {key}"
    text = "\n".join(seen)
    for visibility in (Visibility.INTERNAL, Visibility.MEDICAL, Visibility.NEGOTIATION):
        assert MARKERS[visibility] not in text
    assert "Vault name" not in text
    assert MARKERS[Visibility.SHARED] in text
    export = api.client.get("/api/v1/export/journal", headers=headers).text.splitlines()
    assert export
    assert "MARKINTERNAL" not in "\n".join(export)
    with system.reading() as conn:
        for kind, entity_ids in ids.items():
            for entity_id in entity_ids:
                state = reads.get_state(conn, viewer=SYSTEM, kind=kind, entity_id=entity_id)
                visible = liaison.sees(state)
                code = api.client.get(f"/api/v1/{kind}/{entity_id}", headers=headers).status_code
                assert code == (200 if visible else 404), f"{kind}:{entity_id}"


def _has_value(data: object, key: str) -> bool:
    """Whether ``key`` appears anywhere in ``data`` with a non-empty value."""
    if isinstance(data, dict):
        return any(
            (k == key and v not in (None, [], {}, "")) or _has_value(v, key)
            for k, v in data.items()
        )
    if isinstance(data, list):
        return any(_has_value(v, key) for v in data)
    return False


@pytest.mark.parametrize("role", list(Role))
def test_read_only_tokens_cannot_write(sqlite_system: Mamar, role: Role) -> None:
    api = make_api(sqlite_system)
    before = api.journal_size()
    response = api.client.post(
        "/api/v1/operation/open",
        json={"name": {"en": "X"}, "timezone": "UTC"},
        headers=api.headers(role, write=False),
    )
    assert response.status_code == 403
    expected = "insufficient_scope" if role in (Role.ADMIN, Role.COORDINATOR) else "forbidden"
    assert response.json()["error"]["code"] == expected
    assert api.journal_size() == before
    assert re.match(
        r"^2\d\d$",
        str(
            api.client.get("/api/v1/operations", headers=api.headers(role, write=False)).status_code
        ),
    )
