"""Reads for "where is each case", over every chain or one: counts by stage and a page of cases with
deadlines and windows. A household's case shows its household; a village's case (household None) its village."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlmodel import Session

from models.core.case import Status
from models.core.clock import days_left
from models.core.household import Household, Member
from models.core.publicity import ObjectionStatus
from models.core.regions import Region
from models.door.cases import CASE, RECORD
from models.door.chain import all_chains, chain_named
from models.door.engine import OBJECTION, WINDOW, WINDOW_CASE

HOUSEHOLD = Household.__table__  # type: ignore[attr-defined]
REGION = Region.__table__  # type: ignore[attr-defined]
MEMBER = Member.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CaseLine:
    case_id: int
    chain: str  # the chain's name
    household: str
    head: str
    village: str
    stage: str
    status: str
    status_name: str  # in words, with the chain's name for a finished case
    due_at: datetime | None
    overdue: bool
    window_days_left: int | None
    open_objections: int


@dataclass(frozen=True)
class Filters:
    region: str = ""  # code prefix: a township "430121101", or a full code
    stage: str | None = None
    status: str | None = None
    chain: str | None = None  # a chain's code; None: every chain
    year: int | None = None
    search: str = ""  # part of a household head's or member's name, the household number, or an ID's last digits
    due_before: datetime | None = None  # active cases whose current stage is due at or before this moment


def where_filters(query: Select[Any], filters: Filters) -> Select[Any]:
    """The query narrowed to the cases the filters select (region prefix, chain, stage, status, year)."""
    query = query.where(CASE.c.village_code.startswith(filters.region))
    if filters.chain:
        query = query.where(CASE.c.chain == chain_named(filters.chain).code)
    if filters.stage:
        query = query.where(CASE.c.stage == filters.stage)
    if filters.status:
        query = query.where(CASE.c.status == filters.status)
    if filters.year:
        query = query.where(CASE.c.year == filters.year)
    if filters.search.strip():
        query = query.where(CASE.c.household_id.in_(_households_matching(filters.search.strip(), filters.region)))
    if filters.due_before is not None:
        due = select(RECORD.c.case_id).where(RECORD.c.left_at.is_(None), RECORD.c.due_at <= filters.due_before)
        query = query.where(CASE.c.status == Status.ACTIVE, CASE.c.id.in_(due))
    return query


def _households_matching(text: str, region: str) -> Select[Any]:
    """Households of the region whose head or a member has `text` in their name, whose number is `text`, or (for
    digits) a member whose ID number ends with them."""
    members = MEMBER.c.name.contains(text, autoescape=True)
    digits = text.upper()
    if digits.rstrip("X").isdigit() and digits.count("X") <= 1:
        members = or_(members, MEMBER.c.resident_id.endswith(digits, autoescape=True))
    return select(HOUSEHOLD.c.id).where(HOUSEHOLD.c.village_code.startswith(region), or_(
        HOUSEHOLD.c.head_name.contains(text, autoescape=True), HOUSEHOLD.c.number == text,
        HOUSEHOLD.c.id.in_(select(MEMBER.c.household_id).where(members)),
    ))


def counts_by_stage(session: Session, filters: Filters) -> list[tuple[str, str, str, int]]:
    """(chain, stage, status, count) in the order chains are registered, then each chain's stage order."""
    rows = session.execute(
        where_filters(select(CASE.c.chain, CASE.c.stage, CASE.c.status, func.count()), filters)
        .group_by(CASE.c.chain, CASE.c.stage, CASE.c.status)
    ).tuples().all()
    order = {(c.code, s.code): (i, j) for i, c in enumerate(all_chains()) for j, s in enumerate(c.stages)}
    return sorted(((r[0], r[1], r[2], r[3]) for r in rows), key=lambda r: (*order.get((r[0], r[1]), (99, 99)), r[2]))


def case_page(session: Session, filters: Filters, now: datetime, *, limit: int = 20, offset: int = 0) -> list[CaseLine]:
    """A page of cases, soonest due first, with days left in an open window and open objections."""
    query = where_filters(
        select(CASE.c.id, HOUSEHOLD.c.number, HOUSEHOLD.c.head_name, REGION.c.name, CASE.c.stage, CASE.c.status,
               RECORD.c.due_at, RECORD.c.id, CASE.c.chain)
        .outerjoin(HOUSEHOLD, HOUSEHOLD.c.id == CASE.c.household_id)
        .join(REGION, REGION.c.code == CASE.c.village_code)
        .outerjoin(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None))),
        filters,
    ).order_by(RECORD.c.due_at.is_(None), RECORD.c.due_at, CASE.c.id).limit(limit).offset(offset)
    rows = session.execute(query).tuples().all()
    record_ids = [r[7] for r in rows if r[7] is not None]
    ends = dict(session.execute(
        select(WINDOW_CASE.c.stage_record_id, WINDOW.c.ends_at)
        .join(WINDOW, WINDOW.c.id == WINDOW_CASE.c.window_id)
        .where(WINDOW_CASE.c.stage_record_id.in_(record_ids), WINDOW.c.closed_at.is_(None))
    ).tuples().all())
    objections = dict(session.execute(
        select(OBJECTION.c.case_id, func.count()).where(
            OBJECTION.c.case_id.in_([r[0] for r in rows]), OBJECTION.c.status == ObjectionStatus.OPEN
        ).group_by(OBJECTION.c.case_id)
    ).tuples().all())
    return [
        CaseLine(
            case_id=r[0], chain=chain_named(r[8]).name, household=r[1] or "", head=r[2] or "", village=r[3],
            stage=chain_named(r[8]).stage(r[4]).name, status=r[5], status_name=chain_named(r[8]).status_name(r[5]),
            due_at=r[6], overdue=bool(r[6] and r[5] == Status.ACTIVE and r[6] <= now),
            window_days_left=days_left(ends[r[7]], now) if r[7] in ends else None,
            open_objections=objections.get(r[0], 0),
        )
        for r in rows
    ]
