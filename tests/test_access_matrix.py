"""The organisations matrix, generated from the route table: every GET route of the API
and the pages × every organisation of aleppo-2016 × every role × a marker in every
compartment of every organisation, checked in bodies, headers and the live stream;
and every writing route refused to read-only tokens, changing nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from mamar.domain.visibility import Role
from mamar.system import Mamar
from tests.conftest import make_system
from tests.org_support import OP, World, build, may_see

#: A view of the offline base map (its route needs a box and a zoom).
BASE_VIEW = "bbox=37.0,36.1,37.3,36.3&zoom=13"
# Page paths name their records in the plural; the API by kind.
_PLURAL = {"people": "person"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("matrix") / "mamar.db"
    system = make_system(f"sqlite:///{path}")
    yield build(system)
    system.dispose()


def routes(app: FastAPI, method: str) -> list[str]:
    """The paths of ``app``'s routes of ``method`` (its static files and docs left out)."""
    found = []
    for route in app.routes:
        if isinstance(route, Route) and method in (route.methods or set()):
            if route.path.startswith("/static/") or route.path.endswith(("/docs", "/openapi.json")):
                continue
            found.append(route.path)
    return found


def _kind(template: str) -> str | None:
    parts = [p for p in template.split("/") if p]
    if "{id}" not in parts:
        return None
    before = parts[parts.index("{id}") - 1]
    if template.startswith("/api/"):
        return before
    return _PLURAL.get(before, before.removesuffix("s"))


def bindings(world: World, template: str, ids: dict[str, list[str]]) -> list[str]:
    """Concrete paths: every marked record for convoys and positions, one record of other
    kinds, and a missing one."""
    path = template.replace("{op}", OP).replace("{command_name}", "convoy.plan")
    kind = _kind(template)
    if kind is None:
        paths = [path]
    else:
        chosen = {"convoy": world.convoys, "position": world.positions}.get(
            kind, ids.get(kind, [])[:1]
        )
        paths = [path.replace("{id}", i) for i in [*chosen, "no-such-record"]]
    if template.startswith("/ops/"):
        paths += [f"{p}?format=json" for p in paths]
    if template.endswith("/basemap"):
        paths = [f"{path}?{BASE_VIEW}", path]
    return paths


def record_ids(system: Mamar) -> dict[str, list[str]]:
    """The id of every record, by kind."""
    from mamar import reads
    from mamar.domain.model import kind_of
    from mamar.services.commands import SYSTEM

    found: dict[str, list[str]] = {}
    with system.reading() as conn:
        for state in reads.visible_states(conn, viewer=SYSTEM, operation=None):
            found.setdefault(kind_of(state), []).append(state.id)
    return found


def test_every_route_shows_each_viewer_only_its_organisations_compartments(
    world: World,
) -> None:
    ids = record_ids(world.system)
    paths = [p for t in routes(world.app, "GET") for p in bindings(world, t, ids)]
    assert len(paths) > 150
    checked = 0
    for org in world.organisations:
        for role in Role:
            hidden = [m.text for m in world.markers if not may_see(m, org, role)]
            shown = [m.text for m in world.markers if may_see(m, org, role)]
            seen: list[str] = []
            for path in paths:
                headers = world.headers(org, role)
                if path == "/live":
                    headers = {**headers, "Last-Event-ID": "0"}
                response = world.client.get(path, headers=headers)
                where = f"GET {path} as {role.value} of {org}"
                assert response.status_code < 500, f"{where}: {response.text[:300]}"
                text = (
                    response.text
                    + "\n"
                    + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
                )
                for marker in hidden:
                    assert marker not in text, f"{where} shows {marker}"
                seen.append(text)
                checked += 1
            everything = "\n".join(seen)
            # And the rule is not vacuous: what the viewer may see, it does see somewhere.
            missing = [m for m in shown if m not in everything]
            assert missing == [], f"{role.value} of {org} never sees {missing}"
    assert checked > 150 * 8 * len(world.organisations)


def test_the_base_map_is_read_by_signed_in_accounts_only(world: World) -> None:
    """Public geography, still served only to a signed-in account, the same to every one."""
    path = f"/api/v1/basemap?{BASE_VIEW}"
    assert world.client.get(path).status_code == 401
    seen = set()
    for org in world.organisations:
        for role in Role:
            response = world.client.get(path + "&lang=en", headers=world.headers(org, role))
            assert response.status_code == 200, f"{role.value} of {org}: {response.text[:200]}"
            seen.add(response.content)
    assert len(seen) == 1


