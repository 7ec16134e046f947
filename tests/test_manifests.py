"""Manifests per vehicle: people through the vault, groups, statuses at each stop, counts
derived from manifests, the boarded who have not arrived by name, and the search."""

from __future__ import annotations

import re

import orjson
import pytest
from sqlalchemy import select

from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy, RecordConvoyCounts
from mamar.db.tables import journal, vault_entries, vault_terms
from mamar.domain.errors import DomainError, IllegalTransition, NotFound, NotPermitted
from mamar.domain.model import Actor
from mamar.manifests.commands import ErasePersonal, ListGroup, RecordStatus, RegisterVehicle
from mamar.manifests.counts import manifest_counts
from mamar.reads import people
from mamar.reads.overviews import overview
from mamar.system import Mamar
from tests.helpers import account_in, open_operation

FAMILY = [
    {
        "details": {
            "full_name": "عبد الله محمّد الحلبي",
            "year_of_birth": 1975,
            "origin": "حي الشعار",
        }
    },
    {"details": {"full_name": "فاطمة أحمد", "year_of_birth": 1980, "relation": "زوجة"}},
    {"details": {"full_name": "مصطفى عبدالله الحلبي", "year_of_birth": 2008}},
]


def setup(system: Mamar) -> tuple[Actor, Actor]:
    from mamar.services.commands import SYSTEM

    open_operation(system)
    medic = account_in(system, "sarc-medic", "medical", "sarc")
    system.execute(
        PlanConvoy(id="c1", operation="op", name={"ar": "القافلة الأولى"}, visibility="shared"),
        actor=SYSTEM,
    )
    system.execute(
        RegisterVehicle(id="bus-1", operation="op", convoy="c1", label="حافلة ١"), actor=medic
    )
    other = account_in(system, "icrc-medic", "medical", "icrc")
    return medic, other


def test_a_family_is_listed_through_the_vault_never_in_the_journal(system: Mamar) -> None:
    medic, _ = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    with system.reading() as conn:
        bodies = b"".join(bytes(r.body) for r in conn.execute(select(journal.c.body)))
        assert "الحلبي".encode() not in bodies
        # The year of birth as a value (a hash, an id or a time may hold the digits 1975).
        assert re.search(rb"[^0-9a-fA-F]1975[^0-9a-fA-F:]", bodies) is None
        assert conn.execute(select(vault_entries)).all().__len__() == 3
        terms = [r.term for r in conn.execute(select(vault_terms.c.term))]
        assert terms and all(len(t) == 32 for t in terms)
    with system.writing() as conn:
        _, listed = people.manifest(
            conn, system.vault, viewer=medic, vehicle="bus-1", purpose="test"
        )
    assert [p.entry.number for p in listed] == [1, 2, 3]
    assert {p.entry.group for p in listed} == {1}
    assert (
        listed[0].details is not None and listed[0].details["full_name"] == "عبد الله محمّد الحلبي"
    )
    assert listed[0].entry.status.value == "registered"


def test_statuses_at_each_stop_and_counts_derived_from_manifests(system: Mamar) -> None:
    from mamar.services.commands import SYSTEM

    medic, _ = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    system.execute(RecordConvoyCounts(id="c1", counts={"planned": 40}), actor=SYSTEM)
    system.execute(
        RecordStatus(id="bus-1", people=(1, 2, 3), stop="origin", status="boarded"), actor=medic
    )
    for step in ("preparing", "departed", "arrived"):
        system.execute(ChangeConvoyStatus(id="c1", status=step), actor=SYSTEM)
    system.execute(
        RecordStatus(id="bus-1", people=(1, 3), stop="destination", status="arrived"), actor=medic
    )
    with pytest.raises(IllegalTransition):
        system.execute(
            RecordStatus(id="bus-1", people=(1,), stop="destination", status="registered"),
            actor=medic,
        )
    with pytest.raises(DomainError, match="no stop"):
        system.execute(
            RecordStatus(id="bus-1", people=(2,), stop="aleppo", status="missing"), actor=medic
        )
    with system.writing() as conn:
        seen = people.vehicles(conn, viewer=medic, operation="op")
        counts = manifest_counts(seen)["c1"]
        assert (counts.planned, counts.boarded, counts.arrived) == (3, 3, 2)
        assert counts.not_arrived == [("bus-1", 2)]
        missing = people.named(
            conn,
            system.vault,
            viewer=medic,
            people=[
                (v, e) for v in seen for e in v.entries if ("bus-1", e.number) in counts.not_arrived
            ],
            purpose="test",
        )
        assert [p.details["full_name"] for p in missing if p.details] == ["فاطمة أحمد"]
        # The overview counts from the manifests for who sees them, the counted totals otherwise.
        assert overview(conn, viewer=medic, operation="op")["evacuated"]["planned"] == 3
        assert overview(conn, viewer=SYSTEM, operation="op")["evacuated"]["planned"] == 40
        icrc = Actor("icrc-medic", medic.role, organisation="icrc")
        assert overview(conn, viewer=icrc, operation="op")["evacuated"]["planned"] == 40


