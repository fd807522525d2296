"""The city's random-sample check form (市级随机抽样核查表) of one village's sample of relative-poor households: the
rule, the seed, and each drawn household's re-measured income and result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from models.chains.relative_identify.city_check import RelativeCityCheck
from models.chains.relative_identify.standards import standard_for
from models.core.actors import Actor, Role
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.regions import Level, prefix
from models.documents.common import listed_households, parent, region, title_lines
from models.documents.owed import finished_samples
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.sampling import Sample, SampleCase

KIND = "relative_city_check_form"


@dataclass(frozen=True)
class CityCheckRow:
    serial: int
    group: str
    head: str
    size: int
    per_capita: Decimal | None
    result: str


@dataclass(frozen=True)
class CityCheckFormContext:
    title: str
    title_lines: tuple[str, ...]
    city: str
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
    rows: tuple[CityCheckRow, ...]
    team: tuple[str, ...]
    made_on: date


def _sample(session: Session, sample_id: int) -> Sample:
    sample = session.get(Sample, sample_id)
    if sample is None or sample.stage != "REL_CITY_CHECK":
        raise NotFound(f"市级抽查样本{sample_id}不存在")
    return sample


def build_city_check_form_context(session: Session, *, sample_id: int, now: datetime) -> CityCheckFormContext:
    """What the city's check form of one sample prints; households not yet checked get blank cells."""
    sample = _sample(session, sample_id)
    village = region(session, sample.village_code)
    township = parent(session, village)
    county = parent(session, township)
    city = parent(session, county)
    standard = standard_for(village.code, sample.year)
    if standard is None:
        raise NotFound(f"{sample.year}年度政策未设定相对贫困户识别标准")
    members = session.exec(select(SampleCase).where(SampleCase.sample_id == sample_id)).all()
    records = {m.case_id: m.stage_record_id for m in members if m.drawn}
    checks: dict[int, RelativeCityCheck] = {}
    for found in session.exec(select(RelativeCityCheck).where(
            col(RelativeCityCheck.stage_record_id).in_(list(records.values()))).order_by(col(RelativeCityCheck.id))):
        checks[found.case_id] = found
    rows = []
    for serial, h in enumerate(listed_households(session, list(records)), start=1):
        check = checks.get(h.case_id)
        result = "" if check is None else ("通过" if check.passed else f"未通过：{check.finding}")
        rows.append(CityCheckRow(serial, h.group, h.head, h.size, check.per_capita if check else None, result))
    team = session.exec(select(Actor.name).where(
        Actor.role == Role.CITY_CHECK_TEAM, Actor.region_code == prefix(village.code, Level.CITY).ljust(12, "0"))
        .order_by(col(Actor.id))).all()
    lines = title_lines(city.name, f"{sample.year}年度", "相对贫困户", "随机抽样核查表")
    return CityCheckFormContext(
        title="".join(lines), title_lines=lines, city=city.name, county=county.name, township=township.name,
        village=village.name, year=sample.year, income_rule=standard.income.describe("元"), rule=sample.rule,
        seed=sample.seed, drawn_on=local_date(sample.drawn_at), people_total=sample.people_total,
        people_required=sample.people_required, people_drawn=sample.people_drawn, households_total=len(members),
        households_drawn=len(records), rows=tuple(rows), team=tuple(team), made_on=local_date(now),
    )


def render_city_check_form(session: Session, *, sample_id: int, now: datetime) -> Document:
    """Render and store the city's check form of a sample (internal; the caller commits)."""
    context = build_city_check_form_context(session, sample_id=sample_id, now=now)
    sample = _sample(session, sample_id)
    drawn = session.exec(
        select(SampleCase.case_id).where(SampleCase.sample_id == sample_id, col(SampleCase.drawn).is_(True))).all()
    document = store(
        session, kind=KIND, chain=sample.chain, year=sample.year, stage=sample.stage, scope_code=sample.village_code,
        case_ids=list(drawn), html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=str(sample_id),
    )
    sample.document_id = document.id
    session.add(sample)
    return document


def _render(session: Session, run: Run, sample_id: int, now: datetime) -> Document:
    return render_city_check_form(session, sample_id=sample_id, now=now)


register(Paper(KIND, "相对贫困户市级抽查表", Trigger.SAMPLE_FINISHED, Scope.VILLAGE, finished_samples, _render))
