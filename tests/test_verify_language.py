"""``mamar verify`` says what it found in the reader's language: a journal or read model
really altered (SQLite and PostgreSQL), then verified in Arabic, is described in Arabic
words (a column in words, never its name in the database), and in English under
``--lang en``."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, delete, text, update
from typer.testing import CliRunner

from mamar.cli import app
from mamar.cli.findings import COLUMNS, TABLES
from mamar.db.tables import entities, journal, journal_head
from mamar.journal.findings import Why
from mamar.journal.store import INDEXED
from mamar.journal.verify import record_checkpoint, verify
from mamar.projections import check
from mamar.projections.check import Gap
from mamar.system import Mamar
from mamar.web.i18n import has_words
from tests.arabic_text import offences, recorded_texts
from tests.test_adversarial_verify import _rechain as rechain
from tests.test_verify import STORED, alter_body, delete_row, seed, swap_rows

ARABIC = re.compile("[\u0600-\u06ff]")


def _verify(system: Mamar, lang: str, *args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(
        app, ["--lang", lang, "verify", "--database", system.settings.database_url, *args]
    )
    return outcome.exit_code, outcome.output


def _head_rewound(conn: Connection) -> None:
    conn.execute(delete(journal).where(journal.c.position == 7))


def _checkpoint_altered(conn: Connection) -> None:
    record_checkpoint(conn, 5, bytes(32))


def _head_deleted(conn: Connection) -> None:
    conn.execute(delete(journal_head))


def _visibility_column(conn: Connection) -> None:
    conn.execute(update(journal).where(journal.c.position == 3).values(visibility="shared"))


def _invalid_body(conn: Connection) -> None:
    """A body that is not JSON any more, the chain recomputed over it: only the check of the
    columns against the bodies can tell."""
    conn.execute(update(journal).where(journal.c.position == 6).values(body=b"{not json"))
    rechain(conn)


def _body_as_text(conn: Connection) -> None:
    conn.execute(text("UPDATE journal SET body = CAST(body AS TEXT) WHERE position = 3"))


def _hash_as_text(conn: Connection) -> None:
    conn.execute(text("UPDATE journal SET hash = 'x' WHERE position = 4"))


#: name → (alteration, the database it is possible on (None: both), the words it brings)
ALTERATIONS: dict[str, tuple[Callable[[Connection], None], str | None, str]] = {
    "body altered": (alter_body, None, "بصمته لا تطابق نصه"),
    "row deleted": (delete_row, None, "حدث مفقود"),
    "rows swapped": (swap_rows, None, "بصمة ذلك الحدث"),
    "tail removed": (_head_rewound, None, "رأس السلسلة يشير إلى الموضع 7"),
    "checkpoint altered": (_checkpoint_altered, None, "نقطة التحقق المسجَّلة"),
    "head deleted": (_head_deleted, None, "رأس السلسلة مفقود"),
    "column altered": (_visibility_column, "postgresql", "نسخة من يحق له الاطلاع"),
    "body not readable": (_invalid_body, "postgresql", "تعذّرت قراءة نص الحدث"),
    "body stored as text": (_body_as_text, "sqlite", "خانة نص الحدث"),
    "hash stored as text": (_hash_as_text, "sqlite", "خانة بصمة الحدث"),
}


#: The alterations possible on every engine, and those possible on one (by its fixture).
EVERY_ENGINE = [case for case, (_, dialect, _) in ALTERATIONS.items() if dialect is None]
ONE_ENGINE = [case for case, (_, dialect, _) in ALTERATIONS.items() if dialect is not None]
ENGINE_FIXTURE = {"sqlite": "sqlite_system", "postgresql": "postgres_system"}


@pytest.mark.parametrize("case", EVERY_ENGINE)
def test_an_altered_journal_is_described_in_arabic(system: Mamar, case: str) -> None:
    _described_in_arabic(system, case)


@pytest.mark.parametrize("case", ONE_ENGINE)
def test_an_alteration_only_one_engine_allows_is_described_in_arabic(
    request: pytest.FixtureRequest, case: str
) -> None:
    """Made only on the engine it is possible on (each runs once, never skipped)."""
    dialect = ALTERATIONS[case][1]
    assert dialect is not None
    _described_in_arabic(request.getfixturevalue(ENGINE_FIXTURE[dialect]), case)


def _described_in_arabic(system: Mamar, case: str) -> None:
    alter, _dialect, words = ALTERATIONS[case]
    seed(system)
    users = recorded_texts(system)  # before: an altered body may not be read any more
    with system.writing() as conn:
        alter(conn)
    code, output = _verify(system, "ar", "--no-checkpoint")
    said = " ".join(output.split())
    assert code == 2, output
    assert "فشل التحقق من السجل عند الموضع" in said and words in said, said
    assert offences(said, users) == [], said
    code, output = _verify(system, "en", "--no-checkpoint")
    assert code == 2 and "The journal does not verify at position" in output, output


READ_MODEL_EDITS: dict[str, tuple[str, str]] = {
    "visibility widened": (
        "UPDATE entities SET visibility = 'shared' WHERE stream = 'convoy:c1'",
        "قيمة من يحق له الاطلاع في جداول القراءة ليست ما يعطيه السجل",
    ),
    "version changed": (
        "UPDATE entities SET version = 9 WHERE stream = 'convoy:c1'",
        "قيمة رقم الصيغة في جداول القراءة 9، والسجل يعطي 6",
    ),
    "history row deleted": (
        "DELETE FROM entity_history WHERE stream = 'convoy:c1' AND version = 2",
        "في جدول تاريخ القيود",
    ),
    "owner removed": (
        "DELETE FROM entity_members WHERE stream = 'convoy:c1'",
        "التي يعطيها السجل للقيد مفقودة",
    ),
}


@pytest.mark.parametrize("case", list(READ_MODEL_EDITS))
def test_an_edited_read_model_is_described_in_arabic(system: Mamar, case: str) -> None:
    seed(system)
    statement, words = READ_MODEL_EDITS[case]
    with system.writing() as conn:
        conn.execute(text(statement))
    code, output = _verify(system, "ar", "--read-models", "--no-checkpoint")
    said = " ".join(output.split())
    assert code == 2, output
    assert words in said, said
    assert offences(said, recorded_texts(system)) == [], said


def test_english_names_the_column_in_words(sqlite_system: Mamar) -> None:
    seed(sqlite_system)
    with sqlite_system.writing() as conn:
        conn.execute(update(entities).values(visibility="shared"))
    code, output = _verify(sqlite_system, "en", "--read-models")
    said = " ".join(output.split())
    assert code == 2
    assert "In the records as they stand, record convoy:c1: the visibility" in said, said
    assert "entities" not in said and "'visibility'" not in said


def test_every_finding_column_and_read_model_has_words() -> None:
    messages = [w.value for w in Why] + [g.value for g in Gap]
    # A read model's state is said by its own sentence (Gap.STATE), not as a column.
    columns = {*INDEXED, *STORED, *check._ENTITY, *check._HISTORY} - {"state"}
    messages += [COLUMNS[name] for name in sorted(columns)]
    messages += list(TABLES.values())
    assert [m for m in messages if not has_words(m)] == []


def test_the_finding_survives_a_worker_process(sqlite_system: Mamar) -> None:
    """A finding made in a walking process reaches the reader with its column."""
    seed(sqlite_system)
    with sqlite_system.writing() as conn:
        _hash_as_text(conn)
    with sqlite_system.reading() as conn:
        result = verify(conn, workers=3, parallel_from=1)
    assert result.finding is not None and result.finding.why is Why.NOT_BYTES
    assert result.finding.column == "hash"
