"""codebook versions edited in the review app: their version, YAML text and author

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("codebooks") as batch:
        batch.add_column(sa.Column("version", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("yaml", sa.Text(), nullable=True))
        batch.add_column(sa.Column("author", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("codebooks") as batch:
        batch.drop_column("author")
        batch.drop_column("yaml")
        batch.drop_column("version")
