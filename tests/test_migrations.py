"""Migrations carry a journal written under an older schema forward, intact."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import Engine, text

from mamar.db.engine import make_engine
from mamar.db.migrate import alembic_config, upgrade
from mamar.journal.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from mamar.journal.verify import verify
from mamar.system import Mamar

START = datetime.fromisoformat("2016-12-15T06:00+02:00")
COLUMNS = (
    "position, event_id, stream, version, type, operation, occurred_utc, visibility, "
    "body, prev_hash, hash"
)


def migrate_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def old_rows(count: int) -> list[dict[str, Any]]:
    """Chained journal rows as revision 0004 stored them: every column written out."""
    rows, prev = [], GENESIS_HASH
    for position in range(1, count + 1):
        moment = (START + timedelta(minutes=position)).astimezone()
        envelope = {
            "position": position,
            "event_id": str(uuid.UUID(int=position, version=4)),
            "stream": f"note:n{(position + 1) // 2}",
            "version": 2 - position % 2,
            "type": "note.written",
            "schema_version": 1,
            "operation": "op" if position % 3 else None,
            "occurred_at": moment.isoformat(),
            "occurred_utc": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "precision": "minute",
            "phrase": None,
            "recorded_at": "2016-12-15T04:00:00.000000Z",
            "actor": "system",
            "visibility": "shared" if position % 2 else "internal",
            "data": {"text": f"note {position}"},
        }
        body = canonical_bytes(envelope)
        digest = chain_hash(prev, body)
        row = {k: envelope[k] for k in COLUMNS.split(", ")[:8]}
        rows.append(row | {"body": body, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows


def fill_old_journal(engine: Engine, rows: list[dict[str, Any]]) -> None:
    values = ", ".join(f":{c}" for c in COLUMNS.split(", "))
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO journal ({COLUMNS}) VALUES ({values})"), rows)
        conn.execute(
            text("UPDATE journal_head SET position = :p, hash = :h WHERE id = 1"),
            {"p": len(rows), "h": rows[-1]["hash"]},
        )


def test_a_journal_from_revision_0004_is_carried_forward_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate_to(engine, "0004")
        rows = old_rows(30)
        fill_old_journal(engine, rows)
        upgrade(engine)
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT stream, version, operation, visibility FROM journal ORDER BY position")
            ).all()
            # The timeline's index serves a filter on operation in time order.
            in_operation = conn.execute(
                text("SELECT count(*) FROM journal WHERE operation = 'op'")
            ).scalar()
        assert [tuple(r) for r in found] == [
            (r["stream"], r["version"], r["operation"], r["visibility"]) for r in rows
        ]
        assert in_operation == 20
        system = Mamar(database_url=database_url)
        try:
            with system.reading() as conn:
                result = verify(conn)
            assert result.ok and result.count == 30 and result.head_hash == rows[-1]["hash"]
        finally:
            system.dispose()
        migrate_to(engine, "0004", down=True)
        with engine.connect() as conn:
            back = conn.execute(text(f"SELECT {COLUMNS} FROM journal ORDER BY position")).all()
        assert [bytes(r.hash) for r in back] == [r["hash"] for r in rows]
        assert [r.visibility for r in back] == [r["visibility"] for r in rows]
        upgrade(engine)
    finally:
        engine.dispose()
