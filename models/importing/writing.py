"""A checked roster written in one transaction: households, members and incomes in bulk, and one audit event
naming the file (name and SHA-256) and what it added."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import Session, col

from models.core import audit
from models.core.actors import Actor
from models.core.clock import local_date, to_db
from models.core.household import Household, Income, Member
from models.importing.checking import ACTION, CHUNK, Plan, check_file
from models.importing.problems import ImportRefused


def _write(session: Session, plan: Plan) -> None:
    households = plan.households
    session.execute(insert(Household.__table__), [  # type: ignore[attr-defined]
        {"number": h.number, "village_code": h.village_code, "group_name": h.group_name, "head_name": h.head_name,
         "phone": h.phone, "registered_poor": h.registered_poor, "minimum_allowance": h.minimum_allowance,
         "destitute": h.destitute} for h in households])
    numbers = [h.number for h in households]
    ids: dict[str, int] = {}
    for start in range(0, len(numbers), CHUNK):
        ids.update(session.execute(select(col(Household.number), col(Household.id))
                                   .where(col(Household.number).in_(numbers[start:start + CHUNK]))).tuples().all())
    session.execute(insert(Member.__table__), [  # type: ignore[attr-defined]
        {"household_id": ids[h.number], "name": p.name, "resident_id": p.resident_id, "relation": p.relation,
         "sex": p.sex, "resident": p.resident, "phone": p.phone} for h in households for p in h.members])
    incomes = [{**h.income.model_dump(), "household_id": ids[h.number]} for h in households if h.income is not None]
    if incomes:
        session.execute(insert(Income.__table__), incomes)  # type: ignore[attr-defined]


def import_roster(*, session: Session, path: Path, actor: Actor, now: datetime, dry_run: bool = False) -> Plan:
    """Check the whole file; with no problem, add its households, members and incomes and one audit event in the
    caller's transaction (the caller commits). ImportRefused lists every problem; then nothing was written."""
    plan = check_file(session, path, actor=actor, today=local_date(now))
    if plan.problems:
        raise ImportRefused(path.name, plan.problems)
    if dry_run:
        return plan
    _write(session, plan)
    years = sorted({h.income.year for h in plan.households if h.income is not None})
    audit.append(session, [audit.Event(to_db(now), actor.name, ACTION, None, {
        "file": plan.file_name, "sha256": plan.sha256, "rows": plan.rows, "households": len(plan.households),
        "members": plan.people, "incomes": plan.incomes, "years": years, "villages": plan.villages,
    })])
    return plan
