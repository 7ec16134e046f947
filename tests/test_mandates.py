"""Mandates: who may negotiate for whom, on what, until when."""

from __future__ import annotations

import pytest

from mamar.domain.errors import DomainError, IllegalTransition, NotFound
from mamar.mandates.commands import ExpireMandate, GrantMandate, RevokeMandate
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.actor_builders import party, person, refused, state, types_of, who
from tests.helpers import at, open_operation


def setup(system: Mamar) -> None:
    open_operation(system)
    party(system, "faction-a")
    party(system, "faction-b")
    person(system, "negotiator", role_title={"en": "The factions' negotiator"})


def grant(system: Mamar, mandate_id: str = "m1", **fields: object) -> None:
    values: dict[str, object] = {
        "granted_by": ("faction-a", "faction-b"),
        "to": who("person", "negotiator"),
        "scope": "Negotiate the fate of the city",
        **fields,
    }
    system.execute(
        GrantMandate(id=mandate_id, operation="op", **values),  # type: ignore[arg-type]
        actor=SYSTEM,
        occurred=at("2016-12-12T10:00+02:00"),
    )


def test_mandate_is_granted_by_parties_to_a_person(system: Mamar) -> None:
    setup(system)
    grant(system, valid_from="2016-12-12T10:00+02:00", valid_until="2016-12-31T00:00+02:00")
    mandate = state(system, "mandate", "m1")
    assert mandate.granted_by == ("faction-a", "faction-b")
    assert (mandate.to.kind, mandate.to.id, mandate.status) == ("person", "negotiator", "active")
    assert mandate.valid_until.isoformat() == "2016-12-31T00:00:00+02:00"
    assert types_of(system, "mandate:m1") == ["mandate.granted"]


def test_revoke_ends_a_mandate_once(system: Mamar) -> None:
    setup(system)
    grant(system)
    system.execute(
        RevokeMandate(id="m1", reason="the factions chose another"),
        actor=SYSTEM,
        occurred=at("2016-12-14T10:00+02:00"),
    )
    mandate = state(system, "mandate", "m1")
    assert mandate.status == "revoked" and mandate.revoked_reason
    assert mandate.revoked_reason.original == "the factions chose another"
    assert mandate.ended_at == "2016-12-14T10:00:00+02:00"
    error = refused(system, RevokeMandate(id="m1"), IllegalTransition, field="status")
    assert "final state" in error.message
    refused(system, ExpireMandate(id="m1"), IllegalTransition, field="status")


def test_expiry_only_after_the_term(system: Mamar) -> None:
    setup(system)
    grant(system, valid_until="2016-12-20T00:00+02:00")
    refused(system, ExpireMandate(id="m1"), DomainError, code="not_yet_expired")
    system.execute(ExpireMandate(id="m1"), actor=SYSTEM, occurred=at("2016-12-20T00:00+02:00"))
    assert state(system, "mandate", "m1").status == "expired"
    refused(system, RevokeMandate(id="m1"), IllegalTransition)


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"granted_by": ()}, DomainError, "granted_by"),
        ({"granted_by": ("faction-a", "ghost")}, NotFound, "granted_by"),
        ({"granted_by": ("faction-a", "faction-a")}, DomainError, "granted_by"),
        ({"to": {"kind": "party", "id": "negotiator"}}, NotFound, "to"),
        ({"issues": ("no-such-issue",)}, NotFound, "issues"),
        (
            {"valid_from": "2016-12-13T10:00+02:00", "valid_until": "2016-12-13T09:00+02:00"},
            DomainError,
            "valid_until",
        ),
    ],
)
def test_bad_grants_are_refused_naming_the_field(
    system: Mamar, fields: dict[str, object], error: type[DomainError], field: str
) -> None:
    setup(system)
    values: dict[str, object] = {
        "granted_by": ("faction-a",),
        "to": who("person", "negotiator"),
        "scope": "Negotiate",
        **fields,
    }
    refused(system, GrantMandate(id="m1", operation="op", **values), error, field=field)  # type: ignore[arg-type]


def test_times_without_offset_are_refused() -> None:
    with pytest.raises(ValueError, match="offset"):
        GrantMandate(
            id="m1",
            operation="op",
            granted_by=("a",),
            to={"kind": "party", "id": "b"},  # type: ignore[arg-type]
            scope="x",
            valid_until="2016-12-31T00:00",  # type: ignore[arg-type]
        )
