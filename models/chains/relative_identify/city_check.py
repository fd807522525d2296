"""The city's random-sample check of relative-poor households (seed 004: 地级市扶贫办会同统计等部门随机抽样核查).

Per village, whole households are drawn from a stored seed (models/door/sampling.py) until their people reach the
policy's share; the city team re-measures each drawn household's income, and a household that fails goes back to
the township check with the finding. Households not drawn pass on.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, func, insert, select
from sqlmodel import Field, Session, col

from models.chains.relative_identify.standards import judge_relative, standard_for
from models.core import audit
from models.core.actors import Actor
from models.core.case import Case, StageRecord, Status
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.core.household import INCOME_FIELDS, Income, IncomeBase, Member
from models.door.chain import CaseRow, Input
from models.door.inputs import admit
from models.door.sampling import Sample, SampleCase, Unit, draw, required_people
from models.home_checks.standards import per_capita_net_income
from models.policy.loading import Sampling

STAGE = "REL_CITY_CHECK"


class RelativeCityCheck(IncomeBase, table=True):
    """The city team's check of one drawn household during one visit to the city-check stage."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    stage_record_id: int = Field(foreign_key="stagerecord.id", index=True)
    residents: int
    per_capita: Decimal = Field(sa_type=Numeric(14, 2), nullable=False)
    passed: bool
    finding: str = ""
    actor_id: int = Field(foreign_key="actor.id")
    checked_at: datetime


def describe_rule(rule: Sampling) -> str:
    """The sampling rule as the form prints it."""
    percent = (rule.rate * 100).normalize()
    return (f"按村随机整户抽取不低于{percent:f}%的拟识别人口（向上取整），"
            f"不足{rule.full_coverage_below}人的村全部抽查")


def draw_city_samples(*, session: Session, chain: str, year: int, scope: str, now: datetime, actor: Actor,
                      seed: int | None = None) -> list[Sample]:
    """Draw one sample per village of the scope from its cases newly at the city check; the seed is stored."""
    population = session.execute(
        select(col(Case.village_code), col(Case.id), col(StageRecord.id), func.count(col(Member.id)))
        .join(StageRecord, (col(StageRecord.case_id) == col(Case.id)) & col(StageRecord.left_at).is_(None))
        .join(Member, (col(Member.household_id) == col(Case.household_id)) & col(Member.resident).is_(True))
        .where(col(Case.chain) == chain, col(Case.year) == year, col(Case.stage) == STAGE,
               col(Case.status) == Status.ACTIVE, col(Case.village_code).startswith(scope),
               ~col(StageRecord.id).in_(select(col(SampleCase.stage_record_id))))
        .group_by(col(Case.village_code), col(Case.id), col(StageRecord.id))
        .order_by(col(Case.village_code), col(Case.id))
    ).tuples().all()
    admit(session=session, case_ids=[r[1] for r in population], actor=actor, stage=STAGE, kind=Input.SAMPLE, now=now)
    samples = []
    for village in sorted({r[0] for r in population}):
        standard = standard_for(village, year)
        if standard is None:
            raise NotFound(f"{year}年度政策未设定相对贫困户识别标准，无法抽样")
        rows = [r for r in population if r[0] == village]
        rule, village_seed = standard.city_sample, secrets.randbits(31) if seed is None else seed
        units = [Unit(case_id, people) for _, case_id, _, people in rows]
        picked = set(draw(units, rule, village_seed))
        total = sum(u.people for u in units)
        sample = Sample(chain=chain, year=year, stage=STAGE, village_code=village, seed=village_seed,
                        rule=describe_rule(rule), people_total=total, people_required=required_people(total, rule),
                        people_drawn=sum(u.people for u in units if u.case_id in picked), drawn_at=now)
        session.add(sample)
        session.flush()
        session.execute(insert(SampleCase.__table__), [  # type: ignore[attr-defined]
            {"sample_id": sample.id, "case_id": case_id, "stage_record_id": record_id, "drawn": case_id in picked}
            for _, case_id, record_id, _ in rows])
        audit.append(session, [audit.Event(now, actor.name, "SAMPLE.DRAW", None, {
            "sample": sample.id, "village": village, "seed": village_seed, "people_total": total,
            "people_required": sample.people_required, "drawn": sorted(picked)})])
        samples.append(sample)
    return samples


