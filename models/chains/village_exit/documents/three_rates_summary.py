"""The county's 三率一度 summary (贫困退出“三率一度”验收核查情况汇总表, seed 000 附件3–5): per checked village the
wrong-exit rate, missed-identification rate, comprehensive incidence and approval rate, with the samples behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.village_exit.county_check import SAMPLE_KIND_NAMES, VillageCheck, sample_rows, three_rates
from models.chains.village_exit.standards import latest_assessments, percent, village_exit_policy
from models.core.actors import Actor, Role
from models.core.case import Case, StageRecord
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.household import Household
from models.core.regions import Level, prefix
from models.documents.common import parent, region, title_lines
from models.documents.owed import batch_decided
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.chain import CaseRow

KIND = "three_rates_summary"


@dataclass(frozen=True)
class SampledRow:
    serial: int
    kind: str
    group: str
    head: str
    people: int
    result: str


@dataclass(frozen=True)
class VillageRates:
    serial: int
    township: str
    village: str
    exiting_people: int
    rule: str
    wrong_exit_seed: int
    sampled_exiting_people: int
    wrong_exit_people: int
    wrong_exit: str
    missed_group: str
    missed_seed: int
    sampled_non_poor_people: int
    missed_people: int
    missed: str
    incidence: str
    respondents: int
    satisfied: int
    approval: str
    conclusion: str
    samples: tuple[SampledRow, ...]


@dataclass(frozen=True)
class ThreeRatesSummaryContext:
    title: str
    title_lines: tuple[str, ...]
    county: str
    year: int
    limits: str
    villages: tuple[VillageRates, ...]
    team: tuple[str, ...]
    made_on: date


def _result(found: bool | None, note: str, kind: str) -> str:
    if found is None:
        return "未核查"
    if not found:
        return "正常"
    return f"{'错退' if kind == 'WRONG_EXIT' else '漏评'}：{note}"


def _village(session: Session, serial: int, check: VillageCheck, row: CaseRow | None) -> VillageRates:
    village = region(session, check.village_code)
    assessment = latest_assessments(session, [row]).get(row.id) if row is not None else None
    rates = three_rates(session, check, assessment)
    sampled = [h for h in sample_rows(session, check.id or 0) if h.drawn]
    heads = dict(session.exec(select(col(Household.id), col(Household.head_name))
                              .where(col(Household.id).in_([h.household_id for h in sampled]))).all())
    conclusion = "通过" if rates.passed else "；".join(rates.open + rates.failures)
    return VillageRates(
        serial=serial, township=parent(session, village).name, village=village.name,
        exiting_people=check.exiting_people, rule=check.wrong_exit_rule, wrong_exit_seed=check.wrong_exit_seed,
        sampled_exiting_people=rates.sampled_exiting_people, wrong_exit_people=rates.wrong_exit_people,
        wrong_exit=percent(rates.wrong_exit), missed_group=check.missed_group or "（无）",
        missed_seed=check.missed_seed, sampled_non_poor_people=rates.sampled_non_poor_people,
        missed_people=rates.missed_people, missed=percent(rates.missed),
        incidence=percent(rates.incidence) if rates.incidence is not None else "",
        respondents=rates.respondents, satisfied=rates.satisfied, approval=percent(rates.approval),
        conclusion=conclusion,
        samples=tuple(SampledRow(i, SAMPLE_KIND_NAMES[h.kind], h.group_name, heads.get(h.household_id, ""), h.people,
                                 _result(h.found, h.note, h.kind.value)) for i, h in enumerate(sampled, 1)),
    )


def build_three_rates_summary_context(
    session: Session, *, county_code: str, year: int, check_ids: Sequence[int], now: datetime
) -> ThreeRatesSummaryContext:
    """What the summary of these village checks prints, in village-code order."""
    from models.door.cases import load_rows

    checks = sorted((c for c in (session.get(VillageCheck, i) for i in check_ids) if c is not None),
                    key=lambda c: c.village_code)
    if len(checks) != len(set(check_ids)) or not checks:
        raise NotFound("没有可汇总的村级核查记录")
    county = region(session, county_code)
    standard = village_exit_policy(county_code, year)
    rows = load_rows(session, [c.case_id for c in checks])
    visits = {r.id: r for r in session.exec(select(StageRecord).where(
        col(StageRecord.id).in_([c.stage_record_id for c in checks])))}
    case_rows = {}
    for check in checks:
        row = rows.get(check.case_id)
        visit = visits[check.stage_record_id]
        if row is not None:  # the assessment of the checked visit, even after the case has moved on
            row = CaseRow(row.id, row.chain, row.year, visit.stage, row.status, row.version, row.village_code,
                          None, visit.id, visit.opened_at, visit.outcome)
        case_rows[check.id] = row
    team = session.exec(select(Actor.name).where(Actor.role == Role.COUNTY_RECHECK_TEAM,
                                                 Actor.region_code == county.code).order_by(col(Actor.id))).all()
    lines = title_lines(county.name, f"{year}年", "贫困退出", "“三率一度”", "验收核查情况汇总表")
    limits = (f"错退率{standard.wrong_exit_rate.describe('%')}，漏评率{standard.missed_rate.describe('%')}，"
              f"群众认可度{standard.approval_rate.describe('%')}，综合贫困发生率{standard.incidence.describe('%')}")
    return ThreeRatesSummaryContext(
        title="".join(lines), title_lines=lines, county=county.name, year=year, limits=limits,
        villages=tuple(_village(session, i, c, case_rows[c.id]) for i, c in enumerate(checks, 1)),
        team=tuple(team), made_on=local_date(now),
    )


def render_three_rates_summary(
    session: Session, *, county_code: str, year: int, check_ids: Sequence[int], now: datetime
) -> Document:
    """Render and store the county's 三率一度 summary of these checks (internal; the caller commits)."""
    context = build_three_rates_summary_context(session, county_code=county_code, year=year, check_ids=check_ids,
                                                now=now)
    checks = [c for c in (session.get(VillageCheck, i) for i in check_ids) if c is not None]
    visit = session.get(StageRecord, checks[0].stage_record_id)
    case = session.get(Case, checks[0].case_id)
    assert visit is not None and case is not None
    return store(
        session, kind=KIND, chain=case.chain, year=year, stage=visit.stage, scope_code=county_code,
        case_ids=[c.case_id for c in checks], html=render(f"{KIND}.html.j2", context), public=False, number="",
        now=now, suffix=str(year),
    )


