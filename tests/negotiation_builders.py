"""Builders for the tests of negotiation, agreements, ceasefires and guarantees."""

from __future__ import annotations

from typing import Any

import pytest

from mamar.domain.errors import DomainError
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, Command, command_type
from mamar.domain.visibility import INSTALLATION, Role
from mamar.journal import store
from mamar.journal.envelope import RecordedEvent
from mamar.projections.entities import current
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at, open_operation

WHEN = "2016-12-13T12:00+02:00"

#: The parties of the tests, by kind (users' data: any names would do).
PARTIES = {
    "factions": "armed_group",
    "government-forces": "state_forces",
    "russia": "guarantor_state",
    "turkey": "guarantor_state",
    "sarc": "humanitarian_organisation",
    "icrc": "humanitarian_organisation",
}


def as_role(role: Role, party: str | None = None) -> Actor:
    """An actor of ``role``; a liaison officer belongs to its own party's organisation."""
    organisation = f"{party}-liaisons" if role is Role.LIAISON and party else INSTALLATION
    return Actor(
        username=f"{role.value}-{party or 'own'}", role=role, party=party, organisation=organisation
    )


def run(
    system: Mamar, cmd: Command, *, actor: Actor = SYSTEM, when: str = WHEN
) -> list[RecordedEvent]:
    return system.execute(cmd, actor=actor, occurred=at(when))


def journal_count(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def refused(
    system: Mamar,
    cmd: Command,
    error: type[DomainError] = DomainError,
    *,
    code: str | None = None,
    field: str | None = None,
    actor: Actor = SYSTEM,
) -> DomainError:
    """Run ``cmd`` expecting ``error``; check the journal did not grow."""
    before = journal_count(system)
    with pytest.raises(error) as caught:
        run(system, cmd, actor=actor)
    if code is not None:
        assert caught.value.code == code, caught.value
    if field is not None:
        assert caught.value.field == field, caught.value
    assert journal_count(system) == before
    return caught.value


def state(system: Mamar, kind: str, entity_id: str) -> Any:
    with system.reading() as conn:
        found = current(conn, stream_name(kind, entity_id))
    assert found is not None, f"{kind} {entity_id} not found"
    return found[0]


def stream(system: Mamar, kind: str, entity_id: str) -> list[RecordedEvent]:
    with system.reading() as conn:
        return store.read_stream(conn, stream_name(kind, entity_id))


def command(command_name: str, /, **fields: Any) -> Command:
    """A command built by its stable name, as the API and scenarios build them."""
    return command_type(command_name).model_validate(fields)


def operation_with_parties(system: Mamar) -> None:
    open_operation(system)
    for party_id, kind in PARTIES.items():
        run(
            system,
            command(
                "party.register",
                id=party_id,
                operation="op",
                name={"en": party_id.replace("-", " ").title()},
                party_kind=kind,
            ),
            when="2016-12-12T09:00+02:00",
        )


def incident(system: Mamar, incident_id: str, when: str = "2016-12-14T00:30+02:00") -> None:
    run(
        system,
        command(
            "incident.report",
            id=incident_id,
            operation="op",
            event_type="explosions_remote_violence",
            description={"original": "Shelling resumed after midnight", "language": "en"},
            source={"text": "own team on the ground", "kind": "own_team"},
        ),
        when=when,
    )


def issue(system: Mamar, issue_id: str = "exit") -> None:
    run(
        system,
        command("issue.raise", id=issue_id, operation="op", title={"en": "Exit of the besieged"}),
    )
