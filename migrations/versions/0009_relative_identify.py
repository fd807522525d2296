"""relative-poor households: priority flags of a household, the city's sample checks, the record cards; the city
check team's role

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL keeps enum values in the type; SQLite stores the name as text.
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'CITY_CHECK_TEAM'")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.add_column(sa.Column("house_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("disabled_member", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("ill_member", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "relativecitycheck",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("wages", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("operating", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("property_income", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("transfer", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("expenses", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage_record_id", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("per_capita", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("finding", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["stage_record_id"], ["stagerecord.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("relativecitycheck", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relativecitycheck_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relativecitycheck_stage_record_id"), ["stage_record_id"], unique=False)
    op.create_table(
        "relativerecord",
        sa.Column("cause", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("helper", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("helper_unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("three_year_plan", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("yearly_plan", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("has_labour", sa.Boolean(), nullable=False),
        sa.Column("funds", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("projects", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )


def downgrade() -> None:
    op.drop_table("relativerecord")
    with op.batch_alter_table("relativecitycheck", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relativecitycheck_stage_record_id"))
        batch_op.drop_index(batch_op.f("ix_relativecitycheck_case_id"))
    op.drop_table("relativecitycheck")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_column("ill_member")
        batch_op.drop_column("disabled_member")
        batch_op.drop_column("house_type")
