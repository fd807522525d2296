"""village exit: acceptance assessments, indicator scores, county checks and their sampled households

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 22:55:08.114737
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "villageassessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("registered_population", sa.Integer(), nullable=False),
        sa.Column("poor_people", sa.Integer(), nullable=False),
        sa.Column("incidence_evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("collective_income", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("income_evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("failures", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("assessed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("villageassessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_villageassessment_case_id"), ["case_id"], unique=False)

    op.create_table(
        "villagecheck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage_record_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("village_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("wrong_exit_seed", sa.Integer(), nullable=False),
        sa.Column("wrong_exit_rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("exiting_people", sa.Integer(), nullable=False),
        sa.Column("people_required", sa.Integer(), nullable=False),
        sa.Column("missed_seed", sa.Integer(), nullable=False),
        sa.Column("missed_group", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("satisfied", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["stage_record_id"],
            ["stagerecord.id"],
        ),
        sa.ForeignKeyConstraint(
            ["village_code"],
            ["region.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stage_record_id"),
    )
    with op.batch_alter_table("villagecheck", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_villagecheck_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_villagecheck_village_code"), ["village_code"], unique=False)

    op.create_table(
        "villageindicatorscore",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("points", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["villageassessment.id"],
        ),
        sa.PrimaryKeyConstraint("assessment_id", "code"),
    )
    op.create_table(
        "villagecheckhousehold",
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("WRONG_EXIT", "MISSED", name="samplekind"), nullable=False),
        sa.Column("group_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("drawn", sa.Boolean(), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["villagecheck.id"],
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
        ),
        sa.PrimaryKeyConstraint("check_id", "household_id"),
    )


def downgrade() -> None:
    op.drop_table("villagecheckhousehold")
    op.drop_table("villageindicatorscore")
    with op.batch_alter_table("villagecheck", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_villagecheck_village_code"))
        batch_op.drop_index(batch_op.f("ix_villagecheck_case_id"))

    op.drop_table("villagecheck")
    with op.batch_alter_table("villageassessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_villageassessment_case_id"))

    op.drop_table("villageassessment")
    sa.Enum(name="samplekind").drop(op.get_bind(), checkfirst=True)
