"""Small builders shared by tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from mamar.domain.model import Actor
from mamar.domain.time import OccurredAt, Precision
from mamar.operations.model import OpenOperation
from mamar.services.commands import SYSTEM
from mamar.system import Mamar


def at(
    text: str, precision: Precision = Precision.MINUTE, phrase: str | dict[str, Any] | None = None
) -> OccurredAt:
    """A moment; ``phrase``, the words said for it, as typed (plain words are in Arabic, as
    any original given without its language) or ``{original, language, translations}``."""
    return OccurredAt(at=datetime.fromisoformat(text), precision=precision, phrase=phrase)


def open_operation(system: Mamar, operation: str = "op") -> str:
    system.execute(
        OpenOperation(id=operation, name={"en": "Test operation"}, timezone="Asia/Damascus"),
        actor=SYSTEM,
        occurred=at("2016-12-12T08:00+02:00"),
    )
    return operation


def organisation(system: Mamar, org_id: str, kind: str = "guarantor") -> str:
    """Register the organisation ``org_id`` (once)."""
    from mamar.organisations.model import RegisterOrganisation
    from mamar.projections.entities import current

    with system.reading() as conn:
        exists = current(conn, f"organisation:{org_id}") is not None
    if not exists:
        system.execute(
            RegisterOrganisation(id=org_id, name={"en": org_id}, organisation_kind=kind),
            actor=SYSTEM,
        )
    return org_id


def account_in(
    system: Mamar, username: str, role: str, org_id: str, party: str | None = None
) -> Actor:
    """An account of organisation ``org_id`` (registered if needed), as an actor."""
    from mamar.accounts.model import CreateAccount

    organisation(system, org_id)
    system.execute(
        CreateAccount(
            id=username, display_name=username, role=role, organisation=org_id, party=party
        ),
        actor=SYSTEM,
    )
    return system.actor(username)


def aleppo_database(path: Path) -> str:
    """The URL of a new SQLite file at ``path`` holding the aleppo-2016 scenario."""
    from mamar.scenarios import runner
    from tests.conftest import make_system

    url = f"sqlite:///{path}"
    system = make_system(url)
    runner.run(system, runner.load("aleppo-2016"))
    system.dispose()
    return url