def test_another_organisation_sees_no_manifest_and_cannot_change_it(system: Mamar) -> None:
    medic, other = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        system.execute(
            RecordStatus(id="bus-1", people=(1,), stop="origin", status="boarded"), actor=other
        )
    with system.writing() as conn:
        assert people.vehicles(conn, viewer=other, operation="op") == []
        assert people.search(conn, system.vault, viewer=other, operation="op", name="عبدالله") == []
        with pytest.raises(NotFound):
            people.manifest(conn, system.vault, viewer=other, vehicle="bus-1", purpose="test")
    ops = account_in(system, "sarc-ops", "operations", "sarc")
    with pytest.raises(NotPermitted):
        system.execute(ListGroup(id="bus-1", people=FAMILY), actor=ops)  # type: ignore[arg-type]
    with system.writing() as conn, pytest.raises(NotPermitted):
        people.search(conn, system.vault, viewer=ops, operation="op", name="عبدالله")


@pytest.mark.parametrize(
    ("query", "year", "expected"),
    [
        ("عبدالله الحلبى", None, "عبد الله محمّد الحلبي"),
        ("عبد اللّه حلبي", 1976, "عبد الله محمّد الحلبي"),
        ("فاطمه", None, "فاطمة أحمد"),
        ("مصطفي", 2008, "مصطفى عبدالله الحلبي"),
    ],
)
def test_the_name_search_tolerates_spellings_and_is_audited(
    sqlite_system: Mamar, query: str, year: int | None, expected: str
) -> None:
    system = sqlite_system
    medic, _ = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    with system.writing() as conn:
        found = people.search(
            conn, system.vault, viewer=medic, operation="op", name=query, year_of_birth=year
        )
    assert found and found[0].details is not None
    assert found[0].details["full_name"] == expected
    with system.reading() as conn:
        rows = conn.execute(select(journal.c.body).where(journal.c.type == "people.searched"))
        audits = [orjson.loads(bytes(r.body)) for r in rows]
    assert len(audits) == 1
    data = audits[0]["data"]
    assert data["reader"] == "sarc-medic" and data["found"][0].startswith("bus-1#")
    assert query.encode() not in orjson.dumps(audits)


def test_erasing_a_person_shreds_the_record_and_its_search_terms(system: Mamar) -> None:
    medic, _ = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    manager = account_in(system, "sarc-coordinator", "coordinator", "sarc")
    with pytest.raises(NotPermitted):
        system.execute(ErasePersonal(id="bus-1", number=2), actor=medic)
    system.execute(ErasePersonal(id="bus-1", number=2), actor=manager)
    with system.writing() as conn:
        assert people.search(conn, system.vault, viewer=medic, operation="op", name="فاطمة") == []
        _, listed = people.manifest(conn, system.vault, viewer=medic, vehicle="bus-1", purpose="t")
        assert listed[1].details is None and listed[1].entry.erased
        assert listed[0].details is not None
    with pytest.raises(DomainError, match="already erased"):
        system.execute(ErasePersonal(id="bus-1", number=2), actor=manager)


def test_a_new_vault_key_indexes_the_search_terms_again(sqlite_system: Mamar) -> None:
    from mamar.vault.rotate import rotate
    from mamar.vault.store import Vault, generate_key, parse_key

    system = sqlite_system
    medic, _ = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    fresh = Vault(parse_key(generate_key()))
    with system.writing() as conn:
        before = {r.term for r in conn.execute(select(vault_terms.c.term))}
        assert system.vault is not None
        assert rotate(conn, system.vault, fresh) == 3
        after = {r.term for r in conn.execute(select(vault_terms.c.term))}
        assert after and not before & after
        found = people.search(conn, fresh, viewer=medic, operation="op", name="فاطمه")
        assert [p.details["full_name"] for p in found if p.details] == ["فاطمة أحمد"]
