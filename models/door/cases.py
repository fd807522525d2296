"""Reading cases for the door and the machine, and opening new ones in a chain's first stage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from models.core import audit
from models.core.actors import Actor
from models.core.bulk import fetch_in, from_db
from models.core.case import Case, StageRecord, Status
from models.core.clock import deadline, last_day, local_date
from models.core.errors import InvalidInput
from models.core.regions import Level, Region
from models.core.workdays import PROVISIONAL_NOTE, default_calendar, workday_deadline
from models.door.chain import CaseRow, Stage, chain_named
from models.policy.loading import Policy, policy_for

CASE = Case.__table__  # type: ignore[attr-defined]
RECORD = StageRecord.__table__  # type: ignore[attr-defined]


def load_rows(session: Session, case_ids: Iterable[int]) -> dict[int, CaseRow]:
    """Cases with their open stage record, by case id (whatever order the database returns them in)."""
    opened = from_db(session, RECORD.c.opened_at)
    found = {r[0]: r for r in fetch_in(
        session,
        "SELECT c.id, c.chain, c.year, c.stage, c.status, c.version, c.village_code, c.household_id, r.id,"
        " r.opened_at, r.outcome FROM {case} AS c LEFT OUTER JOIN {record} AS r"
        " ON r.case_id = c.id AND r.left_at IS NULL WHERE c.id IN ({ids})",
        list(dict.fromkeys(case_ids)), {"case": CASE, "record": RECORD},
    )}
    return {
        i: CaseRow(id=r[0], chain=r[1], year=r[2], stage=r[3], status=r[4], version=r[5], village_code=r[6],
                   household_id=r[7], record_id=r[8], record_opened_at=opened(r[9]), record_outcome=r[10])
        for i, r in sorted(found.items())
    }


def open_case_rows(session: Session, chain: str, year: int | None, stage: str, scope_prefix: str) -> list[CaseRow]:
    """Active cases at a stage (of one year, or every year) whose village code starts with the scope's prefix."""
    query = select(CASE.c.id).where(
        CASE.c.chain == chain, CASE.c.stage == stage, CASE.c.status == Status.ACTIVE,
        CASE.c.village_code.startswith(scope_prefix),
    )
    if year is not None:
        query = query.where(CASE.c.year == year)
    ids = session.execute(query.order_by(CASE.c.id)).scalars().all()
    return list(load_rows(session, ids).values())


def hold_scope(session: Session, chain: str, year: int, scope_prefix: str) -> None:
    """Lock the chain's cases of the year in the scope until the transaction ends, in id order.

    The machine's steps (post notices, draw samples, render letters) first read what is still to do, then do it.
    Two runs over the same scope at once would both read "not done yet" and both do it; holding the scope first
    makes the second wait for the first to commit, and what it reads afterwards includes what the first did.
    PostgreSQL: SELECT ... FOR UPDATE. SQLite: a write that changes nothing takes the database's write lock
    (its reads see the newest commit once the transaction holds that lock).
    """
    where = (CASE.c.chain == chain, CASE.c.year == year, CASE.c.village_code.startswith(scope_prefix))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(CASE).where(*where).values(version=CASE.c.version))
    else:
        session.execute(select(CASE.c.id).where(*where).order_by(CASE.c.id).with_for_update())


def due_at(policy: Policy, stage: Stage, opened: datetime) -> datetime | None:
    """When a stage visit opened at `opened` is due, by the policy's deadline in calendar days or in working
    days (counted alike from the day after opening, to 24:00 office time); None: no deadline."""
    workdays = policy.deadline_workdays.get(stage.code)
    if workdays is not None:
        return workday_deadline(opened, workdays).at
    days = policy.deadlines.get(stage.code)
    return deadline(opened, days) if days is not None else None


def due_note(policy: Policy, stage_code: str, opened: datetime, due: datetime | None) -> str:
    """What to print beside a due date: the provisional note when a working-day limit reaches a year whose
    holiday arrangement is not known yet (reckoned on weekends alone), otherwise nothing."""
    if due is None or stage_code not in policy.deadline_workdays:
        return ""
    known = default_calendar().span_known(local_date(opened), last_day(due))
    return "" if known else PROVISIONAL_NOTE


