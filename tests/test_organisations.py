"""Organisations own their records: who sees what, who shares, who administers whom."""

from __future__ import annotations

from typing import Any

import pytest

from mamar import reads
from mamar.access.viewer import viewer_of
from mamar.accounts.model import CreateAccount, DisableAccount
from mamar.domain.errors import DomainError, NotFound, NotPermitted
from mamar.domain.model import Actor, command_type
from mamar.domain.visibility import INSTALLATION, Role, Visibility
from mamar.journal import store
from mamar.journal.envelope import PendingEvent
from mamar.journal.registry import EventData
from mamar.projections.entities import rebuild
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import account_in, at, open_operation, organisation


def run(system: Mamar, actor: Actor, command: str, **fields: Any) -> None:
    system.execute(
        command_type(command).model_validate(fields),
        actor=actor,
        occurred=at("2016-12-13T10:00+02:00"),
    )


def seen_ids(system: Mamar, viewer: Actor, kind: str = "convoy") -> list[str]:
    with system.reading() as conn:
        return [
            e["id"] for e in reads.list_entities(conn, viewer=viewer, operation="op", kind=kind)
        ]


@pytest.fixture
def two(system: Mamar) -> dict[str, Actor]:
    """Two organisations of one operation, each with a few roles."""
    open_operation(system)
    actors = {
        "a-ops": account_in(system, "a-ops", "operations", "org-a"),
        "a-coord": account_in(system, "a-coord", "coordinator", "org-a"),
        "a-medic": account_in(system, "a-medic", "medical", "org-a"),
        "a-admin": account_in(system, "a-admin", "admin", "org-a"),
        "b-ops": account_in(system, "b-ops", "operations", "org-b"),
        "b-medic": account_in(system, "b-medic", "medical", "org-b"),
        "b-admin": account_in(system, "b-admin", "admin", "org-b"),
        "c-liaison": account_in(system, "c-liaison", "liaison", "org-c"),
    }
    return actors


def plan(system: Mamar, actor: Actor, convoy: str, **extra: Any) -> None:
    run(system, actor, "convoy.plan", id=convoy, operation="op", name={"en": convoy}, **extra)


def test_an_internal_record_is_its_organisations_only(system: Mamar, two: dict[str, Actor]) -> None:
    plan(system, two["a-ops"], "a-internal")
    assert seen_ids(system, two["a-coord"]) == ["a-internal"]
    assert seen_ids(system, two["a-medic"]) == ["a-internal"]
    for outsider in ("b-ops", "b-admin", "c-liaison"):
        assert seen_ids(system, two[outsider]) == [], outsider
        with system.reading() as conn, pytest.raises(NotFound):
            reads.get_entity(conn, viewer=two[outsider], kind="convoy", entity_id="a-internal")
    # Nor can an outsider change it: as if it did not exist.
    with pytest.raises(NotFound):
        run(system, two["b-ops"], "convoy.change_status", id="a-internal", status="preparing")


def test_the_record_is_owned_by_the_recording_organisation(
    system: Mamar, two: dict[str, Actor]
) -> None:
    plan(system, two["b-ops"], "b-convoy", visibility="shared")
    with system.reading() as conn:
        state = reads.get_state(conn, viewer=two["a-ops"], kind="convoy", entity_id="b-convoy")
    assert state.owner == "org-b"
    assert seen_ids(system, two["c-liaison"]) == ["b-convoy"]


def test_sharing_is_explicit_journalled_and_can_be_withdrawn(
    system: Mamar, two: dict[str, Actor]
) -> None:
    plan(system, two["a-ops"], "a-convoy")
    run(system, two["a-ops"], "convoy.share", id="a-convoy", shared_with=["org-b"], reason="joint")
    assert seen_ids(system, two["b-ops"]) == ["a-convoy"]
    assert seen_ids(system, two["c-liaison"]) == []
    with system.reading() as conn:
        as_b = reads.get_entity(conn, viewer=two["b-ops"], kind="convoy", entity_id="a-convoy")
        as_a = reads.get_entity(conn, viewer=two["a-ops"], kind="convoy", entity_id="a-convoy")
        types = [
            e.type for e in reads.timeline(conn, viewer=two["b-ops"], entity="convoy:a-convoy")
        ]
    assert "shared_with" not in as_b  # the share list is the owner's business
    assert as_a["shared_with"] == ["org-b"]
    assert types == ["convoy.planned", "access.changed"]
    # Only the owner decides who sees its record.
    with pytest.raises(NotPermitted):
        run(system, two["b-ops"], "convoy.share", id="a-convoy", shared_with=["org-b", "org-c"])
    run(system, two["a-ops"], "convoy.share", id="a-convoy", shared_with=[])
    assert seen_ids(system, two["b-ops"]) == []
    with system.reading() as conn, pytest.raises(NotFound):
        # Withdrawn means withdrawn from its past too.
        reads.get_state(
            conn,
            viewer=two["b-ops"],
            kind="convoy",
            entity_id="a-convoy",
            at_utc="2016-12-13T09:00:00.000000Z",
        )
    with pytest.raises(DomainError) as unchanged:
        run(system, two["a-ops"], "convoy.share", id="a-convoy", shared_with=[])
    assert unchanged.value.code == "unchanged"
    with pytest.raises(NotFound):
        run(system, two["a-ops"], "convoy.share", id="a-convoy", shared_with=["no-such-org"])


