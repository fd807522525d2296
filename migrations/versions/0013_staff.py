"""staff: every person has a unique login (existing people get their name, which was unique), a phone and an
active flag; names may repeat; the county administrator's role

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL keeps enum values in the type; SQLite stores the name as text.
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'COUNTY_ADMIN'")
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE actor SET login = name")
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.alter_column("login", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False)
        batch_op.alter_column("phone", server_default=None)
        batch_op.alter_column("active", server_default=None)
        batch_op.drop_index(batch_op.f("ix_actor_name"))
        batch_op.create_index(batch_op.f("ix_actor_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_actor_login"), ["login"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_login"))
        batch_op.drop_index(batch_op.f("ix_actor_name"))
        batch_op.create_index(batch_op.f("ix_actor_name"), ["name"], unique=True)
        batch_op.drop_column("active")
        batch_op.drop_column("phone")
        batch_op.drop_column("login")
