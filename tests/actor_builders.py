"""Builders for the tests of parties, persons, mandates, channels, contacts, notes and tasks."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from mamar.db.tables import vault_entries
from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Command
from mamar.journal import store
from mamar.parties.commands import RegisterParty
from mamar.persons.commands import RegisterPerson
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at


def party(system: Mamar, party_id: str, kind: str = "armed_group", **fields: Any) -> None:
    system.execute(
        RegisterParty(
            id=party_id,
            operation="op",
            name=fields.pop("name", {"en": party_id.replace("-", " ").title()}),
            party_kind=kind,
            **fields,
        ),
        actor=SYSTEM,
        occurred=at("2016-12-12T09:00+02:00"),
    )


def person(system: Mamar, person_id: str, **fields: Any) -> None:
    system.execute(
        RegisterPerson(id=person_id, operation="op", **fields),
        actor=SYSTEM,
        occurred=at("2016-12-12T09:05+02:00"),
    )


def who(kind: str, entity_id: str) -> dict[str, str]:
    return {"kind": kind, "id": entity_id}


def journal_count(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def vault_count(system: Mamar) -> int:
    with system.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(vault_entries)).scalar_one())


def refused(
    system: Mamar,
    cmd: Command,
    error: type[DomainError],
    *,
    field: str | None = None,
    code: str | None = None,
    actor: Actor = SYSTEM,
) -> DomainError:
    """Run ``cmd``, expect ``error`` naming ``field``, and check the journal did not grow."""
    before = journal_count(system)
    with pytest.raises(error) as caught:
        system.execute(cmd, actor=actor, occurred=at("2016-12-13T12:00+02:00"))
    if field is not None:
        assert caught.value.field == field
    if code is not None:
        assert caught.value.code == code
    assert journal_count(system) == before
    return caught.value


def state(system: Mamar, kind: str, entity_id: str) -> Any:
    from mamar.projections.entities import current

    with system.reading() as conn:
        found = current(conn, f"{kind}:{entity_id}")
    assert found is not None
    return found[0]


def types_of(system: Mamar, stream: str) -> list[str]:
    with system.reading() as conn:
        return [e.type for e in store.read_stream(conn, stream)]