def test_medical_is_a_compartment_inside_the_owner_and_its_share_list(
    system: Mamar, two: dict[str, Actor]
) -> None:
    plan(system, two["a-medic"], "a-medical", visibility="medical")
    assert seen_ids(system, two["a-medic"]) == ["a-medical"]
    assert seen_ids(system, two["a-ops"]) == []
    assert seen_ids(system, two["b-medic"]) == []
    run(system, two["a-medic"], "convoy.share", id="a-medical", shared_with=["org-b"])
    assert seen_ids(system, two["b-medic"]) == ["a-medical"]
    assert seen_ids(system, two["b-ops"]) == []


def test_an_administrator_administers_their_own_organisation(
    system: Mamar, two: dict[str, Actor]
) -> None:
    with pytest.raises(NotPermitted):
        system.execute(
            CreateAccount(id="intruder", display_name="I", role=Role.ADMIN, organisation="org-b"),
            actor=two["a-admin"],
        )
    # Another organisation's account is not even there for them.
    with pytest.raises(NotFound):
        system.execute(DisableAccount(id="b-ops"), actor=two["a-admin"])
    system.execute(
        CreateAccount(id="a-new", display_name="New", role=Role.OPERATIONS), actor=two["a-admin"]
    )
    assert system.actor("a-new").organisation == "org-a"
    # The installation's administrators administer every organisation's accounts...
    system.execute(DisableAccount(id="b-ops", reason="left"), actor=SYSTEM)
    with system.reading() as conn:
        names = [
            a["id"]
            for a in reads.list_entities(conn, viewer=SYSTEM, operation=None, kind="account")
        ]
        own = [
            a["id"]
            for a in reads.list_entities(
                conn, viewer=two["a-admin"], operation=None, kind="account"
            )
        ]
    assert {"a-ops", "b-ops", "c-liaison"} <= set(names)
    assert set(own) == {"a-ops", "a-coord", "a-medic", "a-admin", "a-new"}
    # ... but not their records.
    plan(system, two["a-ops"], "a-internal")
    assert seen_ids(system, SYSTEM) == []
    # Only they register organisations.
    with pytest.raises(NotPermitted):
        run(
            system,
            two["a-admin"],
            "organisation.register",
            id="org-z",
            name={"en": "Z"},
            organisation_kind="other",
        )


def test_a_taken_id_is_refused_alike_whether_or_not_the_caller_sees_it(
    system: Mamar, two: dict[str, Actor]
) -> None:
    plan(system, two["a-ops"], "hidden")
    plan(system, two["b-ops"], "visible")
    refusals = []
    for convoy in ("hidden", "visible"):
        with pytest.raises(DomainError) as refused:
            plan(system, two["b-ops"], convoy)
        error = refused.value
        refusals.append((error.code, error.field, error.message.replace(convoy, "")))
    assert refusals[0] == refusals[1]


def test_a_bottom_line_changes_nothing_others_in_the_organisation_observe(
    system: Mamar, two: dict[str, Actor]
) -> None:
    negotiator = account_in(system, "a-neg", "negotiator", "org-a")
    run(
        system,
        negotiator,
        "party.register",
        id="p",
        operation="op",
        name={"en": "P"},
        party_kind="armed_group",
    )
    run(system, negotiator, "issue.raise", id="i", operation="op", title={"en": "I"})
    run(
        system,
        negotiator,
        "position.state",
        id="pos",
        operation="op",
        party="p",
        issue="i",
        stance="open",
    )
    with system.reading() as conn:
        before = reads.get_entity(conn, viewer=two["a-ops"], kind="position", entity_id="pos")
    system.execute(
        command_type("position.revise").model_validate({"id": "pos", "bottom_line": "SECRET"}),
        actor=negotiator,
        occurred=at("2016-12-13T12:00+02:00"),
    )
    with system.reading() as conn:
        after = reads.get_entity(conn, viewer=two["a-ops"], kind="position", entity_id="pos")
        mine = reads.get_entity(conn, viewer=negotiator, kind="position", entity_id="pos")
        types = [e.type for e in reads.timeline(conn, viewer=two["a-ops"], entity="position:pos")]
    assert after == before
    assert mine["bottom_line"]["original"] == "SECRET" and mine["updated_at"] > before["updated_at"]
    assert types == ["position.stated"]


class _OldAccountCreated(EventData):
    """``account.created`` as it was written before organisations (schema 1)."""

    type_name = "account.created"
    schema_version = 1

    display_name: str
    role: Role
    party: str | None = None


def test_journals_from_before_organisations_replay_into_the_installation(
    system: Mamar,
) -> None:
    open_operation(system)
    with system.writing() as conn:
        store.append(
            conn,
            [
                PendingEvent(
                    stream="account:old-hand",
                    version=1,
                    data=_OldAccountCreated(display_name="Old hand", role=Role.OPERATIONS),
                    occurred=at("2016-12-12T09:00+02:00"),
                    actor="system",
                    visibility=Visibility.INTERNAL,
                )
            ],
        )
        rebuild(conn)
    old = system.actor("old-hand")
    assert old.organisation == INSTALLATION
    plan(system, old, "old-convoy")
    with system.reading() as conn:
        state = reads.get_state(conn, viewer=old, kind="convoy", entity_id="old-convoy")
    assert state.owner == INSTALLATION
    assert viewer_of(SYSTEM).sees(state)


def test_organisation_names_are_readable_by_all(system: Mamar, two: dict[str, Actor]) -> None:
    organisation(system, "org-d")
    with system.reading() as conn:
        names = {
            o["id"]
            for o in reads.list_entities(
                conn, viewer=two["c-liaison"], operation=None, kind="organisation"
            )
        }
    assert {"org-a", "org-b", "org-c", "org-d"} <= names
