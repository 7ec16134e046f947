"""The aleppo-2016 operation with one account per role in every organisation, and a
marker planted in every compartment of every organisation.

The oracle here (:func:`may_see`) is the rule of the organisations issue written out
by hand, independently of :mod:`mamar.access`: the tests compare what the product
shows against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mamar.accounts.model import CreateAccount
from mamar.accounts.tokens import Scope, create_token
from mamar.domain.model import command_type
from mamar.domain.visibility import Role, Visibility
from mamar.journal import store
from mamar.scenarios import runner
from mamar.services.commands import SYSTEM, execute
from mamar.system import Mamar
from mamar.web.app import create_app
from tests.helpers import at

OP = "aleppo-2016"
#: Roles that hold a sub-compartment (the rule of the issue, written out).
HOLDERS = {
    Visibility.MEDICAL: {Role.ADMIN, Role.COORDINATOR, Role.MEDICAL},
    Visibility.NEGOTIATION: {Role.ADMIN, Role.COORDINATOR, Role.NEGOTIATOR},
}


@dataclass(frozen=True)
class Marker:
    """Text planted in one record (or one part of a record)."""

    text: str
    owner: str
    visibility: Visibility
    shared_with: tuple[str, ...] = ()
    part: Visibility | None = None  # a sub-compartment part of a shared record


@dataclass
class World:
    system: Mamar
    app: FastAPI
    client: TestClient
    organisations: list[str]
    markers: list[Marker] = field(default_factory=list)
    tokens: dict[tuple[str, Role], str] = field(default_factory=dict)
    read_tokens: dict[tuple[str, Role], str] = field(default_factory=dict)
    convoys: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)

    def headers(self, org: str, role: Role, *, write: bool = True) -> dict[str, str]:
        token = (self.tokens if write else self.read_tokens)[(org, role)]
        return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def journal_size(self) -> int:
        with self.system.reading() as conn:
            return store.count(conn)


def may_see(marker: Marker, org: str, role: Role) -> bool:
    member = org == marker.owner or org in marker.shared_with
    if marker.part is not None:
        return member and role in HOLDERS[marker.part]
    if marker.visibility is Visibility.SHARED:
        return True
    if not member:
        return False
    return marker.visibility is Visibility.INTERNAL or role in HOLDERS[marker.visibility]


def account(org: str, role: Role) -> str:
    return f"{org}--{role.value}"


def _run(system: Mamar, username: str, command: str, **fields: Any) -> None:
    system.execute(
        command_type(command).model_validate(fields),
        actor=system.actor(username),
        occurred=at("2016-12-16T12:00+02:00"),
    )


def plant(world: World, org: str, index: int) -> None:
    """One record per compartment owned by ``org``, one shared with the next organisation,
    and a bottom line in a position every organisation sees."""
    system = world.system
    planter = account(org, Role.COORDINATOR)
    for visibility in Visibility:
        text = f"MARK{index}X{visibility.value.upper()}"
        convoy = f"mk-{org}-{visibility.value}"
        _run(
            system,
            planter,
            "convoy.plan",
            id=convoy,
            operation=OP,
            name={"en": text},
            visibility=visibility.value,
        )
        world.markers.append(Marker(text, org, visibility))
        world.convoys.append(convoy)
    partner = world.organisations[(index + 1) % len(world.organisations)]
    text = f"MARK{index}XSHAREDTO{partner.upper().replace('-', '')}"
    convoy = f"mk-{org}-to-{partner}"
    _run(system, planter, "convoy.plan", id=convoy, operation=OP, name={"en": text})
    _run(system, planter, "convoy.share", id=convoy, shared_with=[partner], reason="joint work")
    world.markers.append(Marker(text, org, Visibility.INTERNAL, (partner,)))
    world.convoys.append(convoy)
    text = f"MARK{index}XBOTTOMLINE"
    position = f"mk-{org}-position"
    _run(
        system,
        planter,
        "position.state",
        id=position,
        operation=OP,
        visibility="shared",
        party="aleppo-factions",
        issue="terms-of-exit",
        stance={"original": "open", "language": "en"},
        bottom_line={"original": text, "language": "en"},
    )
    world.markers.append(Marker(text, org, Visibility.SHARED, part=Visibility.NEGOTIATION))
    world.positions.append(position)


def build(system: Mamar) -> World:
    scenario = runner.load("aleppo-2016")
    runner.run(system, scenario)
    organisations = [o.id for o in scenario.organisations]
    app = create_app(system)
    app.state.live_seconds = 0.6
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    world = World(system, app, client, organisations)
    with system.writing() as conn:
        for org in organisations:
            for role in Role:
                name = account(org, role)
                execute(
                    conn,
                    CreateAccount(id=name, display_name=name, role=role, organisation=org),
                    actor=SYSTEM,
                )
                world.tokens[(org, role)] = create_token(conn, name, scope=Scope.WRITE)[1]
                world.read_tokens[(org, role)] = create_token(conn, name, scope=Scope.READ)[1]
    for index, org in enumerate(organisations):
        plant(world, org, index)
    return world
