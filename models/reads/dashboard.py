"""Reads for the dashboard's overview beyond `models.reads.status`: the area's totals and
each township's cases for the chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from models.core.case import Status
from models.core.publicity import ObjectionStatus
from models.core.regions import Level, prefix
from models.door.cases import CASE, RECORD
from models.door.engine import OBJECTION
from models.reads.status import REGION, Filters, where_filters


def case_count(session: Session, filters: Filters) -> int:
    """How many cases the filters select."""
    return int(session.scalar(where_filters(select(func.count()).select_from(CASE), filters)) or 0)


def overdue_count(session: Session, region: str, now: datetime) -> int:
    """Active cases of the area whose current stage is past its due time."""
    query = (select(func.count()).select_from(CASE)
             .join(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None)))
             .where(CASE.c.village_code.startswith(region), CASE.c.status == Status.ACTIVE, RECORD.c.due_at <= now))
    return int(session.scalar(query) or 0)


def open_objection_count(session: Session, region: str) -> int:
    """Objections of the area's cases still waiting for verification."""
    query = (select(func.count()).select_from(OBJECTION).join(CASE, CASE.c.id == OBJECTION.c.case_id)
             .where(CASE.c.village_code.startswith(region), OBJECTION.c.status == ObjectionStatus.OPEN))
    return int(session.scalar(query) or 0)


@dataclass(frozen=True)
class TownshipLoad:
    """A township's cases for the overview's chart: active (of which overdue) and finished."""

    name: str
    active: int
    overdue: int
    finished: int


def by_township(session: Session, region: str, now: datetime) -> list[TownshipLoad]:
    """Each township of the area with cases, by its code."""
    township = func.substr(CASE.c.village_code, 1, 9)
    counts: dict[str, dict[str, int]] = {}
    for code, status, count in session.execute(
        select(township, CASE.c.status, func.count()).where(CASE.c.village_code.startswith(region))
        .group_by(township, CASE.c.status)
    ).tuples():
        counts.setdefault(code, {}).setdefault("active" if status == Status.ACTIVE else "finished", 0)
        counts[code]["active" if status == Status.ACTIVE else "finished"] += count
    for code, count in session.execute(
        select(township, func.count()).select_from(CASE)
        .join(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None)))
        .where(CASE.c.village_code.startswith(region), CASE.c.status == Status.ACTIVE, RECORD.c.due_at <= now)
        .group_by(township)
    ).tuples():
        counts.setdefault(code, {})["overdue"] = count
    codes = {prefix(code, Level.TOWNSHIP).ljust(12, "0"): code for code in counts}
    names = dict(session.execute(
        select(REGION.c.code, REGION.c.name).where(REGION.c.code.in_(list(codes)))).tuples().all())
    return [TownshipLoad(names.get(full, code), counts[code].get("active", 0), counts[code].get("overdue", 0),
                         counts[code].get("finished", 0)) for full, code in sorted(codes.items())]
