"""The journal's contract, run on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib

import orjson
import pytest
import rfc8785
from sqlalchemy import select

from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy
from mamar.db.tables import journal
from mamar.domain.errors import AlreadyExists, Conflict, IllegalTransition
from mamar.domain.time import Precision
from mamar.domain.visibility import Visibility
from mamar.journal import store
from mamar.journal.canonical import GENESIS_HASH
from mamar.journal.envelope import PendingEvent
from mamar.journal.registry import EventData, decode, event_type, upcaster
from mamar.journal.verify import verify
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at, open_operation


def plan(system: Mamar, convoy: str = "c1") -> None:
    system.execute(
        PlanConvoy(id=convoy, operation="op", name={"en": "First wounded"}),
        actor=SYSTEM,
        occurred=at("2016-12-13T20:00+02:00"),
    )


def test_body_is_stored_as_rfc8785_canonical_bytes_and_chained(system: Mamar) -> None:
    open_operation(system)
    plan(system)
    with system.reading() as conn:
        events = list(store.read_all(conn))
    assert [e.position for e in events] == [1, 2]
    prev = GENESIS_HASH
    for event in events:
        assert event.body == rfc8785.dumps(orjson.loads(event.body))
        assert event.prev_hash == prev
        assert event.hash == hashlib.sha256(prev + event.body).digest()
        prev = event.hash


def test_event_records_time_with_offset_precision_phrase_actor_and_visibility(
    system: Mamar,
) -> None:
    open_operation(system)
    system.execute(
        PlanConvoy(id="c1", operation="op", name={"ar": "الدفعة الأولى"}),
        actor=SYSTEM,
        occurred=at(
            "2016-12-13T17:30+02:00",
            Precision.APPROXIMATE,
            {
                "original": "بعد المغرب",
                "language": "ar",
                "translations": [{"text": "after sunset", "language": "en"}],
            },
        ),
    )
    with system.reading() as conn:
        event = store.read_stream(conn, "convoy:c1")[0]
    assert event.occurred_at == "2016-12-13T17:30:00+02:00"
    assert event.occurred_utc == "2016-12-13T15:30:00.000000Z"
    assert event.precision == "approximate"
    # The words keep their language and translation, in the hashed body (the translator is
    # the recording account's organisation, set by the server).
    assert event.phrase == {
        "original": "بعد المغرب",
        "language": "ar",
        "translations": [
            {"text": "after sunset", "language": "en", "translated_by": "installation", "at": None}
        ],
    }
    assert orjson.loads(event.body)["phrase"] == event.phrase
    assert event.actor == "system" and event.visibility == "internal"
    assert event.type == "convoy.planned" and event.schema_version == 1
    assert event.recorded_at.endswith("Z") and event.recorded_at > "2020"


def test_stream_versions_are_unique_and_stale_writers_conflict(system: Mamar) -> None:
    open_operation(system)
    plan(system)
    with system.writing() as conn:
        old = store.read_stream(conn, "convoy:c1")[0]
    stale = PendingEvent(
        stream="convoy:c1",
        version=1,
        data=old.decoded(),
        occurred=at("2016-12-13T20:00+02:00"),
        actor="system",
        visibility=Visibility(old.visibility),
    )
    with pytest.raises(Conflict), system.writing() as conn:
        store.append(conn, [stale])
    with system.reading() as conn:
        assert store.count(conn) == 2


def test_unique_constraint_refuses_duplicate_stream_version(system: Mamar) -> None:
    open_operation(system)
    plan(system)
    with system.reading() as conn:
        row = conn.execute(select(journal).where(journal.c.position == 2)).mappings().one()
    other_id = "00000000-0000-0000-0000-000000000000"
    body = bytes(row["body"]).replace(row["event_id"].encode(), other_id.encode())
    duplicate = dict(row, position=3, event_id=other_id, body=body)
    if system.engine.dialect.name == "sqlite":
        # The indexed columns are computed from the body there; only these are stored.
        duplicate = {k: duplicate[k] for k in ("position", "body", "prev_hash", "hash")}
    with pytest.raises(Exception, match=r"(?i)stream"), system.writing() as conn:
        conn.execute(journal.insert().values(**duplicate))


def test_refused_command_appends_nothing(system: Mamar) -> None:
    open_operation(system)
    plan(system)
    with pytest.raises(IllegalTransition):
        system.execute(ChangeConvoyStatus(id="c1", status="arrived"), actor=SYSTEM)
    with pytest.raises(AlreadyExists):
        plan(system)
    with system.reading() as conn:
        assert store.count(conn) == 2
        assert verify(conn).ok


def test_batch_append_is_atomic(system: Mamar) -> None:
    open_operation(system)
    plan(system)
    with system.reading() as conn:
        first = store.read_stream(conn, "convoy:c1")[0]

    def pending(version: int) -> PendingEvent:
        return PendingEvent(
            stream="convoy:c2",
            version=version,
            data=first.decoded(),
            occurred=at("2016-12-13T20:00+02:00"),
            actor="system",
            visibility=Visibility(first.visibility),
        )

    with pytest.raises(Conflict), system.writing() as conn:
        store.append(conn, [pending(1), pending(3)])
    with system.reading() as conn:
        assert store.count(conn) == 2
        assert store.read_stream(conn, "convoy:c2") == []


@event_type
class _Renamed(EventData):
    type_name = "test.renamed"
    schema_version = 2
    title: str


@upcaster("test.renamed", 1)
def _v1_to_v2(data: dict[str, object]) -> dict[str, object]:
    return {"title": data["name"]}


def test_old_event_shapes_are_upcast_when_read() -> None:
    decoded = decode("test.renamed", 1, {"name": "old"})
    assert isinstance(decoded, _Renamed) and decoded.title == "old"
    assert decode("test.renamed", 2, {"title": "new"}) == _Renamed(title="new")


def test_head_is_tracked_and_verify_passes(system: Mamar) -> None:
    open_operation(system)
    plan(system)
    system.execute(ChangeConvoyStatus(id="c1", status="preparing"), actor=SYSTEM)
    with system.reading() as conn:
        position, digest = store.head(conn)
        result = verify(conn)
    assert result.ok and result.count == 3
    assert (position, digest) == (3, result.head_hash)
