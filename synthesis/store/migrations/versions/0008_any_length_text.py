"""values users write and model versions of any length: PostgreSQL enforces VARCHAR lengths (a dialogue's date
"12 to 14 March 2017, in Kathmandu and Pokhara", a gender "Prefer not to say / non-binary", a survey language
"Kiswahili", a model version made of a long codebook name were refused); SQLite enforces none, so its tables are
left as they are

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# table -> column -> the length it was declared with
WIDENED = {
    "documents": {"iso": 3, "date": 32, "language": 8},
    "respondents": {"gender": 16, "age_band": 16, "language": 8},
    "segments": {"question": 32, "language": 8},
    "codebooks": {"version": 32},
    "runs": {"model_version": 64},
    "model_versions": {"version": 64},
    "predictions": {"model_version": 64},
    "model_thresholds": {"model_version": 64},
    "uncertainty": {"model_version": 64},
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in WIDENED.items():
        for column, length in columns.items():
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade() -> None:
    # PostgreSQL refuses it (and the store stays at 0008) once a value is longer than its old limit
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in WIDENED.items():
        for column, length in columns.items():
            op.alter_column(table, column, type_=sa.String(length), existing_type=sa.Text())
