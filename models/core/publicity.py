"""Publicity windows (公示/公告) stored as rows, and the objections (异议) raised against cases."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class Window(SQLModel, table=True):
    """A notice posted for a list of cases of one scope, open from `opened_at` until `ends_at`."""

    id: int | None = Field(default=None, primary_key=True)
    chain: str
    year: int
    stage: str
    scope_code: str = Field(foreign_key="region.code", index=True)
    opened_at: datetime
    ends_at: datetime = Field(index=True)
    closed_at: datetime | None = None


class WindowCase(SQLModel, table=True):
    window_id: int = Field(foreign_key="window.id", primary_key=True)
    case_id: int = Field(foreign_key="case.id", primary_key=True, index=True)
    stage_record_id: int = Field(foreign_key="stagerecord.id", index=True)


class ObjectionStatus(StrEnum):
    OPEN = "OPEN"
    DISMISSED = "DISMISSED"
    UPHELD = "UPHELD"


OBJECTION_NAMES = {ObjectionStatus.OPEN: "待核实", ObjectionStatus.DISMISSED: "不成立", ObjectionStatus.UPHELD: "成立"}


class Objection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    window_id: int | None = Field(default=None, foreign_key="window.id")
    raised_by: str = Field(description="who objected, as they gave their name")
    raised_at: datetime
    content: str
    status: ObjectionStatus = ObjectionStatus.OPEN
    resolved_by: int | None = Field(default=None, foreign_key="actor.id")
    resolved_at: datetime | None = None
    resolution: str = ""
