"""Verification catches every kind of tampering, and names the position."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Connection, delete, select, text, update

from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy
from mamar.db.tables import journal, journal_head
from mamar.journal.verify import record_checkpoint, verify
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import open_operation


def seed(system: Mamar) -> None:
    open_operation(system)
    system.execute(PlanConvoy(id="c1", operation="op", name={"en": "Batch"}), actor=SYSTEM)
    for status in ("preparing", "staged", "departed", "under_fire", "turned_back"):
        system.execute(ChangeConvoyStatus(id="c1", status=status), actor=SYSTEM)


def row(conn: Connection, position: int) -> dict[str, object]:
    return dict(
        conn.execute(select(journal).where(journal.c.position == position)).mappings().one()
    )


def alter_body(conn: Connection) -> None:
    body = bytes(row(conn, 4)["body"]).replace(b'"staged"', b'"halted"')  # type: ignore[arg-type]
    conn.execute(update(journal).where(journal.c.position == 4).values(body=body))


def alter_hash(conn: Connection) -> None:
    conn.execute(update(journal).where(journal.c.position == 4).values(hash=bytes(32)))


def delete_row(conn: Connection) -> None:
    conn.execute(delete(journal).where(journal.c.position == 4))


# On SQLite the indexed columns are computed from the body: only these are stored.
STORED = ("body", "prev_hash", "hash")


def swap_rows(conn: Connection) -> None:
    a, b = row(conn, 4), row(conn, 5)
    fields = [k for k in a if k != "position"] if is_postgres(conn) else list(STORED)
    # Move both out of the way of the unique (stream, version) and event_id constraints.
    conn.execute(delete(journal).where(journal.c.position.in_([4, 5])))
    conn.execute(journal.insert().values(**{**{k: b[k] for k in fields}, "position": 4}))
    conn.execute(journal.insert().values(**{**{k: a[k] for k in fields}, "position": 5}))


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def alter_visibility_column(conn: Connection) -> None:
    # Making an internal event look shared would show it to outside liaisons.
    conn.execute(update(journal).where(journal.c.position == 3).values(visibility="shared"))


def invalid_body(conn: Connection) -> None:
    conn.execute(update(journal).where(journal.c.position == 6).values(body=b"{not json"))


CASES: dict[str, tuple[Callable[[Connection], None], int, str]] = {
    "body": (alter_body, 4, "body or the hash was altered"),
    "hash": (alter_hash, 4, "body or the hash was altered"),
    "deleted row": (delete_row, 4, "event missing"),
    "swapped rows": (swap_rows, 4, "event before it"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_caught_at_its_position(system: Mamar, case: str) -> None:
    seed(system)
    tamper, position, reason = CASES[case]
    with system.reading() as conn:
        assert verify(conn).ok
    with system.writing() as conn:
        tamper(conn)
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok
    assert result.failed_position == position
    assert reason in (result.reason or "")


def test_a_column_that_disagrees_with_its_body_is_caught_or_impossible(system: Mamar) -> None:
    seed(system)
    if system.engine.dialect.name == "postgresql":
        with system.writing() as conn:
            alter_visibility_column(conn)
        with system.reading() as conn:
            result = verify(conn)
        assert not result.ok and result.failed_position == 3
        assert "column 'visibility'" in (result.reason or "")
        assert result.count == 2
    else:
        # SQLite computes the column from the hashed body: there is nothing to alter.
        with pytest.raises(Exception, match="generated column"), system.writing() as conn:
            alter_visibility_column(conn)
        with system.reading() as conn:
            assert verify(conn).ok
            visibility = conn.execute(
                select(journal.c.visibility).where(journal.c.position == 3)
            ).scalar()
        assert visibility == "internal"


def test_invalid_body_is_refused_by_sqlite(sqlite_system: Mamar) -> None:
    # Its columns are computed from the body, so a body that is not JSON cannot be stored.
    seed(sqlite_system)
    with pytest.raises(Exception, match="malformed JSON"), sqlite_system.writing() as conn:
        invalid_body(conn)
    with sqlite_system.reading() as conn:
        assert verify(conn).ok


def test_invalid_body_is_caught_on_postgresql(postgres_system: Mamar) -> None:
    seed(postgres_system)
    with postgres_system.writing() as conn:
        invalid_body(conn)
    with postgres_system.reading() as conn:
        result = verify(conn)
    assert not result.ok and result.failed_position == 6 and "altered" in (result.reason or "")


def test_truncated_tail_behind_a_checkpoint_is_caught(system: Mamar) -> None:
    seed(system)
    with system.writing() as conn:
        result = verify(conn)
        record_checkpoint(conn, result.head_position, result.head_hash)
    with system.writing() as conn:
        conn.execute(delete(journal).where(journal.c.position > 5))
        # A careful attacker rewinds the chain head too; the checkpoint still tells.
        last = row(conn, 5)
        conn.execute(update(journal_head).values(position=5, hash=last["hash"]))
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok
    assert "events after 5 were removed" in (result.reason or "")


def test_truncated_tail_without_checkpoint_is_caught_by_the_head(system: Mamar) -> None:
    seed(system)
    with system.writing() as conn:
        conn.execute(delete(journal).where(journal.c.position == 7))
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok and "chain head says position 7" in (result.reason or "")


def test_empty_journal_verifies(system: Mamar) -> None:
    with system.reading() as conn:
        result = verify(conn)
    assert result.ok and result.count == 0


def test_cli_verify_exit_codes(sqlite_system: Mamar, tmp_path: object) -> None:
    from typer.testing import CliRunner

    from mamar.cli import app

    seed(sqlite_system)
    url = sqlite_system.settings.database_url
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", "--database", url])
    assert ok.exit_code == 0, ok.output
    assert "ok: 7 events" in ok.output and "head: 7 " in ok.output
    with sqlite_system.writing() as conn:
        conn.execute(text("UPDATE journal SET hash = zeroblob(32) WHERE position = 2"))
    bad = runner.invoke(app, ["verify", "--database", url])
    assert bad.exit_code == 2
    assert "position 2" in bad.output


# --- The chain walked in several processes: the same findings, seams included. ---


def seed_many(system: Mamar) -> int:
    """Twenty-one events: walked by three processes, ranges 1-7, 8-14, 15-21."""
    open_operation(system)
    for n in range(4):
        system.execute(PlanConvoy(id=f"c{n}", operation="op", name={"en": "B"}), actor=SYSTEM)
        for status in ("preparing", "staged", "departed", "arrived"):
            system.execute(ChangeConvoyStatus(id=f"c{n}", status=status), actor=SYSTEM)
    with system.reading() as conn:
        return int(conn.execute(text("SELECT max(position) FROM journal")).scalar() or 0)


def in_parallel(conn: Connection) -> object:
    return verify(conn, workers=3, parallel_from=1)


def set_column(position: int, **values: object) -> Callable[[Connection], None]:
    return lambda conn: conn.execute(
        update(journal).where(journal.c.position == position).values(**values)
    )


def delete_at(position: int) -> Callable[[Connection], None]:
    return lambda conn: conn.execute(delete(journal).where(journal.c.position == position))


PARALLEL_CASES: dict[str, tuple[Callable[[Connection], None], int, str]] = {
    "hash, end of the first range": (set_column(7, hash=bytes(32)), 7, "altered"),
    "prev_hash, start of a worker's range": (set_column(8, prev_hash=bytes(32)), 8, "before it"),
    "hash, inside a worker's range": (set_column(12, hash=bytes(32)), 12, "altered"),
    "deleted, start of the last range": (delete_at(15), 15, "event missing"),
    "deleted, end of the journal": (delete_at(21), 21, "chain head says position 21"),
}


def test_parallel_walk_agrees_with_one_process(sqlite_system: Mamar) -> None:
    last = seed_many(sqlite_system)
    assert last == 21
    with sqlite_system.reading() as conn:
        one = verify(conn, workers=1)
        several = verify(conn, workers=3, parallel_from=1)
    assert one.ok and several.ok
    assert (several.count, several.head_hash) == (one.count, one.head_hash) == (21, one.head_hash)


@pytest.mark.parametrize("case", list(PARALLEL_CASES))
def test_parallel_walk_catches_tampering_at_its_position(sqlite_system: Mamar, case: str) -> None:
    seed_many(sqlite_system)
    tamper, position, reason = PARALLEL_CASES[case]
    with sqlite_system.writing() as conn:
        tamper(conn)
    with sqlite_system.reading() as conn:
        result = verify(conn, workers=3, parallel_from=1)
        alone = verify(conn, workers=1)
    assert not result.ok
    assert result.failed_position == position, result.describe()
    assert reason in (result.reason or "")
    assert (result.failed_position, result.count, result.head_hash) == (
        alone.failed_position,
        alone.count,
        alone.head_hash,
    )


def test_parallel_walk_on_postgresql(postgres_system: Mamar) -> None:
    seed_many(postgres_system)
    with postgres_system.reading() as conn:
        assert verify(conn, workers=3, parallel_from=1).ok
    with postgres_system.writing() as conn:
        set_column(12, hash=bytes(32))(conn)
    with postgres_system.reading() as conn:
        result = verify(conn, workers=3, parallel_from=1)
    assert not result.ok and result.failed_position == 12 and result.count == 11


def test_altered_checkpoint_is_caught(system: Mamar) -> None:
    seed(system)
    with system.writing() as conn:
        record_checkpoint(conn, 5, bytes(32))  # not what position 5 holds
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok and result.failed_position == 5 and result.count == 4
    assert "checkpoint" in (result.reason or "")


def test_a_failed_worker_range_is_walked_by_verify_itself(
    sqlite_system: Mamar, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_many(sqlite_system)
    with sqlite_system.writing() as conn:
        set_column(12, hash=bytes(32))(conn)
    # Workers that cannot start (as if the interpreter could not import the package).
    monkeypatch.setattr("sys.executable", "/nonexistent-python")
    with sqlite_system.reading() as conn:
        try:
            result = verify(conn, workers=3, parallel_from=1)
        except FileNotFoundError:
            pytest.fail("a worker that cannot start must not stop verification")
    assert not result.ok and result.failed_position == 12
