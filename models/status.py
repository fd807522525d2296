"""Reads for "where is each case": counts by stage and a page of cases with deadlines and windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from models.case import Case, StageRecord, Status
from models.chain import chain_named
from models.clock import days_left
from models.household import Household
from models.publicity import Objection, ObjectionStatus, Window, WindowCase
from models.regions import Region


@dataclass(frozen=True)
class CaseLine:
    case_id: int
    household: str
    head: str
    village: str
    stage: str
    status: str
    due_at: datetime | None
    overdue: bool
    window_days_left: int | None
    open_objections: int


@dataclass(frozen=True)
class Filters:
    region: str = ""  # code prefix: a township "430121101", or a full code
    stage: str | None = None
    status: str | None = None
    chain: str = "HOUSEHOLD_EXIT"
    year: int | None = None


def _where(query, filters: Filters):  # type: ignore[no-untyped-def]
    query = query.where(Case.chain == filters.chain, Case.village_code.startswith(filters.region))  # type: ignore[attr-defined]
    if filters.stage:
        query = query.where(Case.stage == filters.stage)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.year:
        query = query.where(Case.year == filters.year)
    return query


def counts_by_stage(session: Session, filters: Filters) -> list[tuple[str, str, int]]:
    """(stage, status, count) in the chain's stage order."""
    chain = chain_named(filters.chain)
    rows = session.execute(
        _where(select(Case.stage, Case.status, func.count()), filters).group_by(Case.stage, Case.status)
    ).all()
    order = {s.code: i for i, s in enumerate(chain.stages)}
    return sorted(((r[0], r[1], r[2]) for r in rows), key=lambda r: (order.get(r[0], 99), r[1]))


def case_page(session: Session, filters: Filters, now: datetime, *, limit: int = 20, offset: int = 0) -> list[CaseLine]:
    """A page of cases, soonest due first, with days left in an open window and open objections."""
    record = StageRecord
    query = _where(
        select(Case.id, Household.number, Household.head_name, Region.name, Case.stage, Case.status,
               record.due_at, record.id)
        .join(Household, Household.id == Case.household_id)  # type: ignore[arg-type]
        .join(Region, Region.code == Case.village_code)  # type: ignore[arg-type]
        .outerjoin(record, and_(record.case_id == Case.id, record.left_at.is_(None))),  # type: ignore[union-attr]
        filters,
    ).order_by(record.due_at.is_(None), record.due_at, Case.id).limit(limit).offset(offset)  # type: ignore[union-attr]
    rows = session.execute(query).all()
    record_ids = [r[7] for r in rows if r[7] is not None]
    ends = dict(session.execute(
        select(WindowCase.stage_record_id, Window.ends_at)
        .join(Window, Window.id == WindowCase.window_id)  # type: ignore[arg-type]
        .where(WindowCase.stage_record_id.in_(record_ids), Window.closed_at.is_(None))  # type: ignore[attr-defined]
    ).tuples().all())
    objections = dict(session.execute(
        select(Objection.case_id, func.count()).where(
            Objection.case_id.in_([r[0] for r in rows]), Objection.status == ObjectionStatus.OPEN  # type: ignore[attr-defined]
        ).group_by(Objection.case_id)
    ).tuples().all())
    chain = chain_named(filters.chain)
    return [
        CaseLine(
            case_id=r[0], household=r[1], head=r[2], village=r[3], stage=chain.stage(r[4]).name, status=r[5],
            due_at=r[6], overdue=bool(r[6] and r[5] == Status.ACTIVE and r[6] <= now),
            window_days_left=days_left(ends[r[7]], now) if r[7] in ends else None,
            open_objections=objections.get(r[0], 0),
        )
        for r in rows
    ]
