"""Builders for the tests of incidents, escalations, notifications and routes.

Referenced entities (parties, convoys, accounts) are made through their own commands,
looked up by name so these tests do not depend on other packages' classes.
"""

from __future__ import annotations

from typing import Any

import pytest

from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Command, command_type
from mamar.domain.time import OccurredAt
from mamar.journal import store
from mamar.journal.envelope import RecordedEvent
from mamar.projections.entities import current
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import account_in, at, open_operation

NOON = "2016-12-14T12:00+02:00"


def run(
    system: Mamar,
    command: str,
    /,
    *,
    actor: Actor = SYSTEM,
    when: str | OccurredAt = NOON,
    **fields: Any,
) -> list[RecordedEvent]:
    """Execute the command registered as ``command`` with ``fields``."""
    occurred = at(when) if isinstance(when, str) else when
    cmd = command_type(command).model_validate(fields)
    return system.execute(cmd, actor=actor, occurred=occurred)


def setup(system: Mamar, *parties: str) -> None:
    """An operation ``op`` with the given parties (armed groups unless the id says otherwise)."""
    open_operation(system)
    for party in parties:
        run(
            system,
            "party.register",
            when="2016-12-12T09:00+02:00",
            id=party,
            operation="op",
            name={"en": party.replace("-", " ").title()},
            party_kind="armed_group",
        )


def liaison(system: Mamar, username: str, party: str) -> Actor:
    """An outside party's liaison officer account (of its own organisation), as an actor."""
    return account_in(system, username, "liaison", f"{party}-liaisons", party=party)


def journal_count(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def refused(
    system: Mamar,
    command: str,
    error: type[DomainError] = DomainError,
    /,
    *,
    field: str | None = None,
    code: str | None = None,
    actor: Actor = SYSTEM,
    **fields: Any,
) -> DomainError:
    """Run a command expected to be refused; check the error and that nothing was appended."""
    before = journal_count(system)
    cmd: Command = command_type(command).model_validate(fields)
    with pytest.raises(error) as caught:
        system.execute(cmd, actor=actor, occurred=at(NOON))
    if field is not None:
        assert caught.value.field == field, caught.value
    if code is not None:
        assert caught.value.code == code, caught.value
    assert journal_count(system) == before
    return caught.value


def state(system: Mamar, kind: str, entity_id: str) -> Any:
    with system.reading() as conn:
        found = current(conn, f"{kind}:{entity_id}")
    assert found is not None
    return found[0]


def types_of(system: Mamar, stream: str) -> list[str]:
    with system.reading() as conn:
        return [e.type for e in store.read_stream(conn, stream)]
