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


def swap_rows(conn: Connection) -> None:
    a, b = row(conn, 4), row(conn, 5)
    fields = [k for k in a if k != "position"]
    # Move both out of the way of the unique (stream, version) and event_id constraints.
    conn.execute(delete(journal).where(journal.c.position.in_([4, 5])))
    conn.execute(journal.insert().values(**{**{k: b[k] for k in fields}, "position": 4}))
    conn.execute(journal.insert().values(**{**{k: a[k] for k in fields}, "position": 5}))


def alter_visibility_column(conn: Connection) -> None:
    # Making an internal event look shared would show it to outside liaisons.
    conn.execute(update(journal).where(journal.c.position == 3).values(visibility="shared"))


CASES: dict[str, tuple[Callable[[Connection], None], int, str]] = {
    "body": (alter_body, 4, "body or the hash was altered"),
    "hash": (alter_hash, 4, "body or the hash was altered"),
    "deleted row": (delete_row, 4, "event missing"),
    "swapped rows": (swap_rows, 4, "prev_hash"),
    "column": (alter_visibility_column, 3, "column 'visibility'"),
    "invalid body": (
        lambda conn: conn.execute(
            update(journal).where(journal.c.position == 6).values(body=b"{not json")
        ),
        6,
        "altered",
    ),
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