@dataclass(frozen=True)
class CountyChecks:
    """A county's newest village checks of the year whose stage visits are decided."""

    county_code: str
    check_ids: list[int]


def _ready(session: Session, run: Run) -> list[CountyChecks]:
    """Counties whose villages are all decided at the county check, with a decision since the last summary."""
    owed = []
    for county in batch_decided(session, run, Level.COUNTY, KIND):
        newest: dict[int, int] = {}
        for check_id, case_id in session.execute(
            select(col(VillageCheck.id), col(VillageCheck.case_id))
            .join(Case, col(Case.id) == col(VillageCheck.case_id))
            .join(StageRecord, col(StageRecord.id) == col(VillageCheck.stage_record_id))
            .where(col(Case.chain) == run.chain, col(Case.year) == run.year,
                   col(Case.village_code).startswith(prefix(county, Level.COUNTY)), col(StageRecord.stage) == run.stage,
                   col(StageRecord.outcome).is_not(None))
            .order_by(col(VillageCheck.id))
        ).tuples():
            newest[case_id] = check_id or 0
        if newest:
            owed.append(CountyChecks(county, sorted(newest.values())))
    return owed


def _render(session: Session, run: Run, batch: CountyChecks, now: datetime) -> Document:
    return render_three_rates_summary(session, county_code=batch.county_code, year=run.year,
                                      check_ids=batch.check_ids, now=now)


register(Paper(KIND, "三率一度验收核查情况汇总表", Trigger.BATCH_DECIDED, Scope.COUNTY, _ready, _render))
