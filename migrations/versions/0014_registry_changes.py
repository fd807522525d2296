"""registry changes: a member who left is kept (left, left_at, left_reason); households as they were before a change

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("left_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("left_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=""))
    op.create_table(
        "householdrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("valid_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("householdrevision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_householdrevision_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_householdrevision_valid_until"), ["valid_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("householdrevision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_householdrevision_valid_until"))
        batch_op.drop_index(batch_op.f("ix_householdrevision_household_id"))
    op.drop_table("householdrevision")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("left_reason")
        batch_op.drop_column("left_at")
        batch_op.drop_column("left")
