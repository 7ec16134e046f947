"""people search index: keyed hashes of the words of personal records (names, years, origins)

Revision ID: 0009_people
Revises: 0008_vault
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_people"
down_revision = "0008_vault"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_terms",
        sa.Column("ref", sa.String(36), primary_key=True),
        sa.Column("term", sa.String(32), primary_key=True),
        sa.Column("field", sa.String(1), nullable=False),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("operation", sa.String(120), nullable=True),
    )
    op.create_index("ix_vault_terms_term", "vault_terms", ["term", "operation"])


def downgrade() -> None:
    op.drop_index("ix_vault_terms_term", "vault_terms")
    op.drop_table("vault_terms")
