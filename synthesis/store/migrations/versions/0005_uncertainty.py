"""review queue: per-code thresholds of each coding model version, and each coded segment's uncertainty

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_thresholds",
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("model_version"),
    )
    op.create_table(
        "uncertainty",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["segment_id"], ["segments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("segment_id", "model_version"),
    )
    op.create_index("ix_uncertainty_version_value", "uncertainty", ["model_version", "value"])


def downgrade() -> None:
    op.drop_index("ix_uncertainty_version_value", table_name="uncertainty")
    op.drop_table("uncertainty")
    op.drop_table("model_thresholds")
