"""monitoring and assistance: campaigns and their phases, monthly rounds, observations, warnings, assignments;
the industry department role

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The role enum is a type of its own on PostgreSQL; SQLite stores the name as text.
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'INDUSTRY_DEPARTMENT'")
    op.create_table(
        "monitoringcampaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region_code", "year"),
    )
    op.create_table(
        "monitoringphase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("monthly", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["monitoringcampaign.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "code"),
    )
    with op.batch_alter_table("monitoringphase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoringphase_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "monitoringround",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["monitoringcampaign.id"],
        ),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["monitoringphase.id"],
        ),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["region.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "village_code", "month"),
    )
    with op.batch_alter_table("monitoringround", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoringround_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "monitoringobservation",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("food", sa.Boolean(), nullable=False),
        sa.Column("clothing", sa.Boolean(), nullable=False),
        sa.Column("housing", sa.Boolean(), nullable=False),
        sa.Column("medical", sa.Boolean(), nullable=False),
        sa.Column("education", sa.Boolean(), nullable=False),
        sa.Column("water", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["monitoringround.id"],
        ),
        sa.PrimaryKeyConstraint("round_id", "household_id"),
    )
    op.create_table(
        "monitoringwarning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("guarantee", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("raised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["monitoringround.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "household_id", "guarantee"),
    )
    with op.batch_alter_table("monitoringwarning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoringwarning_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoringwarning_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoringwarning_round_id"), ["round_id"], unique=False)

    op.create_table(
        "monitoringassignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("liaison_id", sa.Integer(), nullable=False),
        sa.Column("workdays", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=False),
        sa.Column("measures", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("verified_ok", sa.Boolean(), nullable=True),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("verify_note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["liaison_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["verified_by"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["monitoringwarning.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("warning_id"),
    )
    with op.batch_alter_table("monitoringassignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoringassignment_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("monitoringassignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoringassignment_case_id"))

    op.drop_table("monitoringassignment")
    with op.batch_alter_table("monitoringwarning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoringwarning_round_id"))
        batch_op.drop_index(batch_op.f("ix_monitoringwarning_household_id"))
        batch_op.drop_index(batch_op.f("ix_monitoringwarning_case_id"))

    op.drop_table("monitoringwarning")
    op.drop_table("monitoringobservation")
    with op.batch_alter_table("monitoringround", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoringround_campaign_id"))

    op.drop_table("monitoringround")
    with op.batch_alter_table("monitoringphase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoringphase_campaign_id"))

    op.drop_table("monitoringphase")
    op.drop_table("monitoringcampaign")
    # PostgreSQL cannot drop one value of an enum type: 'INDUSTRY_DEPARTMENT' stays in the role type.
