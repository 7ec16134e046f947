"""revoked sessions: sign-out ends a session on the server

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revoked_sessions",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("session_hash"),
    )


def downgrade() -> None:
    op.drop_table("revoked_sessions")
