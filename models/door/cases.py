"""Reading cases for the door and the machine, and opening new ones (of households or villages) in a chain's first
stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import NamedTuple, Protocol

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from models.core import audit
from models.core.actors import Actor
from models.core.bulk import CHUNK, fetch_in, from_db
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
    # A bulk move opens its cases' records at one moment: convert each stored moment once.
    opened = cache(from_db(session, RECORD.c.opened_at))
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


def open_case_ids(session: Session, chain: str, year: int | None, stage: str, scope_prefix: str) -> list[int]:
    """Active cases at a stage (of one year, or every year) whose village code starts with the scope's prefix."""
    query = select(CASE.c.id).where(
        CASE.c.chain == chain, CASE.c.stage == stage, CASE.c.status == Status.ACTIVE,
        CASE.c.village_code.startswith(scope_prefix),
    )
    if year is not None:
        query = query.where(CASE.c.year == year)
    return list(session.execute(query.order_by(CASE.c.id)).scalars())


def open_case_rows(session: Session, chain: str, year: int | None, stage: str, scope_prefix: str) -> list[CaseRow]:
    """The rows of `open_case_ids`, in id order."""
    return list(load_rows(session, open_case_ids(session, chain, year, stage, scope_prefix)).values())


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


def lock_in_order(session: Session, case_ids: Sequence[int]) -> None:
    """Lock these cases in id order until the transaction ends.

    Two batches over the same cases then queue, where PostgreSQL, locking each row as an UPDATE reaches it in
    whatever order its plan scans, could lock them in opposite orders and deadlock. SQLite's one write lock
    serialises writers already.
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    ids = sorted(case_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        session.execute(select(CASE.c.id).where(CASE.c.id.in_(chunk)).order_by(CASE.c.id).with_for_update())


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


class Placed(Protocol):
    """What a new stage record needs of its case: the case, and the village and year that choose its policy."""

    @property
    def id(self) -> int: ...
    @property
    def village_code(self) -> str: ...
    @property
    def year(self) -> int: ...


def new_records(rows: Sequence[Placed], stage: Stage, now: datetime) -> list[dict[str, object]]:
    """Stage records for these cases entering `stage` now, with the deadline of each case's policy."""
    dues = {key: due_at(policy_for(key[0].ljust(12, "0"), key[1]), stage, now)
            for key in {(r.village_code[:2], r.year) for r in rows}}
    return [{"case_id": r.id, "stage": stage.code, "opened_at": now, "due_at": dues[(r.village_code[:2], r.year)],
             "reason": ""} for r in rows]


class Opened(NamedTuple):
    """A case just opened, as its first stage record needs it."""

    id: int
    village_code: str
    year: int


def _households(session: Session, household_ids: Sequence[int], actor: Actor) -> list[tuple[int, str]]:
    """(household id, village code) of each household, once every one exists and lies in the actor's area."""
    from models.core.household import Household  # the door's other callers never need the household table

    if not household_ids:
        return []
    found = {hid: (number, village) for hid, number, village in session.execute(
        select(Household.id, Household.number, Household.village_code)  # type: ignore[call-overload]
        .where(col(Household.id).in_(household_ids))
    ).tuples()}
    subjects = []
    for hid in household_ids:
        if hid not in found:
            raise InvalidInput("立案", "户ID", hid, "没有这一户")
        number, village = found[hid]
        if not actor.covers(village):
            raise InvalidInput(f"户{number}", "村", village, f"不在{actor.title()}的辖区内")
        subjects.append((hid, village))
    return subjects


def _villages(session: Session, village_codes: Sequence[str], actor: Actor) -> list[str]:
    """The village codes, once every one is a registered village in the actor's area."""
    if not village_codes:
        return []
    known = set(session.execute(
        select(col(Region.code)).where(col(Region.code).in_(village_codes), col(Region.level) == Level.VILLAGE)
    ).scalars())
    for code in village_codes:
        if code not in known:
            raise InvalidInput("立案", "村区划代码", code, "不是已登记的行政村代码")
        if not actor.covers(code):
            raise InvalidInput(f"村{code}", "村", code, f"不在{actor.title()}的辖区内")
    return list(village_codes)


def _existing(session: Session, chain: str, year: int, subjects: Sequence[tuple[int | None, str]]) -> set[int | str]:
    """The subjects (household ids, or village codes of village cases) with a case of the chain this year."""
    households = [hid for hid, _ in subjects if hid is not None]
    if households:
        return set(session.execute(select(CASE.c.household_id).where(
            CASE.c.chain == chain, CASE.c.year == year, CASE.c.household_id.in_(households))).scalars())
    return set(session.execute(select(CASE.c.village_code).where(
        CASE.c.chain == chain, CASE.c.year == year, CASE.c.household_id.is_(None),
        CASE.c.village_code.in_([village for _, village in subjects]))).scalars())


def open_cases(
    *, session: Session, chain: str, year: int, now: datetime, actor: Actor, household_ids: Sequence[int] = (),
    village_codes: Sequence[str] = (), one_a_year: bool = True, details: Sequence[Mapping[str, str]] = (),
) -> list[int]:
    """Open cases in the chain's first stage, each with its first stage record (due by the policy's deadline) and
    an OPEN audit event; the caller commits. Returns the new cases' ids in the order their subjects were given.

    The subject of a case is a household (`household_ids`), or a village with no household (`village_codes`).
    one_a_year: a subject that already has a case of the chain this year gets no second one (given twice, it
    opens one case); otherwise each subject given opens a case of its own (the findings of chain G, any number
    per village). `details`, one per subject given, adds what the opening recorded to its audit event.
    Every subject is checked before anything is written: it exists and lies in the actor's area.
    """
    if household_ids and village_codes:
        raise ValueError("a case's subject is a household or a village, not both")
    if details and len(details) != len(household_ids or village_codes):
        raise ValueError("one detail per subject")
    first = chain_named(chain).first
    villages = [(None, code) for code in _villages(session, village_codes, actor)]
    subjects: list[tuple[int | None, str]] = [*_households(session, household_ids, actor), *villages]
    if not subjects:
        return []
    extra: list[Mapping[str, str]] = list(details) or [{}] * len(subjects)
    fresh = list(range(len(subjects)))
    if one_a_year:
        taken = _existing(session, chain, year, subjects)
        fresh = []
        for i, (hid, village) in enumerate(subjects):
            key = village if hid is None else hid
            if key not in taken:
                taken.add(key)  # a subject given twice opens one case
                fresh.append(i)
    if not fresh:
        return []
    ids = session.execute(insert(CASE).returning(CASE.c.id, sort_by_parameter_order=True), [
        {"chain": chain, "year": year, "household_id": subjects[i][0], "village_code": subjects[i][1],
         "stage": first.code, "status": Status.ACTIVE, "version": 1, "opened_at": now} for i in fresh
    ]).scalars().all()
    opened = [Opened(case_id, subjects[i][1], year) for case_id, i in zip(ids, fresh, strict=True)]
    session.execute(insert(RECORD), new_records(opened, first, now))
    audit.append(session, [audit.Event(now, actor.name, f"{chain}.OPEN", case.id, {"stage": first.code, **extra[i]})
                           for case, i in zip(opened, fresh, strict=True)])
    return [case.id for case in opened]
