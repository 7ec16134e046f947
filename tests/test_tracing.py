"""Family links and protection: children alone flagged, a person reported missing by a
relative, possible matches across manifests, reunification, retention with journalled
erasure."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from sqlalchemy import select

from mamar.db.tables import journal, vault_entries, vault_terms
from mamar.domain.errors import DomainError, NotFound
from mamar.domain.time import now_utc
from mamar.manifests.commands import ListGroup
from mamar.operations.model import SetRetention
from mamar.reads import people
from mamar.services.commands import SYSTEM
from mamar.services.retention import erase_expired
from mamar.system import Mamar
from mamar.tracing.commands import RecordReunification, ReportMissing
from tests.helpers import account_in
from tests.test_manifests import FAMILY, setup

CHILD_ALONE = [
    {"details": {"full_name": "يوسف حسن", "year_of_birth": 2010}, "child": "unaccompanied"}
]


def report(system: Mamar, actor: object) -> None:
    system.execute(
        ReportMissing(
            id="t1",
            operation="op",
            sought={"details": {"full_name": "يوسف حسن", "year_of_birth": 2011}},
            relative={
                "details": {
                    "full_name": "حسن يوسف",
                    "relation": "أب",
                    "phones": ["+963 944 731 862"],
                }
            },
            child=True,
        ),
        actor=actor,  # type: ignore[arg-type]
    )


def test_a_relative_reports_a_child_missing_and_the_child_is_found_and_reunified(
    system: Mamar,
) -> None:
    medic, other = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    system.execute(
        ListGroup(id="bus-1", group_kind="alone", people=CHILD_ALONE),  # type: ignore[arg-type]
        actor=medic,
    )
    report(system, medic)
    with system.reading() as conn:
        bodies = b"".join(bytes(r.body) for r in conn.execute(select(journal.c.body)))
    assert "يوسف".encode() not in bodies and b"731 862" not in bodies
    with system.writing() as conn:
        _, sought, relative, found = people.tracing_matches(
            conn, system.vault, viewer=medic, tracing="t1", purpose="test"
        )
        assert (
            sought is not None and relative is not None and relative["relation"]["original"] == "أب"
        )
        assert found[0].details is not None and found[0].details["full_name"] == "يوسف حسن"
        assert found[0].entry.child is not None and found[0].entry.child.value == "unaccompanied"
        with pytest.raises(NotFound):
            people.tracing_request(conn, system.vault, viewer=other, tracing="t1", purpose="t")
    system.execute(
        RecordReunification(id="t1", vehicle="bus-1", number=found[0].entry.number), actor=medic
    )
    with pytest.raises(DomainError, match="already reunified"):
        system.execute(RecordReunification(id="t1", vehicle="bus-1", number=1), actor=medic)
    with system.reading() as conn:
        types = [r.type for r in conn.execute(select(journal.c.type))]
    assert "tracing.reunified" in types and "people.searched" in types and "people.read" in types


def test_retention_erases_personal_data_automatically_and_journals_it(system: Mamar) -> None:
    medic, _ = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    report(system, medic)
    assert erase_expired(system) == 0  # no retention set: kept
    system.execute(SetRetention(id="op", days=30), actor=SYSTEM)
    assert erase_expired(system, now_utc() + timedelta(days=29)) == 0
    assert erase_expired(system, now_utc() + timedelta(days=31)) == 4  # three people, one request
    assert erase_expired(system, now_utc() + timedelta(days=32)) == 0
    with system.reading() as conn:
        assert all(r.ciphertext is None for r in conn.execute(select(vault_entries)))
        assert conn.execute(select(vault_terms)).first() is None
        erasures = [
            orjson.loads(bytes(r.body))
            for r in conn.execute(
                select(journal.c.body).where(
                    journal.c.type.in_(["vehicle.person_erased", "tracing.erased"])
                )
            )
        ]
    assert len(erasures) == 5  # a tracing request holds two records
    assert {e["data"]["reason"] for e in erasures} == {"retention"}
    with system.writing() as conn:
        _, listed = people.manifest(conn, system.vault, viewer=medic, vehicle="bus-1", purpose="t")
    assert all(p.details is None and p.entry.erased for p in listed)


def test_no_other_organisation_exports_a_manifest_and_every_read_is_journalled(
    system: Mamar,
) -> None:
    from mamar import reads

    medic, other = setup(system)
    liaison = account_in(system, "liaison", "liaison", "russian-command")
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    report(system, medic)
    mine_types = {"vehicle.registered", "vehicle.group_listed", "tracing.reported"}
    with system.reading() as conn:
        for outsider in (other, liaison):
            exported = [e.exported() for e in reads.visible_events(conn, viewer=outsider)]
            assert not mine_types & {e["type"] for e in exported}
            assert "bus-1" not in orjson.dumps(exported).decode()
        own = [e.exported() for e in reads.visible_events(conn, viewer=medic)]
    assert mine_types <= {e["type"] for e in own}
    assert "الحلبي".encode() not in orjson.dumps(own)  # names are in the vault, not the journal
    with system.writing() as conn:
        people.manifest(conn, system.vault, viewer=medic, vehicle="bus-1", purpose="test")
        people.tracing_request(conn, system.vault, viewer=medic, tracing="t1", purpose="test")
        people.search(conn, system.vault, viewer=medic, operation="op", name="فاطمة")
    with system.reading() as conn:
        audits = [
            orjson.loads(bytes(r.body))["data"]
            for r in conn.execute(
                select(journal.c.body).where(journal.c.type.in_(["people.read", "people.searched"]))
            )
        ]
    assert [a["reader"] for a in audits] == ["sarc-medic"] * 3
    assert audits[0]["subjects"] == ["bus-1#1", "bus-1#2", "bus-1#3"]
    assert audits[1]["subjects"] == ["tracing:t1"]
    assert audits[2]["by"] == ["name"] and audits[2]["found"] == ["bus-1#2"]
