"""The county spot-check form (县级抽查复核表) of one village's sample: rule, seed, and each drawn household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from models.core.actors import Actor, Role
from models.core.case import StageRecord
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.documents.common import listed_households, parent, region, title_lines
from models.documents.owed import finished_samples
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.sampling import Sample, SampleCase
from models.home_checks.standards import GUARANTEES, Assessment
from models.policy.loading import policy_for

KIND = "recheck_form"
YES, NO = "是", "否"


@dataclass(frozen=True)
class RecheckRow:
    serial: int
    group: str
    head: str
    size: int
    checked: bool
    per_capita: Decimal | None
    items: tuple[str, ...]
    result: str


@dataclass(frozen=True)
class RecheckFormContext:
    title: str
    title_lines: tuple[str, ...]
    county: str
    township: str
    village: str
    year: int
    income_rule: str
    rule: str
    seed: int
    drawn_on: date
    people_total: int
    people_required: int
    people_drawn: int
    households_total: int
    households_drawn: int
    labels: tuple[str, ...]
    rows: tuple[RecheckRow, ...]
    team: tuple[str, ...]
    made_on: date


def _sample(session: Session, sample_id: int) -> Sample:
    sample = session.get(Sample, sample_id)
    if sample is None:
        raise NotFound(f"抽查样本{sample_id}不存在")
    return sample


def _rechecks(session: Session, sample: Sample, case_ids: list[int]) -> dict[int, Assessment]:
    """The newest re-check of each drawn case made while it was at the sampled stage visit."""
    found: dict[int, Assessment] = {}
    query = (
        select(Assessment, StageRecord)
        .join(SampleCase, (col(SampleCase.case_id) == col(Assessment.case_id)) & (SampleCase.sample_id == sample.id))
        .join(StageRecord, col(StageRecord.id) == col(SampleCase.stage_record_id))
        .where(Assessment.stage == sample.stage, col(Assessment.case_id).in_(case_ids))
        .order_by(col(Assessment.checked_at), col(Assessment.id))
    )
    for assessment, record in session.exec(query):
        left = record.left_at
        if assessment.checked_at >= record.opened_at and (left is None or assessment.checked_at <= left):
            found[assessment.case_id] = assessment
    return found


def _row(serial: int, group: str, head: str, size: int, check: Assessment | None) -> RecheckRow:
    if check is None:
        return RecheckRow(serial, group, head, size, False, None, ("",) * len(GUARANTEES), "")
    items = tuple(YES if getattr(check, key) else NO for key in GUARANTEES)
    result = "通过" if check.passed else f"未通过：{check.failures}"
    return RecheckRow(serial, group, head, size, True, check.per_capita, items, result)


def build_recheck_form_context(session: Session, *, sample_id: int, now: datetime) -> RecheckFormContext:
    """What the re-check form of one sample prints; households not yet re-checked get blank cells."""
    sample = _sample(session, sample_id)
    village = region(session, sample.village_code)
    township = parent(session, village)
    county = parent(session, township)
    members = session.exec(select(SampleCase).where(SampleCase.sample_id == sample_id)).all()
    drawn = [m.case_id for m in members if m.drawn]
    households = listed_households(session, drawn)
    checks = _rechecks(session, sample, drawn)
    team = session.exec(
        select(Actor.name).where(Actor.role == Role.COUNTY_RECHECK_TEAM, Actor.region_code == county.code)
        .order_by(col(Actor.id))
    ).all()
    lines = title_lines(county.name, f"{sample.year}年度", "贫困户退出", "县级抽查复核表")
    return RecheckFormContext(
        title="".join(lines),
        title_lines=lines,
        county=county.name,
        township=township.name,
        village=village.name,
        year=sample.year,
        income_rule=policy_for(village.code, sample.year).exit_income.describe("元"),
        rule=sample.rule,
        seed=sample.seed,
        drawn_on=local_date(sample.drawn_at),
        people_total=sample.people_total,
        people_required=sample.people_required,
        people_drawn=sample.people_drawn,
        households_total=len(members),
        households_drawn=len(drawn),
        labels=tuple(GUARANTEES.values()),
        rows=tuple(_row(i, h.group, h.head, h.size, checks.get(h.case_id)) for i, h in enumerate(households, 1)),
        team=tuple(team),
        made_on=local_date(now),
    )


def render_recheck_form(session: Session, *, sample_id: int, now: datetime) -> Document:
    """Render and store the re-check form of a sample (internal; the caller commits)."""
    context = build_recheck_form_context(session, sample_id=sample_id, now=now)
    sample = _sample(session, sample_id)
    drawn = session.exec(
        select(SampleCase.case_id).where(SampleCase.sample_id == sample_id, col(SampleCase.drawn).is_(True))
    ).all()
    return store(
        session, kind=KIND, chain=sample.chain, year=sample.year, stage=sample.stage, scope_code=sample.village_code,
        case_ids=list(drawn), html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=str(sample_id),
    )


def _render(session: Session, run: Run, sample_id: int, now: datetime) -> Document:
    """The finished sample's form, recorded on the sample (a form rendered earlier, half filled, is not)."""
    sample = _sample(session, sample_id)
    document = render_recheck_form(session, sample_id=sample_id, now=now)
    sample.document_id = document.id
    session.add(sample)
    return document


register(Paper(KIND, "县级抽查复核表", Trigger.SAMPLE_FINISHED, Scope.VILLAGE, finished_samples, _render))