def test_a_read_only_token_writes_through_no_route(world: World) -> None:
    before = world.journal_size()
    for template in routes(world.app, "POST"):
        for path in bindings(world, template, {}):
            if path.endswith("?format=json") or template in ("/login", "/api/v1/auth/login"):
                continue
            for role in (Role.ADMIN, Role.COORDINATOR):
                headers = world.headers("factions-team", role, write=False)
                if template.startswith("/api/"):
                    response = world.client.post(path, json={}, headers=headers)
                else:
                    response = world.client.post(
                        path, data={"id": "x", "csrf": "x"}, headers=headers
                    )
                where = f"POST {path} with a read-only {role.value} token"
                assert response.status_code in (401, 403), f"{where}: {response.status_code}"
    assert world.journal_size() == before


# --- what a viewer may not see changes nothing it can observe -----------------------

_AT = "2016-12-20T12:00:00%2B02:00"


def observed(world: World, org: str, role: Role) -> dict[str, bytes]:
    """Everything a viewer reads of the operation, byte for byte."""
    paths = [
        f"/api/v1/operations/{OP}/convoy",
        f"/api/v1/operations/{OP}/position",
        f"/api/v1/timeline?operation={OP}&order=recorded&limit=1000",
        f"/api/v1/operations/{OP}/status?at={_AT}",
        f"/api/v1/operations/{OP}/map?at={_AT}",
        "/api/v1/export/journal",
        *(f"/api/v1/convoy/{c}" for c in world.convoys),
        *(f"/api/v1/position/{p}" for p in world.positions),
        f"/ops/{OP}/convoys?format=json",
        f"/ops/{OP}/timeline?format=json",
        f"/ops/{OP}/negotiation?format=json",
        f"/live?operation={OP}",
    ]
    out = {}
    for path in paths:
        response = world.client.get(path, headers=world.headers(org, role))
        out[path] = response.status_code.to_bytes(2, "big") + response.content
    return out


_counter = iter(range(10**6))


def invisible_write(world: World, org: str, role: Role, choice: int, other: int) -> None:
    """Record something ``role`` of ``org`` may not see (by the rule, not by the product)."""
    from tests.org_support import account

    others = [o for o in world.organisations if o != org]
    stranger = others[other % len(others)]
    third = next((o for o in others if o != stranger), stranger)
    n = next(_counter)
    run = _runner(world)
    match choice % 4:
        case 0:  # another organisation's internal record
            run(
                account(stranger, Role.OPERATIONS),
                "convoy.plan",
                id=f"p{n}",
                operation=OP,
                name={"en": f"hidden {n}"},
            )
        case 1:  # another organisation shares its record with a third one
            run(
                account(stranger, Role.OPERATIONS),
                "convoy.plan",
                id=f"p{n}",
                operation=OP,
                name={"en": f"hidden {n}"},
            )
            if third != org:
                run(
                    account(stranger, Role.OPERATIONS),
                    "convoy.share",
                    id=f"p{n}",
                    shared_with=[third],
                )
        case 2 if role not in (Role.ADMIN, Role.COORDINATOR, Role.NEGOTIATOR):
            # a bottom line in the viewer's own organisation's shared position
            run(
                account(org, Role.NEGOTIATOR),
                "position.revise",
                id=f"mk-{org}-position",
                bottom_line=f"hidden {n}",
            )
        case 3 if role not in (Role.ADMIN, Role.COORDINATOR, Role.MEDICAL):
            # a medical record of the viewer's own organisation
            run(
                account(org, Role.MEDICAL),
                "convoy.plan",
                id=f"p{n}",
                operation=OP,
                name={"en": f"hidden {n}"},
                visibility="medical",
            )
        case _:
            run(
                account(stranger, Role.OPERATIONS),
                "convoy.plan",
                id=f"p{n}",
                operation=OP,
                name={"en": f"hidden {n}"},
            )


def _runner(world: World) -> Any:
    from mamar.domain.model import command_type
    from tests.helpers import at

    def run(username: str, command: str, **fields: Any) -> None:
        world.system.execute(
            command_type(command).model_validate(fields),
            actor=world.system.actor(username),
            occurred=at("2016-12-17T09:00+02:00"),
        )

    return run


@settings(
    max_examples=int(os.environ.get("MAMAR_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    org=st.integers(min_value=0, max_value=6),
    role=st.sampled_from(list(Role)),
    choice=st.integers(min_value=0, max_value=3),
    other=st.integers(min_value=0, max_value=5),
)
def test_an_invisible_event_changes_none_of_a_viewers_reads(
    world: World, org: int, role: Role, choice: int, other: int
) -> None:
    organisation = world.organisations[org % len(world.organisations)]
    before = observed(world, organisation, role)
    size = world.journal_size()
    invisible_write(world, organisation, role, choice, other)
    assert world.journal_size() > size
    after = observed(world, organisation, role)
    changed = [path for path in before if before[path] != after[path]]
    assert changed == [], f"{role.value} of {organisation} observes {changed}"
