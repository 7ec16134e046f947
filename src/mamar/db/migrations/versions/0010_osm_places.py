"""named places of an imported OpenStreetMap extract, for the offline base map

Revision ID: 0010_osm_places
Revises: 0009_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_osm_places"
down_revision = "0009_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "osm_places",
        sa.Column("graph", sa.String(length=80), nullable=False),
        sa.Column("osm_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("graph", "osm_id"),
    )


def downgrade() -> None:
    op.drop_table("osm_places")
