"""The convoy status machine, counts, and the medical compartment of its manifest."""

from __future__ import annotations

from collections import deque

import pytest

from mamar import reads
from mamar.access.viewer import viewer_of
from mamar.convoys.commands import (
    AddManifestEntry,
    ChangeConvoyStatus,
    PlanConvoy,
    RecordConvoyCounts,
)
from mamar.convoys.events import ConvoyStatus
from mamar.convoys.model import TRANSITIONS
from mamar.domain.errors import DomainError, IllegalTransition, NotFound, NotPermitted
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import open_operation

S = ConvoyStatus


def path_to(target: ConvoyStatus) -> list[ConvoyStatus]:
    """The shortest legal sequence of statuses from 'planned' to ``target``."""
    queue: deque[list[ConvoyStatus]] = deque([[S.PLANNED]])
    while queue:
        path = queue.popleft()
        if path[-1] == target:
            return path[1:]
        queue.extend([*path, nxt] for nxt in TRANSITIONS[path[-1]] if nxt not in path)
    raise AssertionError(f"{target} unreachable")


def plan(system: Mamar, convoy: str, **extra: object) -> None:
    system.execute(
        PlanConvoy(id=convoy, operation="op", name={"en": convoy}, **extra),  # type: ignore[arg-type]
        actor=SYSTEM,
    )


def test_every_transition_is_allowed_or_refused_as_the_table_says(sqlite_system: Mamar) -> None:
    open_operation(sqlite_system)
    for source in S:
        for target in S:
            convoy = f"{source.value}-{target.value}".replace("_", "-")
            plan(sqlite_system, convoy)
            for step in path_to(source):
                sqlite_system.execute(ChangeConvoyStatus(id=convoy, status=step), actor=SYSTEM)
            with sqlite_system.reading() as conn:
                before = store.count(conn)
            if target in TRANSITIONS[source]:
                sqlite_system.execute(ChangeConvoyStatus(id=convoy, status=target), actor=SYSTEM)
            else:
                with pytest.raises(IllegalTransition) as refused:
                    sqlite_system.execute(
                        ChangeConvoyStatus(id=convoy, status=target), actor=SYSTEM
                    )
                assert f"'{source.value}' cannot become '{target.value}'" in str(refused.value)
                with sqlite_system.reading() as conn:
                    assert store.count(conn) == before


def test_an_arrived_convoy_cannot_be_turned_back(system: Mamar) -> None:
    open_operation(system)
    plan(system, "c1")
    for step in ("preparing", "departed", "arrived"):
        system.execute(ChangeConvoyStatus(id="c1", status=step), actor=SYSTEM)
    with pytest.raises(IllegalTransition, match="final state"):
        system.execute(ChangeConvoyStatus(id="c1", status="turned_back"), actor=SYSTEM)


def test_counts_cannot_claim_more_arrivals_than_boarded(system: Mamar) -> None:
    open_operation(system)
    plan(system, "c1")
    for step in ("preparing", "departed", "arrived"):
        system.execute(ChangeConvoyStatus(id="c1", status=step), actor=SYSTEM)
    system.execute(RecordConvoyCounts(id="c1", counts={"boarded": 30}), actor=SYSTEM)
    with pytest.raises(DomainError, match=r"arrived \(31\) cannot exceed boarded \(30\)"):
        system.execute(RecordConvoyCounts(id="c1", counts={"arrived": 31}), actor=SYSTEM)


def test_references_to_missing_entities_name_the_field(system: Mamar) -> None:
    open_operation(system)
    with pytest.raises(NotFound) as caught:
        plan(system, "c1", route="no-such-route")
    assert caught.value.field == "route"
    with pytest.raises(NotFound) as caught:
        system.execute(PlanConvoy(id="c2", operation="nowhere", name={"en": "x"}), actor=SYSTEM)
    assert caught.value.field == "operation"


def test_manifest_entries_are_medical_and_hidden_from_other_roles(system: Mamar) -> None:
    from mamar.accounts.model import CreateAccount

    open_operation(system)
    plan(system, "c1")
    system.execute(CreateAccount(id="medic", display_name="Medic", role=Role.MEDICAL), actor=SYSTEM)
    medic = system.actor("medic")
    operations = Actor(username="ops", role=Role.OPERATIONS)
    with pytest.raises(NotPermitted):
        system.execute(AddManifestEntry(id="c1", person="p1"), actor=operations)
    with pytest.raises(NotFound):  # the person does not exist
        system.execute(AddManifestEntry(id="c1", person="p1"), actor=medic)
    with system.reading() as conn:
        state = reads.get_state(conn, viewer=SYSTEM, kind="convoy", entity_id="c1")
    assert "manifest" in viewer_of(Actor(username="x", role=Role.MEDICAL)).redact(state)
    assert "manifest" not in viewer_of(Actor(username="x", role=Role.OPERATIONS)).redact(state)
    assert "manifest" not in viewer_of(Actor(username="x", role=Role.LIAISON)).redact(state)


def test_liaisons_see_only_shared_convoys(system: Mamar) -> None:
    open_operation(system)
    plan(system, "internal-one")
    system.execute(
        PlanConvoy(id="shared-one", operation="op", name={"en": "s"}, visibility="shared"),
        actor=SYSTEM,
    )
    # A liaison officer of another organisation.
    liaison = Actor(username="liaison", role=Role.LIAISON, organisation="guarantor")
    with system.reading() as conn:
        seen = reads.list_entities(conn, viewer=liaison, operation="op", kind="convoy")
        with pytest.raises(NotFound):
            reads.get_entity(conn, viewer=liaison, kind="convoy", entity_id="internal-one")
    assert [c["id"] for c in seen] == ["shared-one"]
