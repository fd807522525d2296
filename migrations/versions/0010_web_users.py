"""dashboard logins: one per registered person, with failed attempts for the pause after too many

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webuser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("webuser", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webuser_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_webuser_login"), ["login"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("webuser", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webuser_login"))
        batch_op.drop_index(batch_op.f("ix_webuser_actor_id"))
    op.drop_table("webuser")
