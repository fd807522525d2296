"""document docx copy

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:15:49.459911
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Documents stored before this revision have no editable copy yet: empty strings.
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("docx_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("docx_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("docx_sha256")
        batch_op.drop_column("docx_path")
