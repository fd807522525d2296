"""rectification: checklist items, findings and reported fixes; the responsible unit's role

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-23 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL keeps enum values in the type; SQLite stores the name as text.
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'RECTIFICATION_UNIT'")
    op.create_table(
        "rectificationitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fix", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("units_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("province", "year", "code"),
    )
    op.create_table(
        "rectificationfinding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("village_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("found", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("found_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["rectificationitem.id"]),
        sa.ForeignKeyConstraint(["village_code"], ["region.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )
    with op.batch_alter_table("rectificationfinding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rectificationfinding_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rectificationfinding_unit"), ["unit"], unique=False)
        batch_op.create_index(batch_op.f("ix_rectificationfinding_village_code"), ["village_code"], unique=False)

    op.create_table(
        "rectificationfix",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("stage_record_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("evidence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["finding_id"], ["rectificationfinding.id"]),
        sa.ForeignKeyConstraint(["stage_record_id"], ["stagerecord.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rectificationfix", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rectificationfix_finding_id"), ["finding_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rectificationfix", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectificationfix_finding_id"))
    op.drop_table("rectificationfix")
    with op.batch_alter_table("rectificationfinding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectificationfinding_village_code"))
        batch_op.drop_index(batch_op.f("ix_rectificationfinding_unit"))
        batch_op.drop_index(batch_op.f("ix_rectificationfinding_item_id"))
    op.drop_table("rectificationfinding")
    op.drop_table("rectificationitem")
    # The role value stays: PostgreSQL cannot drop one value of an enum type.
