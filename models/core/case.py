"""Cases (one subject in one chain and year) and the record of each stage they pass through."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Status(StrEnum):
    ACTIVE = "ACTIVE"
    EXITED = "EXITED"
    REJECTED = "REJECTED"


TERMINAL = {Status.EXITED, Status.REJECTED}
STATUS_NAMES = {Status.ACTIVE: "办理中", Status.EXITED: "已退出", Status.REJECTED: "未通过"}


class Outcome(StrEnum):
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"


OUTCOME_NAMES = {Outcome.APPROVED: "通过", Outcome.RETURNED: "退回", Outcome.REJECTED: "不予通过"}


class Case(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("chain", "year", "household_id"),
        Index("ix_case_scope", "chain", "year", "stage", "village_code"),
    )
    id: int | None = Field(default=None, primary_key=True)
    chain: str
    year: int
    household_id: int | None = Field(default=None, foreign_key="household.id")
    village_code: str = Field(foreign_key="region.code", index=True)
    stage: str
    status: Status = Status.ACTIVE
    version: int = 1
    opened_at: datetime


class StageRecord(SQLModel, table=True):
    """One visit of a case to a stage: when it opened and was due, the decision, when it left."""

    __table_args__ = (Index("ix_stage_record_open", "case_id", "left_at"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    stage: str
    opened_at: datetime
    due_at: datetime | None = None
    decided_at: datetime | None = None
    outcome: Outcome | None = None
    actor_id: int | None = Field(default=None, foreign_key="actor.id")
    reason: str = ""
    left_at: datetime | None = None
    overdue_at: datetime | None = Field(default=None, description="when a sweep found it past due")