def record_city_check(*, session: Session, case_id: int, actor: Actor, now: datetime,
                      income: IncomeBase | None = None, finding: str = "") -> RelativeCityCheck:
    """Store the city team's check of a drawn household (the caller commits): the income re-measured (or the recorded
    one) judged against the line, plus any other finding; refused for a person, stage or household that may not."""
    row = admit(session=session, case_ids=[case_id], actor=actor, stage=STAGE, kind=Input.INCOME_RECHECK,
                now=now)[case_id]
    drawn = session.scalars(select(col(SampleCase.drawn)).where(
        col(SampleCase.stage_record_id) == row.record_id, col(SampleCase.case_id) == case_id)).first()
    if not drawn:
        raise TransitionRefused({case_id: "该户未被抽中，不做市级抽查核查"})
    assert row.household_id is not None and row.record_id is not None
    measured = income or session.scalars(select(Income).where(
        col(Income.household_id) == row.household_id, col(Income.year) == row.year)).first()
    if measured is None:
        raise InvalidInput(f"案件{case_id}", "收入", "无", f"没有{row.year}年度收入记录，无法计算人均纯收入")
    for name, label in INCOME_FIELDS.items():
        if getattr(measured, name) < 0:
            raise InvalidInput(f"案件{case_id}", label, getattr(measured, name), "金额不能为负数")
    residents = session.scalar(select(func.count(col(Member.id))).where(
        col(Member.household_id) == row.household_id, col(Member.resident).is_(True))) or 0
    standard = standard_for(row.village_code, row.year)
    if standard is None or residents == 0:
        raise InvalidInput(f"案件{case_id}", "常住人口" if standard else "政策", residents, "无法计算或判定人均纯收入")
    per_capita = per_capita_net_income(measured, residents)
    failures = [*judge_relative(standard, per_capita), *([finding.strip()] if finding.strip() else [])]
    check = RelativeCityCheck(
        **{name: getattr(measured, name) for name in INCOME_FIELDS}, year=row.year, case_id=case_id,
        stage_record_id=row.record_id, residents=residents, per_capita=per_capita.quantize(Decimal("0.01")),
        passed=not failures, finding="；".join(failures), actor_id=actor.id or 0, checked_at=now,
    )
    session.add(check)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "REL_CITY_CHECK.RECORD", case_id, {
        "passed": check.passed, "per_capita": f"{check.per_capita}", "finding": check.finding})])
    return check


def city_check_passed(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Guard: the village's sample is drawn, and a drawn household passed the city's check in this visit."""
    records = [r.record_id for r in rows if r.record_id is not None]
    drawn = dict(session.execute(select(col(SampleCase.stage_record_id), col(SampleCase.drawn)).where(
        col(SampleCase.stage_record_id).in_(records))).tuples().all())
    checks: dict[int, RelativeCityCheck] = {}
    for found in session.scalars(select(RelativeCityCheck).where(
            col(RelativeCityCheck.stage_record_id).in_(records)).order_by(col(RelativeCityCheck.id))):
        checks[found.stage_record_id] = found
    reasons: dict[int, str] = {}
    for row in rows:
        if row.record_id not in drawn:
            reasons[row.id] = "本村尚未抽取市级抽查样本"
        elif drawn[row.record_id]:
            check = checks.get(row.record_id or 0)
            if check is None:
                reasons[row.id] = "该户已被抽中，尚未完成市级随机抽样核查"
            elif not check.passed:
                reasons[row.id] = f"市级随机抽样核查未通过：{check.finding}"
    return reasons
