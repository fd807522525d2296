"""The village exit standard 一个确保、两个完善: the assessment a township records for a village, and its judge.

Rates are exact fractions, compared with the policy's thresholds without rounding (DOMAIN §3): 1 poor person
in 50 is exactly 2% and passes "降至2%以下"; only the printed percentage is rounded, to two decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import Numeric, insert
from sqlmodel import Field, Session, SQLModel, col, select

from models.chains.village_exit.policy import VillageExit
from models.core import audit
from models.core.actors import Actor
from models.core.clock import to_db
from models.core.errors import InvalidInput, PolicyMissing
from models.door.chain import CaseRow, Input
from models.door.inputs import admit
from models.policy.loading import policy_for


class VillageAssessment(SQLModel, table=True):
    """One acceptance check of a village (贫困村退出验收): the veto, the collective income and the total score."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    stage: str
    year: int
    registered_population: int = Field(description="行政村农村户籍人口")
    poor_people: int = Field(description="未脱贫的建档立卡贫困人口")
    incidence_evidence: str = Field(description="贫困发生率的数据来源（县级行业部门认定数据等）")
    collective_income: Decimal = Field(sa_type=Numeric(14, 2), nullable=False, description="村级集体经济年收入")
    income_evidence: str
    score: Decimal = Field(sa_type=Numeric(6, 2), nullable=False)
    passed: bool
    failures: str = ""
    actor_id: int = Field(foreign_key="actor.id")
    assessed_at: datetime


class VillageIndicatorScore(SQLModel, table=True):
    """One scored indicator (两个完善) of an assessment: the points given and the evidence they rest on."""

    assessment_id: int = Field(foreign_key="villageassessment.id", primary_key=True)
    code: str = Field(primary_key=True)
    position: int = Field(description="the indicator's place in the policy's list, as the form prints it")
    name: str
    max_points: int
    points: Decimal = Field(sa_type=Numeric(6, 2), nullable=False)
    evidence: str


@dataclass(frozen=True)
class Score:
    """A clerk's entry for one indicator."""

    points: Decimal
    evidence: str


@dataclass(frozen=True)
class VillageFacts:
    """What a township enters for a village: the people, the collective income, and each indicator's score."""

    registered_population: int
    poor_people: int
    incidence_evidence: str
    collective_income: Decimal
    income_evidence: str
    scores: Mapping[str, Score]


@dataclass(frozen=True)
class VillageVerdict:
    incidence: Fraction  # percent, exact
    score: Decimal
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def village_exit_policy(region_code: str, year: int) -> VillageExit:
    """The village exit standard in force for a region and year."""
    found = policy_for(region_code, year).village_exit
    if found is None:
        raise PolicyMissing(f"{region_code[:2]}省（区划前两位）{year}年度的政策数据没有贫困村退出标准")
    return found


def rate(part: int | Fraction, whole: int) -> Fraction:
    """A share in percent, exact; a share of nobody is 0."""
    return Fraction(part) * 100 / whole if whole else Fraction(0)


