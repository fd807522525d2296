"""Recording home checks (四看一算): the income computed from its parts and the six yes/no items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlmodel import Session, col

from models.core import audit
from models.core.actors import Actor
from models.core.errors import InvalidInput
from models.core.household import INCOME_FIELDS, Household, Income, IncomeBase
from models.door.chain import Input
from models.door.inputs import admit
from models.home_checks.incomes import resident_counts
from models.home_checks.standards import GUARANTEES, Assessment, judge, round_yuan
from models.policy.loading import policy_for


@dataclass(frozen=True)
class CheckInput:
    """One household's check: the six items, the head's sign-off, and the income if re-measured."""

    case_id: int
    guarantees: dict[str, bool]
    head_signed: bool = True
    income: IncomeBase | None = None  # None: the household's recorded income of the case's year


def record_checks(
    *, session: Session, stage: str, items: Sequence[CheckInput], actor: Actor, now: datetime
) -> list[Assessment]:
    """Judge and store the checks of many households at a stage that takes home checks (the caller commits)."""
    rows = admit(session=session, case_ids=[i.case_id for i in items], actor=actor, stage=stage, kind=Input.HOME_CHECK,
                 now=now)
    household_of: dict[int, int] = {}
    for item in items:
        household = rows[item.case_id].household_id
        if household is None:
            raise InvalidInput(f"案件{item.case_id}", "户", "无", "入户核查只适用于农户案件")
        household_of[item.case_id] = household
    residents = resident_counts(session, list(household_of.values()))
    incomes = {
        (inc.household_id, inc.year): inc
        for inc in session.scalars(select(Income).where(col(Income.household_id).in_(household_of.values())))
    }
    numbers = dict(session.execute(
        select(col(Household.id), col(Household.number)).where(col(Household.id).in_(household_of.values()))
    ).tuples().all())
    records = []
    for item in items:
        row = rows[item.case_id]
        hid = household_of[item.case_id]
        income = item.income or incomes.get((hid, row.year))
        if income is None:
            raise InvalidInput(f"户{numbers.get(hid)}", "收入", "无", f"没有{row.year}年度收入记录，无法计算人均纯收入")
        for name, label in INCOME_FIELDS.items():
            if getattr(income, name) < 0:
                raise InvalidInput(f"户{numbers.get(hid)}", label, getattr(income, name), "金额不能为负数")
        if not residents.get(hid):
            raise InvalidInput(f"户{numbers.get(hid)}", "常住人口", 0, "至少1名常住成员，人均纯收入才可计算")
        verdict = judge(income=income, residents=residents[hid], guarantees=item.guarantees,
                        line=policy_for(row.village_code, row.year).exit_income)
        records.append({
            "case_id": row.id, "stage": stage, "year": row.year, "residents": residents.get(hid, 0),
            **{name: getattr(income, name) for name in INCOME_FIELDS},
            "per_capita": round_yuan(verdict.per_capita),
            **{key: item.guarantees[key] for key in GUARANTEES},
            "head_signed": item.head_signed, "passed": verdict.passed, "failures": "；".join(verdict.failures),
            "actor_id": actor.id, "checked_at": now,
        })
    session.execute(insert(Assessment.__table__), records)  # type: ignore[attr-defined]
    audit.append(session, [
        audit.Event(now, actor.name, "CHECK.RECORD", r["case_id"],
                    {"stage": stage, "passed": r["passed"], "per_capita": str(r["per_capita"]),
                     "failures": r["failures"]})
        for r in records
    ])
    return list(session.scalars(
        select(Assessment).where(col(Assessment.case_id).in_([r["case_id"] for r in records]),
                                 col(Assessment.stage) == stage, col(Assessment.checked_at) == now)
    ))
