"""entities by operation and position: what changed in an operation since a position

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_entities_operation_position", "entities", ["operation", "position"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_entities_operation_position", table_name="entities")