def new_records(rows: Sequence[CaseRow], stage: Stage, now: datetime) -> list[dict[str, object]]:
    """Stage records for these cases entering `stage` now, with the deadline of each case's policy."""
    dues = {key: due_at(policy_for(key[0].ljust(12, "0"), key[1]), stage, now)
            for key in {(r.village_code[:2], r.year) for r in rows}}
    return [{"case_id": r.id, "stage": stage.code, "opened_at": now, "due_at": dues[(r.village_code[:2], r.year)],
             "reason": ""} for r in rows]


def open_cases(*, session: Session, chain: str, year: int, household_ids: Sequence[int], now: datetime,
               actor: Actor) -> list[int]:
    """Open a case in the chain's first stage for each household that has none this year (the caller commits)."""
    from models.core.household import Household

    first = chain_named(chain).first
    households = session.execute(
        select(Household.id, Household.number, Household.village_code)  # type: ignore[call-overload]
        .where(col(Household.id).in_(household_ids)).order_by(col(Household.id))
    ).tuples().all()
    if len(households) != len(set(household_ids)):
        missing = set(household_ids) - {h[0] for h in households}
        raise InvalidInput("立案", "户ID", sorted(missing)[0], "没有这一户")
    existing = set(session.execute(
        select(CASE.c.household_id).where(CASE.c.chain == chain, CASE.c.year == year,
                                          CASE.c.household_id.in_(list(household_ids)))
    ).scalars())
    fresh = [h for h in households if h[0] not in existing]
    for _, number, village in fresh:
        if not actor.covers(village):
            raise InvalidInput(f"户{number}", "村", village, f"不在{actor.title()}的辖区内")
    if not fresh:
        return []
    session.execute(insert(CASE), [
        {"chain": chain, "year": year, "household_id": hid, "village_code": village, "stage": first.code,
         "status": Status.ACTIVE, "version": 1, "opened_at": now} for hid, _, village in fresh
    ])
    ids = dict(session.execute(
        select(CASE.c.household_id, CASE.c.id).where(CASE.c.chain == chain, CASE.c.year == year,
                                                     CASE.c.household_id.in_([h[0] for h in fresh]))
    ).tuples().all())
    rows = load_rows(session, ids.values())
    session.execute(insert(RECORD), new_records(list(rows.values()), first, now))
    audit.append(session, [audit.Event(now, actor.name, f"{chain}.OPEN", case_id, {"stage": first.code})
                           for case_id in rows])
    return [ids[h[0]] for h in fresh]


def open_village_cases(*, session: Session, chain: str, year: int, village_codes: Sequence[str], now: datetime,
                       actor: Actor) -> list[int]:
    """Open a case in a village chain's first stage for each village that has none this year (the caller commits)."""
    first = chain_named(chain).first
    codes = list(dict.fromkeys(village_codes))
    villages = set(session.execute(
        select(col(Region.code)).where(col(Region.code).in_(codes), col(Region.level) == Level.VILLAGE)
    ).scalars())
    for code in codes:
        if code not in villages:
            raise InvalidInput("立案", "村区划代码", code, "不是已登记的行政村代码")
        if not actor.covers(code):
            raise InvalidInput(f"村{code}", "村", code, f"不在{actor.title()}的辖区内")
    existing = set(session.execute(
        select(CASE.c.village_code).where(CASE.c.chain == chain, CASE.c.year == year, CASE.c.household_id.is_(None),
                                          CASE.c.village_code.in_(codes))
    ).scalars())
    fresh = [code for code in codes if code not in existing]
    if not fresh:
        return []
    session.execute(insert(CASE), [
        {"chain": chain, "year": year, "household_id": None, "village_code": code, "stage": first.code,
         "status": Status.ACTIVE, "version": 1, "opened_at": now} for code in fresh
    ])
    ids = dict(session.execute(
        select(CASE.c.village_code, CASE.c.id).where(CASE.c.chain == chain, CASE.c.year == year,
                                                     CASE.c.household_id.is_(None), CASE.c.village_code.in_(fresh))
    ).tuples().all())
    rows = load_rows(session, ids.values())
    session.execute(insert(RECORD), new_records(list(rows.values()), first, now))
    audit.append(session, [audit.Event(now, actor.name, f"{chain}.OPEN", case_id, {"stage": first.code})
                           for case_id in rows])
    return [ids[code] for code in fresh]
