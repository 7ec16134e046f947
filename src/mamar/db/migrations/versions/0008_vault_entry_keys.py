"""vault entry keys: each personal record under its own data key, wrapped by the master key

Erasing a record destroys its wrapped key (crypto-shredding). Records written before
are re-encrypted under keys of their own when the system starts with the vault key
(``Vault.migrate``): the schema change itself cannot, as it never sees the key.

Revision ID: 0008_vault
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_vault"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vault_entries") as batch:
        batch.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vault_entries") as batch:
        batch.drop_column("wrapped_key")
