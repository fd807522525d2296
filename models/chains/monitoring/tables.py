"""The tables of monitoring and assistance 防止返贫监测和帮扶 (seed 003): the yearly campaign and its dated phases,
the monthly rounds with what each household was found to lack, the warnings, and each warning's assignment to an
industry department with its working-day time limit, close-out request (销号申请) and the township's verification.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class MonitoringCampaign(SQLModel, table=True):
    """One region's (a township's or a county's) campaign of one year."""

    __table_args__ = (UniqueConstraint("region_code", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(foreign_key="region.code")
    year: int
    name: str
    actor_id: int = Field(foreign_key="actor.id")
    created_at: datetime


class MonitoringPhase(SQLModel, table=True):
    """A dated phase of a campaign (both days included); monthly rounds are held in the `monthly` phases."""

    __table_args__ = (UniqueConstraint("campaign_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="monitoringcampaign.id", index=True)
    position: int
    code: str
    name: str
    starts_on: date
    ends_on: date
    monthly: bool


class MonitoringRound(SQLModel, table=True):
    """One month's dynamic monitoring of a village's monitored households (每月一次动态监测)."""

    __table_args__ = (UniqueConstraint("campaign_id", "village_code", "month"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="monitoringcampaign.id", index=True)
    phase_id: int = Field(foreign_key="monitoringphase.id")
    village_code: str = Field(foreign_key="region.code")
    month: int
    held_on: date
    actor_id: int = Field(foreign_key="actor.id")
    recorded_at: datetime


class MonitoringObservation(SQLModel, table=True):
    """What a round found of one household: the six items of 两不愁三保障一安全 (home_checks.standards.GUARANTEES)."""

    round_id: int = Field(foreign_key="monitoringround.id", primary_key=True)
    household_id: int = Field(foreign_key="household.id", primary_key=True)
    food: bool
    clothing: bool
    housing: bool
    medical: bool
    education: bool
    water: bool


class MonitoringWarning(SQLModel, table=True):
    """A missing guarantee of a household found by a round (预警); its case is the household's case of the year."""

    __table_args__ = (UniqueConstraint("round_id", "household_id", "guarantee"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="monitoringround.id", index=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True,
                                description="None: the household's case of the year is already closed")
    guarantee: str
    raised_at: datetime


class MonitoringAssignment(SQLModel, table=True):
    """A warning handed to an industry department (交办) with its time limit, and how it was closed out."""

    id: int | None = Field(default=None, primary_key=True)
    warning_id: int = Field(foreign_key="monitoringwarning.id", unique=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    department: str = Field(description="the department's full name, e.g. 长沙县住房和城乡建设局")
    liaison_id: int = Field(foreign_key="actor.id", description="the department's person the notice goes to")
    workdays: int
    assigned_at: datetime
    due_at: datetime = Field(description="24:00 office time of the last working day, stored UTC")
    due_on: date
    provisional: bool = Field(description="the limit reaches a year whose holiday arrangement is not known yet")
    assigned_by: int = Field(foreign_key="actor.id")
    measures: str = ""
    requested_at: datetime | None = None
    verified_at: datetime | None = None
    verified_ok: bool | None = None
    verified_by: int | None = Field(default=None, foreign_key="actor.id")
    verify_note: str = ""
