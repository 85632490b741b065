"""predictions: whether a score passed its code's threshold; index by segment and model version

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("predictions") as batch:
        batch.add_column(sa.Column("selected", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_predictions_segment_version", "predictions", ["segment_id", "model_version"])


def downgrade() -> None:
    op.drop_index("ix_predictions_segment_version", table_name="predictions")
    with op.batch_alter_table("predictions") as batch:
        batch.drop_column("selected")
