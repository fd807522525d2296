"""The due-soon digest of an office: stage visits overdue or due within a few days, publicity windows about to
close and objections still open, grouped by chain and stage, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlmodel import Session

from models.core.actors import Actor, Role
from models.core.case import Status
from models.core.clock import days_left, last_day, local_date
from models.core.publicity import ObjectionStatus
from models.core.regions import Level, prefix
from models.door.cases import CASE, RECORD
from models.door.chain import all_chains, chain_named
from models.door.engine import OBJECTION, WINDOW, WINDOW_CASE
from models.reads.status import HOUSEHOLD, REGION

ACTOR = Actor.__table__  # type: ignore[attr-defined]
OFFICE_ROLES = (Role.TOWNSHIP_GOVERNMENT, Role.COUNTY_GOVERNMENT)


@dataclass(frozen=True)
class DueCase:
    case_id: int
    household: str  # the household's number ("" for a village's case)
    head: str
    village: str
    due_at: datetime
    overdue: bool
    days: int  # overdue: calendar days past the last day; otherwise calendar days left, today included
    open_objections: int

    @property
    def due_day(self) -> date:
        """The last calendar day of the stage's time (deadlines end at 24:00 office time)."""
        return last_day(self.due_at)


@dataclass(frozen=True)
class StageDue:
    """The due cases of one stage of one chain, soonest due (so the overdue ones) first."""

    chain: str  # codes, for links to the case list
    stage: str
    chain_name: str
    stage_name: str
    cases: tuple[DueCase, ...]

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.cases)

    @property
    def soon(self) -> int:
        return len(self.cases) - self.overdue


@dataclass(frozen=True)
class ClosingWindow:
    """A publicity window still open whose last day falls within the digest's days (or has already passed)."""

    id: int
    chain_name: str
    stage_name: str
    scope: str  # the region it is posted in
    ends_at: datetime
    ended: bool  # its time is up and the sweep has not closed it yet
    days_left: int
    cases: int
    open_objections: int

    @property
    def closing_day(self) -> date:
        """The window's last calendar day (it closes at 24:00 office time)."""
        return last_day(self.ends_at)


@dataclass(frozen=True)
class OpenObjection:
    id: int
    case_id: int
    chain_name: str
    stage_name: str
    household: str
    head: str
    village: str
    raised_by: str
    raised_at: datetime
    content: str


@dataclass(frozen=True)
class Digest:
    region: str  # the region code prefix it covers ("" for everything)
    office: str  # the region's name, e.g. 示范镇
    now: datetime
    days: int
    until: datetime  # due at or before this moment counts as due soon
    stages: tuple[StageDue, ...]
    windows: tuple[ClosingWindow, ...]
    objections: tuple[OpenObjection, ...]

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.stages)

    @property
    def soon(self) -> int:
        return sum(s.soon for s in self.stages)

    @property
    def empty(self) -> bool:
        return not (self.stages or self.windows or self.objections)


@dataclass(frozen=True)
class Office:
    """A township or county government, the scope of one digest."""

    code: str  # the region's 12-digit code
    region: str  # its code prefix
    name: str
    level: Level


def overdue_days(due_at: datetime, now: datetime) -> int:
    """Calendar days since the last day of a period that ended at `due_at` (1 on the day after it)."""
    return max(1, (local_date(now) - last_day(due_at)).days)


def _stage_order() -> dict[tuple[str, str], tuple[int, int]]:
    return {(c.code, s.code): (i, j) for i, c in enumerate(all_chains()) for j, s in enumerate(c.stages)}


def _due_stages(session: Session, region: str, now: datetime, until: datetime) -> tuple[StageDue, ...]:
    """Active cases of the region whose open stage visit is due by `until`, grouped by chain and stage."""
    objections = (select(func.count()).select_from(OBJECTION)
                  .where(OBJECTION.c.case_id == CASE.c.id, OBJECTION.c.status == ObjectionStatus.OPEN)
                  .scalar_subquery())
    rows = session.execute(
        select(CASE.c.id, CASE.c.chain, CASE.c.stage, RECORD.c.due_at, HOUSEHOLD.c.number, HOUSEHOLD.c.head_name,
               REGION.c.name, objections)
        .join(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None)))
        .join(REGION, REGION.c.code == CASE.c.village_code)
        .outerjoin(HOUSEHOLD, HOUSEHOLD.c.id == CASE.c.household_id)
        .where(CASE.c.village_code.startswith(region), CASE.c.status == Status.ACTIVE, RECORD.c.due_at <= until)
        .order_by(RECORD.c.due_at, CASE.c.id)
    ).tuples().all()
    grouped: dict[tuple[str, str], list[DueCase]] = {}
    for case_id, chain, stage, due, number, head, village, objected in rows:
        late = due <= now
        grouped.setdefault((chain, stage), []).append(DueCase(
            case_id=case_id, household=number or "", head=head or "", village=village, due_at=due, overdue=late,
            days=overdue_days(due, now) if late else days_left(due, now), open_objections=int(objected or 0),
        ))
    order = _stage_order()
    stages = [
        StageDue(chain=chain, stage=stage, chain_name=chain_named(chain).name,
                 stage_name=chain_named(chain).stage(stage).name, cases=tuple(cases))
        for (chain, stage), cases in grouped.items()
    ]
    # Stages with overdue cases first, then the chains' and stages' own order.
    return tuple(sorted(stages, key=lambda s: (s.overdue == 0, *order.get((s.chain, s.stage), (99, 99)))))


