"""Merkle tree over the journal, signed checkpoints, witnesses and their cosignatures

The tree's head (size and frontier) joins the chain head row; every complete
subtree is kept in ``merkle_nodes``. A journal recorded before this revision gets
its tree here, computed from the stored bodies.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mamar.journal.tree import catch_up

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_POSITION = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("journal_head") as batch:
        batch.add_column(
            sa.Column("tree_size", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("frontier", sa.LargeBinary(), nullable=True))
    op.create_table(
        "merkle_nodes",
        sa.Column("id", _POSITION, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
    )
    op.create_table(
        "signed_checkpoints",
        sa.Column("size", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("root", sa.LargeBinary(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.String(27), nullable=False),
    )
    op.create_table(
        "witnesses",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("verifier_key", sa.Text(), nullable=False),
        sa.Column("added_at", sa.String(27), nullable=False),
    )
    op.create_table(
        "cosignatures",
        sa.Column("size", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("witness", sa.String(200), primary_key=True),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(27), nullable=False),
    )
    catch_up(op.get_bind())


def downgrade() -> None:
    op.drop_table("cosignatures")
    op.drop_table("witnesses")
    op.drop_table("signed_checkpoints")
    op.drop_table("merkle_nodes")
    with op.batch_alter_table("journal_head") as batch:
        batch.drop_column("frontier")
        batch.drop_column("tree_size")
