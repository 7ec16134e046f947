"""Adversarial: verification that does not trust the database it checks.

Someone with write access to the database can rewrite it consistently: bodies, the
hash chain, the head and the checkpoints together. ``verify --against`` (a position
and hash kept elsewhere) catches every such rewrite of what was there;
``verify --read-models`` catches edits of the tables the pages read; a malformed row
is reported with its position (exit 2), never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Connection, delete, select, text, update
from typer.testing import CliRunner

from mamar.cli import app
from mamar.db.tables import checkpoints, entities, journal, journal_head
from mamar.journal.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from mamar.journal.verify import Anchor, record_checkpoint, verify
from mamar.projections.check import compare
from mamar.system import Mamar
from tests.test_verify import seed

LAST = 7  # events ``seed`` records


def _anchor(system: Mamar) -> Anchor:
    with system.writing() as conn:
        result = verify(conn)
        assert result.ok
        record_checkpoint(conn, result.head_position, result.head_hash)
    return Anchor(result.head_position, result.head_hash)


def _set_body(conn: Connection, position: int, body: bytes) -> None:
    values: dict[str, object] = {"body": body}
    if conn.dialect.name == "postgresql":
        envelope = orjson.loads(body)
        values.update({name: envelope[name] for name in ("position", "visibility", "stream")})
    conn.execute(update(journal).where(journal.c.position == position).values(**values))


def _rechain(conn: Connection) -> None:
    """What a careful forger does after an edit: every hash, the head and the checkpoints."""
    prev = GENESIS_HASH
    rows = conn.execute(select(journal.c.position, journal.c.body).order_by(journal.c.position))
    last = 0
    for position, body in list(rows):
        digest = chain_hash(prev, bytes(body))
        conn.execute(
            update(journal)
            .where(journal.c.position == position)
            .values(prev_hash=prev, hash=digest)
        )
        prev, last = digest, int(position)
    conn.execute(delete(checkpoints))
    if last:
        conn.execute(update(journal_head).values(position=last, hash=prev))
        record_checkpoint(conn, last, prev)
    else:
        conn.execute(delete(journal_head))


def _body(conn: Connection, position: int) -> dict[str, object]:
    value = conn.execute(select(journal.c.body).where(journal.c.position == position)).scalar()
    envelope: dict[str, object] = orjson.loads(bytes(value))
    return envelope


def remove_tail(conn: Connection) -> None:
    conn.execute(delete(journal).where(journal.c.position > 5))
    _rechain(conn)


def edit_body(conn: Connection) -> None:
    envelope = _body(conn, 4)
    envelope["data"] = {**envelope["data"], "status": "halted"}  # type: ignore[dict-item]
    _set_body(conn, 4, canonical_bytes(envelope))
    _rechain(conn)


def remove_and_renumber(conn: Connection) -> None:
    conn.execute(delete(journal).where(journal.c.position == 4))
    for position in range(5, LAST + 1):
        envelope = {**_body(conn, position), "position": position - 1}
        conn.execute(
            update(journal).where(journal.c.position == position).values(position=position - 1)
        )
        _set_body(conn, position - 1, canonical_bytes(envelope))
    _rechain(conn)


def empty_journal(conn: Connection) -> None:
    conn.execute(delete(journal))
    _rechain(conn)


FORGERIES: dict[str, tuple[Callable[[Connection], None], int]] = {
    "tail removed, head and checkpoints rewritten": (remove_tail, 6),
    "body edited, chain recomputed": (edit_body, LAST),
    "row removed, the rest renumbered": (remove_and_renumber, LAST),
    "journal emptied": (empty_journal, 1),
}


@pytest.mark.parametrize("case", list(FORGERIES))
def test_a_consistent_rewrite_is_caught_against_a_hash_kept_elsewhere(
    system: Mamar, case: str
) -> None:
    seed(system)
    anchor = _anchor(system)
    forge, where = FORGERIES[case]
    with system.writing() as conn:
        forge(conn)
    with system.reading() as conn:
        assert verify(conn).ok  # the database alone cannot tell
        result = verify(conn, against=anchor)
    assert not result.ok
    assert result.failed_position == where
    assert "outside the database" in (result.reason or "")


def test_an_anchor_before_an_appended_tail_still_verifies(system: Mamar) -> None:
    seed(system)
    with system.reading() as conn:
        early = Anchor(
            3, bytes(conn.execute(text("SELECT hash FROM journal WHERE position = 3")).scalar())
        )
        assert verify(conn, against=early).ok


def test_a_renumbered_row_whose_body_names_its_old_place_is_caught(system: Mamar) -> None:
    seed(system)
    with system.writing() as conn:
        conn.execute(delete(journal).where(journal.c.position == 4))
        for position in range(5, LAST + 1):
            conn.execute(
                update(journal).where(journal.c.position == position).values(position=position - 1)
            )
        _rechain(conn)
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok and result.failed_position == 4


def test_a_deleted_head_row_is_caught(system: Mamar) -> None:
    seed(system)
    with system.writing() as conn:
        conn.execute(delete(journal_head))
    with system.reading() as conn:
        result = verify(conn)
    assert not result.ok and "chain head is missing" in (result.reason or "")


READ_MODEL_EDITS: dict[str, tuple[str, str]] = {
    "visibility widened": (
        "UPDATE entities SET visibility = 'shared' WHERE stream = 'convoy:c1'",
        "column 'visibility'",
    ),
    "state edited": (
        "UPDATE entities SET state = replace(state, 'turned_back', 'arrived') "
        "WHERE stream = 'convoy:c1'",
        "state",
    ),
    "entity deleted": ("DELETE FROM entities WHERE stream = 'convoy:c1'", "missing"),
    "history edited": (
        "UPDATE entity_history SET state = replace(state, 'staged', 'halted') "
        "WHERE stream = 'convoy:c1' AND version = 3",
        "entity_history",
    ),
    "history row deleted": (
        "DELETE FROM entity_history WHERE stream = 'convoy:c1' AND version = 2",
        "entity_history",
    ),
    # The viewer's rule reads a record's organisations in SQL: one added shows it to them.
    "organisation added": (
        "INSERT INTO entity_members (stream, organisation) VALUES ('convoy:c1', 'intruders')",
        "'intruders' is not one the journal shares it with",
    ),
    "owner removed": (
        "DELETE FROM entity_members WHERE stream = 'convoy:c1'",
        "entity_members",
    ),
}


@pytest.mark.parametrize("case", list(READ_MODEL_EDITS))
def test_an_edited_read_model_is_named(system: Mamar, case: str) -> None:
    seed(system)
    with system.reading() as conn:
        assert compare(conn) is None
    statement, words = READ_MODEL_EDITS[case]
    with system.writing() as conn:
        conn.execute(text(statement))
    with system.reading() as conn:
        assert verify(conn).ok  # the chain does not cover read models
        found = compare(conn)
    assert found is not None and found.stream == "convoy:c1"
    assert words in found.describe()


def _cli(system: Mamar, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    outcome = runner.invoke(app, ["verify", "--database", system.settings.database_url, *args])
    return outcome.exit_code, outcome.output


def test_cli_against_and_read_models(sqlite_system: Mamar) -> None:
    seed(sqlite_system)
    code, output = _cli(sqlite_system, "--read-models")
    assert code == 0, output
    kept = output.split("--against ", 1)[1].split()[0]
    assert _cli(sqlite_system, "--against", kept)[0] == 0
    with sqlite_system.writing() as conn:
        conn.execute(update(entities).values(visibility="shared"))
    code, output = _cli(sqlite_system, "--read-models")
    assert code == 2 and "visibility" in output
    with sqlite_system.writing() as conn:
        edit_body(conn)
    assert _cli(sqlite_system)[0] == 0
    code, output = _cli(sqlite_system, "--against", kept)
    assert code == 2 and f"position {LAST}" in output
    code, output = _cli(sqlite_system, "--against", "7:not-a-hash")
    assert code == 2 and "--against" in output


def test_a_body_stored_as_text_is_reported_not_a_crash(sqlite_system: Mamar) -> None:
    seed(sqlite_system)
    with sqlite_system.writing() as conn:
        conn.execute(text("UPDATE journal SET body = CAST(body AS TEXT) WHERE position = 3"))
    for workers in (1, 3):
        with sqlite_system.reading() as conn:
            result = verify(conn, workers=workers, parallel_from=1)
        assert not result.ok and result.failed_position == 3
        assert "not stored as bytes" in (result.reason or "")
    code, output = _cli(sqlite_system)
    assert code == 2 and "position 3" in output


def test_hashes_stored_as_text_are_reported(sqlite_system: Mamar) -> None:
    seed(sqlite_system)
    with sqlite_system.writing() as conn:
        conn.execute(text("UPDATE journal SET prev_hash = hex(prev_hash) WHERE position = 5"))
        conn.execute(text("UPDATE journal SET hash = 'x' WHERE position = 6"))
    with sqlite_system.reading() as conn:
        result = verify(conn, workers=3, parallel_from=1)
    assert not result.ok and result.failed_position == 5


def _signed_checkpoint(system: Mamar, tmp_path: Path) -> tuple[Path, str]:
    from mamar.evidence.log import create_key, sign_now

    signer = create_key(tmp_path / "log.key", "mamar.example.org/test")
    with system.writing() as conn:
        stored = sign_now(conn, signer)
    note = tmp_path / "checkpoint.txt"
    note.write_text(stored.note, encoding="utf-8")
    return note, signer.verifier.encode()


def test_a_consistent_rewrite_is_caught_against_a_signed_checkpoint(
    sqlite_system: Mamar, tmp_path: Path
) -> None:
    seed(sqlite_system)
    note, public = _signed_checkpoint(sqlite_system, tmp_path)
    assert _cli(sqlite_system, "--against", str(note), "--log-key", public)[0] == 0
    assert _cli(sqlite_system, "--against", str(note))[0] == 2  # no key: refused
    with sqlite_system.writing() as conn:
        edit_body(conn)  # and the stored tree: the check recomputes it from the bodies
    code, output = _cli(sqlite_system, "--against", str(note), "--log-key", public)
    assert code == 2 and "Merkle root" in output
    with sqlite_system.writing() as conn:
        remove_tail(conn)
    code, output = _cli(sqlite_system, "--against", str(note), "--log-key", public)
    assert code == 2 and "removed" in output


def test_a_checkpoint_signed_by_another_key_is_refused(
    sqlite_system: Mamar, tmp_path: Path
) -> None:
    from mamar.evidence.note import Signer

    seed(sqlite_system)
    note, _public = _signed_checkpoint(sqlite_system, tmp_path)
    stranger = Signer.generate("mamar.example.org/test", 1).verifier.encode()
    code, output = _cli(sqlite_system, "--against", str(note), "--log-key", stranger)
    assert code == 2 and "--against" in output