def closing_windows(session: Session, region: str, now: datetime, until: datetime) -> tuple[ClosingWindow, ...]:
    """Open windows posted in the region whose end falls by `until`, soonest first."""
    cases = (select(func.count()).select_from(WINDOW_CASE).where(WINDOW_CASE.c.window_id == WINDOW.c.id)
             .scalar_subquery())
    objections = (select(func.count()).select_from(OBJECTION)
                  .where(OBJECTION.c.window_id == WINDOW.c.id, OBJECTION.c.status == ObjectionStatus.OPEN)
                  .scalar_subquery())
    rows = session.execute(
        select(WINDOW.c.id, WINDOW.c.chain, WINDOW.c.stage, REGION.c.name, WINDOW.c.ends_at, cases, objections)
        .join(REGION, REGION.c.code == WINDOW.c.scope_code)
        .where(WINDOW.c.scope_code.startswith(region), WINDOW.c.closed_at.is_(None), WINDOW.c.ends_at <= until)
        .order_by(WINDOW.c.ends_at, WINDOW.c.id)
    ).tuples().all()
    return tuple(
        ClosingWindow(id=r[0], chain_name=chain_named(r[1]).name, stage_name=chain_named(r[1]).stage(r[2]).name,
                      scope=r[3], ends_at=r[4], ended=r[4] <= now, days_left=days_left(r[4], now),
                      cases=int(r[5] or 0), open_objections=int(r[6] or 0))
        for r in rows
    )


def _open_objections(session: Session, region: str) -> tuple[OpenObjection, ...]:
    """Objections on the region's cases still waiting for verification, oldest first."""
    rows = session.execute(
        select(OBJECTION.c.id, CASE.c.id, CASE.c.chain, CASE.c.stage, HOUSEHOLD.c.number, HOUSEHOLD.c.head_name,
               REGION.c.name, OBJECTION.c.raised_by, OBJECTION.c.raised_at, OBJECTION.c.content)
        .join(CASE, CASE.c.id == OBJECTION.c.case_id)
        .join(REGION, REGION.c.code == CASE.c.village_code)
        .outerjoin(HOUSEHOLD, HOUSEHOLD.c.id == CASE.c.household_id)
        .where(CASE.c.village_code.startswith(region), OBJECTION.c.status == ObjectionStatus.OPEN)
        .order_by(OBJECTION.c.raised_at, OBJECTION.c.id)
    ).tuples().all()
    return tuple(
        OpenObjection(id=r[0], case_id=r[1], chain_name=chain_named(r[2]).name,
                      stage_name=chain_named(r[2]).stage(r[3]).name, household=r[4] or "", head=r[5] or "",
                      village=r[6], raised_by=r[7], raised_at=r[8], content=r[9])
        for r in rows
    )


def office_name(session: Session, region: str) -> str:
    """The name of the region a code prefix stands for (全部辖区 for the empty prefix or an unknown one)."""
    name = session.scalar(select(REGION.c.name).where(REGION.c.code == region.ljust(12, "0"))) if region else None
    return str(name) if name else "全部辖区"


def digest(session: Session, region_prefix: str, now: datetime, days: int = 3) -> Digest:
    """What the region has due: stage visits overdue or due by now + `days` days (that moment included), windows
    closing by then, open objections. Four queries, however many cases."""
    if days < 0:
        raise ValueError("days must not be negative")
    until = now + timedelta(days=days)
    return Digest(
        region=region_prefix, office=office_name(session, region_prefix), now=now, days=days, until=until,
        stages=_due_stages(session, region_prefix, now, until),
        windows=closing_windows(session, region_prefix, now, until),
        objections=_open_objections(session, region_prefix),
    )


def offices(session: Session, scope: str = "") -> list[Office]:
    """The township and county governments registered as actors (their regions), inside `scope`, by code."""
    governed = select(ACTOR.c.region_code).where(ACTOR.c.role.in_(OFFICE_ROLES))
    rows = session.execute(
        select(REGION.c.code, REGION.c.name, REGION.c.level)
        .where(REGION.c.code.in_(governed), REGION.c.code.startswith(scope)).order_by(REGION.c.code)
    ).tuples().all()
    return [Office(code=code, region=prefix(code, Level(level)), name=name, level=Level(level))
            for code, name, level in rows]


def offices_with_work(session: Session, now: datetime, days: int = 3, scope: str = "") -> list[Office]:
    """The offices (inside `scope`) whose digest would not be empty. Four queries, however many offices."""
    until = now + timedelta(days=days)
    due = select(CASE.c.village_code).distinct().join(
        RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None))
    ).where(CASE.c.status == Status.ACTIVE, RECORD.c.due_at <= until, CASE.c.village_code.startswith(scope))
    posted = select(WINDOW.c.scope_code).distinct().where(WINDOW.c.closed_at.is_(None), WINDOW.c.ends_at <= until)
    objected = select(CASE.c.village_code).distinct().join(OBJECTION, OBJECTION.c.case_id == CASE.c.id).where(
        OBJECTION.c.status == ObjectionStatus.OPEN, CASE.c.village_code.startswith(scope))
    codes = {str(c) for query in (due, posted, objected) for c in session.execute(query).scalars()}
    return [o for o in offices(session, scope) if any(code.startswith(o.region) for code in codes)]
