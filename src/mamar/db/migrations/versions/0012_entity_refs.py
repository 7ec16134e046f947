"""short references in their own column: the next one is read from an index, not from
every record's state

Revision ID: 0012_refs
Revises: 0011_scale

``entities.ref`` repeats the ``ref`` of each record's state (a read model, rebuilt by
``mamar rebuild`` like the rest); it is filled here from the current states.
"""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0012_refs"
down_revision = "0011_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entities", sa.Column("ref", sa.Integer(), nullable=True))
    op.create_index("ix_entities_operation_kind_ref", "entities", ["operation", "kind", "ref"])
    conn = op.get_bind()
    found = conn.execute(
        sa.text("SELECT stream, state FROM entities WHERE state LIKE :ref"),
        {"ref": '%"ref":%'},
    )
    rows = []
    for stream, state in found:
        ref = orjson.loads(state).get("ref")
        if isinstance(ref, int):
            rows.append({"stream": stream, "ref": ref})
    if rows:
        conn.execute(sa.text("UPDATE entities SET ref = :ref WHERE stream = :stream"), rows)


def downgrade() -> None:
    op.drop_index("ix_entities_operation_kind_ref", table_name="entities")
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("ref")
