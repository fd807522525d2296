"""key-village identification: the village figures recorded for ranking; the city and province roles

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ("GROUP_LEADER", "VILLAGE_COMMITTEE", "TOWNSHIP_CHECK_TEAM", "TOWNSHIP_GOVERNMENT", "COUNTY_RECHECK_TEAM",
         "COUNTY_GOVERNMENT", "SYSTEM", "INDUSTRY_DEPARTMENT", "RECTIFICATION_UNIT", "PROVINCE_POVERTY_OFFICE",
         "CITY_CHECK_TEAM")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The role enum is a type of its own on PostgreSQL; SQLite stores the name as text.
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'CITY_CHECK_TEAM'")
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'PROVINCE_POVERTY_OFFICE'")
    else:
        # SQLite keeps the enum as VARCHAR sized to its longest name, now PROVINCE_POVERTY_OFFICE (23). The table is
        # rebuilt; other tables' references to actor are checked at commit, once the rebuilt table has its rows.
        op.execute("PRAGMA defer_foreign_keys=ON")
        with op.batch_alter_table("actor", recreate="always") as batch_op:
            batch_op.alter_column("role", existing_type=sa.VARCHAR(length=19), existing_nullable=False,
                                  type_=sa.Enum(*ROLES, name="role"))
    op.create_table(
        "keyvillagefacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("relative_poor_households", sa.Integer(), nullable=False),
        sa.Column("per_capita_income", sa.Numeric(12, 2), nullable=False),
        sa.Column("collective_income", sa.Numeric(14, 2), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("keyvillagefacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_keyvillagefacts_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    # PostgreSQL cannot drop a value from an enum type; the two roles stay, unused.
    with op.batch_alter_table("keyvillagefacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_keyvillagefacts_case_id"))
    op.drop_table("keyvillagefacts")
