"""The services, not callers, put personal data into the vault."""

from __future__ import annotations

import pytest

from mamar.domain.errors import DomainError
from mamar.journal import store
from mamar.persons.commands import RegisterPerson
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import open_operation


def test_callers_cannot_supply_a_vault_reference(system: Mamar) -> None:
    open_operation(system)
    with system.reading() as conn:
        before = store.count(conn)
    with pytest.raises(DomainError) as refused:
        system.execute(
            RegisterPerson(id="p1", operation="op", vault_ref="someone-elses-record"),
            actor=SYSTEM,
        )
    assert refused.value.field == "vault_ref"
    with system.reading() as conn:
        assert store.count(conn) == before


def test_registered_person_carries_only_the_reference(system: Mamar) -> None:
    open_operation(system)
    system.execute(
        RegisterPerson(
            id="p1", operation="op", personal={"full_name": "Test Person", "phones": ["+963 900"]}
        ),
        actor=SYSTEM,
    )
    with system.reading() as conn:
        event = store.read_stream(conn, "person:p1")[0]
        assert system.vault is not None
        record = system.vault.get(conn, event.data["vault_ref"])
    assert b"Test Person" not in event.body and b"+963" not in event.body
    assert record is not None and record["full_name"] == "Test Person"


def test_text_checks_still_refuse_hidden_characters_after_the_fast_path() -> None:
    from pydantic import TypeAdapter, ValidationError

    from mamar.domain.text import FreeText, Name

    name = TypeAdapter(Name)
    free = TypeAdapter(FreeText)
    assert name.validate_python("  الراموسة ") == "الراموسة"
    assert free.validate_python("two\nlines") == "two\nlines"
    for bad in ("a\u202eb", "x\u200by", "bell\x07", "\ufeffbom"):
        with pytest.raises(ValidationError):
            name.validate_python(bad)
    with pytest.raises(ValidationError, match="control character"):
        name.validate_python("two\nlines")
    # Decomposed Arabic/Latin forms are stored composed (NFC).
    assert name.validate_python("e\u0301") == "\u00e9"
