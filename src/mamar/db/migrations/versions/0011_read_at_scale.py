"""reading at scale: records' members for the viewer's rule in SQL, list and as-of indexes

Revision ID: 0011_scale
Revises: 0010_osm_places

``entity_members`` is a read model (rebuilt by ``mamar rebuild`` like the others); it
is filled here from the current states, as the projection would have written it.
"""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0011_scale"
down_revision = "0010_osm_places"
branch_labels = None
depends_on = None

_INSTALLATION = "installation"  # mamar.domain.visibility.INSTALLATION, as of this revision


def upgrade() -> None:
    members = op.create_table(
        "entity_members",
        sa.Column("stream", sa.String(120), primary_key=True),
        sa.Column("organisation", sa.String(120), primary_key=True),
    )
    op.create_index(
        "ix_entities_operation_kind_stream", "entities", ["operation", "kind", "stream"]
    )
    op.create_index(
        "ix_history_stream_occurred", "entity_history", ["stream", "occurred_utc", "version"]
    )
    conn = op.get_bind()
    rows: list[dict[str, str]] = []
    for stream, state in conn.execute(sa.text("SELECT stream, state FROM entities")):
        data = orjson.loads(state)
        owner = data.get("owner") or _INSTALLATION
        for organisation in sorted({owner, *(data.get("shared_with") or ())}):
            rows.append({"stream": stream, "organisation": organisation})
        if len(rows) >= 5000:
            op.bulk_insert(members, rows)
            rows = []
    if rows:
        op.bulk_insert(members, rows)


def downgrade() -> None:
    op.drop_index("ix_history_stream_occurred", table_name="entity_history")
    op.drop_index("ix_entities_operation_kind_stream", table_name="entities")
    op.drop_table("entity_members")
