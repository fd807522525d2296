"""Reads for the dashboard's overview beyond `models.status`: the area's totals, the windows closing soon, and
each township's cases for the chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlmodel import Session

from models.case import Status
from models.cases import CASE, RECORD
from models.chain import chain_named
from models.clock import days_left
from models.engine import OBJECTION, WINDOW, WINDOW_CASE
from models.publicity import ObjectionStatus
from models.regions import Level, prefix
from models.status import REGION, Filters, where_filters


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
class Closing:
    """An open publicity window of the area closing soon: where, when, how many of the area's cases it holds."""

    window_id: int
    place: str
    ends_at: datetime
    days_left: int
    cases: int
    chain: str  # the chain's name


def windows_closing(session: Session, region: str, now: datetime, within: timedelta) -> list[Closing]:
    """Open windows holding cases of the area that end within `within` (or are already due), soonest first."""
    rows = session.execute(
        select(WINDOW.c.id, REGION.c.name, WINDOW.c.ends_at, func.count(CASE.c.id), func.min(CASE.c.chain))
        .join(WINDOW_CASE, WINDOW_CASE.c.window_id == WINDOW.c.id)
        .join(RECORD, RECORD.c.id == WINDOW_CASE.c.stage_record_id)
        .join(CASE, CASE.c.id == RECORD.c.case_id)
        .join(REGION, REGION.c.code == WINDOW.c.scope_code)
        .where(WINDOW.c.closed_at.is_(None), WINDOW.c.ends_at <= now + within, CASE.c.village_code.startswith(region))
        .group_by(WINDOW.c.id, REGION.c.name, WINDOW.c.ends_at).order_by(WINDOW.c.ends_at, WINDOW.c.id)
    ).tuples().all()
    return [Closing(r[0], r[1], r[2], max(0, days_left(r[2], now)), r[3], chain_named(r[4]).name) for r in rows]


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
