"""road graph imported from OpenStreetMap

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "road_graphs",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("bbox", sa.String(length=200), nullable=True),
        sa.Column("imported_at", sa.String(length=27), nullable=False),
        sa.Column("node_count", sa.Integer(), nullable=False),
        sa.Column("edge_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "road_nodes",
        sa.Column("graph", sa.String(length=80), nullable=False),
        sa.Column("node", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("osm_id", sa.BigInteger(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("graph", "node"),
    )
    op.create_table(
        "road_edges",
        sa.Column("graph", sa.String(length=80), nullable=False),
        sa.Column("edge", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.Integer(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("length_m", sa.Double(), nullable=False),
        sa.Column("forward", sa.Boolean(), nullable=False),
        sa.Column("backward", sa.Boolean(), nullable=False),
        sa.Column("osm_way", sa.BigInteger(), nullable=False),
        sa.Column("highway", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("geometry", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("graph", "edge"),
    )


def downgrade() -> None:
    op.drop_table("road_edges")
    op.drop_table("road_nodes")
    op.drop_table("road_graphs")
