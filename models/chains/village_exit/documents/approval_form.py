"""The acceptance approval form of an exiting village (贫困村退出验收审批表, seed 000 附件2): the veto indicator,
the collective income, each scored indicator with its points and evidence, the total, and one signature per level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.chains.village_exit.standards import (
    VillageAssessment,
    indicator_scores,
    percent,
    rate,
    village_exit_policy,
)
from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.case import Case
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.documents.common import parent, region, title_lines
from models.documents.owed import linked_since
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.chain import chain_named

KIND = "village_approval_form"
MET, NOT_MET = "达标", "未达标"


@dataclass(frozen=True)
class IndicatorRow:
    serial: int
    name: str
    max_points: int
    points: str
    evidence: str


@dataclass(frozen=True)
class Signature:
    level: str
    role: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class VillageApprovalFormContext:
    title: str
    title_lines: tuple[str, ...]
    county: str
    township: str
    village: str
    year: int
    stage: str
    incidence_rule: str
    incidence: str
    poor_people: int
    registered_population: int
    incidence_evidence: str
    incidence_result: str
    income_rule: str
    collective_income: Decimal
    income_evidence: str
    income_result: str
    score_rule: str
    score_total: int
    indicators: tuple[IndicatorRow, ...]
    score: str
    score_result: str
    passed: bool
    conclusion: str
    assessed_by: str
    assessed_on: date
    signatures: tuple[Signature, ...]
    made_on: date


def points(value: Decimal) -> str:
    """Points as the form prints them: 15, 7.5."""
    return f"{value.normalize():f}"


def _assessment(session: Session, case_id: int, stage: str) -> VillageAssessment:
    found = session.exec(
        select(VillageAssessment)
        .where(col(VillageAssessment.case_id) == case_id, col(VillageAssessment.stage) == stage)
        .order_by(col(VillageAssessment.assessed_at).desc(), col(VillageAssessment.id).desc())
    ).first()
    if found is None:
        raise NotFound(f"案件{case_id}在{stage}环节没有验收记录")
    return found


def _names(session: Session, role: Role, code: str) -> tuple[str, ...]:
    return tuple(session.exec(select(Actor.name).where(Actor.role == role, Actor.region_code == code)
                              .order_by(col(Actor.id))).all())


def build_village_approval_form_context(
    session: Session, *, case_id: int, stage: str, now: datetime
) -> VillageApprovalFormContext:
    """What the approval form of one village prints, from its newest assessment at the stage."""
    case = session.get(Case, case_id)
    if case is None or case.household_id is not None:
        raise NotFound(f"村级案件{case_id}不存在")
    assessment = _assessment(session, case_id, stage)
    village = region(session, case.village_code)
    township = parent(session, village)
    county = parent(session, township)
    standard = village_exit_policy(village.code, case.year)
    incidence = rate(assessment.poor_people, assessment.registered_population)
    assessor = session.get(Actor, assessment.actor_id)
    lines = title_lines(county.name, f"{case.year}年度", "贫困村退出", "验收审批表")
    return VillageApprovalFormContext(
        title="".join(lines), title_lines=lines, county=county.name, township=township.name, village=village.name,
        year=case.year, stage=chain_named(case.chain).stage(stage).name,
        incidence_rule=standard.incidence.describe("%"), incidence=percent(incidence),
        poor_people=assessment.poor_people, registered_population=assessment.registered_population,
        incidence_evidence=assessment.incidence_evidence,
        incidence_result=MET if standard.incidence.met_by(incidence) else NOT_MET,
        income_rule=standard.collective_income.describe("元"), collective_income=assessment.collective_income,
        income_evidence=assessment.income_evidence,
        income_result=MET if standard.collective_income.met_by(assessment.collective_income) else NOT_MET,
        score_rule=standard.score.describe("分"), score_total=standard.score_total,
        indicators=tuple(IndicatorRow(s.position, s.name, s.max_points, points(s.points), s.evidence)
                         for s in indicator_scores(session, assessment.id or 0)),
        score=points(assessment.score), score_result=MET if standard.score.met_by(assessment.score) else NOT_MET,
        passed=assessment.passed,
        conclusion="达到贫困村退出标准" if assessment.passed else f"未达到贫困村退出标准：{assessment.failures}",
        assessed_by=assessor.title() if assessor else "", assessed_on=local_date(assessment.assessed_at),
        signatures=(
            Signature("村级", ROLE_NAMES[Role.VILLAGE_COMMITTEE],
                      _names(session, Role.VILLAGE_COMMITTEE, village.code)),
            Signature("乡镇级", ROLE_NAMES[Role.TOWNSHIP_GOVERNMENT],
                      _names(session, Role.TOWNSHIP_GOVERNMENT, township.code)),
            Signature("县级", "复核验收工作组", _names(session, Role.COUNTY_RECHECK_TEAM, county.code)),
        ),
        made_on=local_date(now),
    )


def render_village_approval_form(session: Session, *, case_id: int, stage: str, now: datetime) -> Document:
    """Render and store a village's approval form of a stage (internal; the caller commits)."""
    context = build_village_approval_form_context(session, case_id=case_id, stage=stage, now=now)
    case = session.get(Case, case_id)
    assert case is not None
    return store(
        session, kind=KIND, chain=case.chain, year=case.year, stage=stage, scope_code=case.village_code,
        case_ids=[case_id], html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=f"{case_id}-{stage}",
    )


def _ready(session: Session, run: Run) -> list[int]:
    """The run's villages whose newest acceptance at the stage has no form made since, in case order."""
    newest: dict[int, datetime] = {}
    for case_id, assessed_at in session.execute(
        select(col(VillageAssessment.case_id), func.max(col(VillageAssessment.assessed_at)))
        .join(Case, col(Case.id) == col(VillageAssessment.case_id))
        .where(col(Case.chain) == run.chain, col(Case.year) == run.year, col(Case.village_code).startswith(run.scope),
               col(VillageAssessment.stage) == run.stage)
        .group_by(col(VillageAssessment.case_id))
    ).tuples():
        newest[case_id] = assessed_at
    made = linked_since(session, KIND, run.stage, newest)
    return sorted(case_id for case_id in newest if case_id not in made)


def _render(session: Session, run: Run, case_id: int, now: datetime) -> Document:
    return render_village_approval_form(session, case_id=case_id, stage=run.stage, now=now)


register(Paper(KIND, "贫困村退出验收审批表", Trigger.RECORDED, Scope.VILLAGE, _ready, _render))
