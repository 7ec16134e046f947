"""journal: indexed columns derived from the hashed body; fewer indexes to write per append

On SQLite the indexed columns become virtual generated columns computed from the
body itself, so they cannot disagree with it (an UPDATE of one is refused, and
there is no copy to tamper with): ``verify`` then only walks the chain. On
PostgreSQL they stay stored copies, checked by ``verify`` inside the database.

The separate indexes on operation, type and occurred time become one on
(operation, occurred time), the order the timeline reads in. The projected
position is the newest position in ``entities`` (projections are written in the
append's own transaction), so ``projection_positions`` goes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (column, SQLite type) in the order the columns had.
_DERIVED = (
    ("event_id", "TEXT"),
    ("stream", "TEXT"),
    ("version", "INTEGER"),
    ("type", "TEXT"),
    ("operation", "TEXT"),
    ("occurred_utc", "TEXT"),
    ("visibility", "TEXT"),
)
_NOT_NULL = {"event_id", "stream", "version", "type", "occurred_utc", "visibility"}


def _sqlite_journal(name: str) -> str:
    derived = ",\n".join(
        f"  {column} {kind} GENERATED ALWAYS AS (json_extract(body, '$.{column}')) VIRTUAL"
        + (" NOT NULL" if column in _NOT_NULL else "")
        for column, kind in _DERIVED
    )
    return (
        f"CREATE TABLE {name} (\n"
        "  position INTEGER NOT NULL PRIMARY KEY,\n"
        "  body BLOB NOT NULL,\n"
        "  prev_hash BLOB NOT NULL,\n"
        "  hash BLOB NOT NULL,\n"
        f"{derived}\n)"
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(_sqlite_journal("journal_new"))
        op.execute(
            "INSERT INTO journal_new (position, body, prev_hash, hash) "
            "SELECT position, body, prev_hash, hash FROM journal ORDER BY position"
        )
        op.execute("DROP TABLE journal")
        op.execute("ALTER TABLE journal_new RENAME TO journal")
        op.execute("CREATE UNIQUE INDEX uq_journal_event_id ON journal (event_id)")
        op.execute("CREATE UNIQUE INDEX uq_journal_stream_version ON journal (stream, version)")
    else:
        op.drop_index("ix_journal_operation", table_name="journal")
        op.drop_index("ix_journal_type", table_name="journal")
        op.drop_index("ix_journal_occurred", table_name="journal")
    op.create_index("ix_journal_operation_occurred", "journal", ["operation", "occurred_utc"])
    op.drop_table("projection_positions")


def downgrade() -> None:
    op.create_table(
        "projection_positions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.execute(
        "INSERT INTO projection_positions (name, position) "
        "SELECT 'entities', COALESCE(max(position), 0) FROM entities"
    )
    op.drop_index("ix_journal_operation_occurred", table_name="journal")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        columns = ", ".join(c for c, _ in _DERIVED)
        op.execute(
            "CREATE TABLE journal_old (position INTEGER NOT NULL PRIMARY KEY, "
            "event_id VARCHAR(36) NOT NULL UNIQUE, stream VARCHAR(120) NOT NULL, "
            "version INTEGER NOT NULL, type VARCHAR(80) NOT NULL, operation VARCHAR(120), "
            "occurred_utc VARCHAR(27) NOT NULL, visibility VARCHAR(16) NOT NULL, "
            "body BLOB NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL, "
            "CONSTRAINT uq_journal_stream_version UNIQUE (stream, version))"
        )
        op.execute(
            f"INSERT INTO journal_old (position, {columns}, body, prev_hash, hash) "
            f"SELECT position, {columns}, body, prev_hash, hash FROM journal ORDER BY position"
        )
        op.execute("DROP TABLE journal")
        op.execute("ALTER TABLE journal_old RENAME TO journal")
    op.create_index("ix_journal_occurred", "journal", ["occurred_utc"])
    op.create_index("ix_journal_operation", "journal", ["operation"])
    op.create_index("ix_journal_type", "journal", ["type"])
