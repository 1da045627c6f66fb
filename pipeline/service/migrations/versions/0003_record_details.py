"""records.details_json: why a record has its status and the numbers refused, as the record file has them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:  # batch: SQLite cannot ALTER much in place
        batch.add_column(sa.Column("details_json", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("details_json")