def percent(value: Fraction) -> str:
    """A percentage as documents print it: two decimals, half up (2.01%)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def check_facts(facts: VillageFacts, standard: VillageExit, record: str) -> None:
    """Input rules: counts that make sense, every indicator scored within its points and with its evidence."""
    if facts.registered_population <= 0:
        raise InvalidInput(record, "农村户籍人口", facts.registered_population, "须至少1人，贫困发生率才可计算")
    if not 0 <= facts.poor_people <= facts.registered_population:
        raise InvalidInput(record, "未脱贫人口", facts.poor_people, "须在0与农村户籍人口之间")
    if facts.collective_income < 0:
        raise InvalidInput(record, "村级集体经济年收入", facts.collective_income, "金额不能为负数")
    for label, evidence in (("贫困发生率佐证", facts.incidence_evidence), ("集体经济收入佐证", facts.income_evidence)):
        if not evidence.strip():
            raise InvalidInput(record, label, evidence, "须写明数据来源或佐证材料")
    unknown = set(facts.scores) - {i.code for i in standard.indicators}
    if unknown:
        raise InvalidInput(record, "评分指标", sorted(unknown)[0], "不是政策规定的评分指标")
    for indicator in standard.indicators:
        entry = facts.scores.get(indicator.code)
        if entry is None:
            raise InvalidInput(record, indicator.name, "未填", "每项评分指标都须评分")
        if not 0 <= entry.points <= indicator.points:
            raise InvalidInput(record, indicator.name, entry.points, f"得分须在0至{indicator.points}分之间")
        if not entry.evidence.strip():
            raise InvalidInput(record, indicator.name, "", "须写明评分的佐证材料")


def judge_village(facts: VillageFacts, standard: VillageExit) -> VillageVerdict:
    """Apply 一个确保、两个完善: the veto, the collective income and the total score; every failure is named."""
    incidence = rate(facts.poor_people, facts.registered_population)
    score = sum((s.points for s in facts.scores.values()), Decimal(0))
    failures: list[str] = []
    if not standard.incidence.met_by(incidence):
        failures.append(f"综合贫困发生率{percent(incidence)}，不符合“{standard.incidence.describe('%')}”（否决指标）")
    if not standard.collective_income.met_by(facts.collective_income):
        failures.append(f"村级集体经济年收入{facts.collective_income:.2f}元，"
                        f"不符合“{standard.collective_income.describe('元')}”")
    if not standard.score.met_by(score):
        failures.append(f"评分指标得分{score.normalize():f}分，不符合“{standard.score.describe('分')}”")
    return VillageVerdict(incidence, score, tuple(failures))


def record_assessment(
    *, session: Session, case_id: int, stage: str, facts: VillageFacts, actor: Actor, now: datetime
) -> VillageAssessment:
    """Judge and store a village's acceptance check at a stage that takes it (the caller commits)."""
    row = admit(session=session, case_ids=[case_id], actor=actor, stage=stage, kind=Input.VILLAGE_ACCEPTANCE,
                now=now)[case_id]
    if row.household_id is not None:
        raise InvalidInput(f"案件{case_id}", "村", "无", "贫困村退出验收只适用于村级案件")
    standard = village_exit_policy(row.village_code, row.year)
    check_facts(facts, standard, f"案件{case_id}")
    verdict = judge_village(facts, standard)
    assessment = VillageAssessment(
        case_id=case_id, stage=stage, year=row.year, registered_population=facts.registered_population,
        poor_people=facts.poor_people, incidence_evidence=facts.incidence_evidence.strip(),
        collective_income=facts.collective_income, income_evidence=facts.income_evidence.strip(),
        score=verdict.score, passed=verdict.passed, failures="；".join(verdict.failures), actor_id=actor.id or 0,
        assessed_at=now,
    )
    session.add(assessment)
    session.flush()
    session.execute(insert(VillageIndicatorScore.__table__), [  # type: ignore[attr-defined]
        {"assessment_id": assessment.id, "code": i.code, "position": n, "name": i.name, "max_points": i.points,
         "points": facts.scores[i.code].points, "evidence": facts.scores[i.code].evidence.strip()}
        for n, i in enumerate(standard.indicators, start=1)
    ])
    audit.append(session, [audit.Event(now, actor.name, "VILLAGE.ASSESS", case_id, {
        "stage": stage, "passed": verdict.passed, "incidence": percent(verdict.incidence),
        "score": str(verdict.score), "failures": assessment.failures})])
    return assessment


def latest_assessments(session: Session, rows: Sequence[CaseRow]) -> dict[int, VillageAssessment]:
    """The newest assessment of each case made at its current stage during the current visit."""
    opened = {r.id: (r.stage, r.record_opened_at) for r in rows}
    found: dict[int, VillageAssessment] = {}
    for assessment in session.exec(
        select(VillageAssessment).where(col(VillageAssessment.case_id).in_(list(opened)))
        .order_by(col(VillageAssessment.assessed_at), col(VillageAssessment.id))
    ):
        stage, start = opened[assessment.case_id]
        if assessment.stage == stage and start is not None and to_db(assessment.assessed_at) >= to_db(start):
            found[assessment.case_id] = assessment
    return found


def indicator_scores(session: Session, assessment_id: int) -> list[VillageIndicatorScore]:
    """An assessment's indicator scores in the policy's order."""
    return list(session.exec(select(VillageIndicatorScore).where(
        VillageIndicatorScore.assessment_id == assessment_id).order_by(col(VillageIndicatorScore.position))).all())
