"""The county's ranked summary table of applying key villages (相对贫困村申报汇总表, seed 004 “按相对贫困程度排序
填写申报汇总表”): the figures checked by the county poverty office with the statistics bureau, ranked county-wide,
issued in the county government's name to the city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.chains.key_village.documents.township_list import CHAIN, RankRow, ranked_rows, scope_case_ids
from models.chains.key_village.figures import RANKING_RULE
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.regions import Level
from models.documents.common import region, stage_issuing, title_lines
from models.documents.owed import batch_decided
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store

KIND = "key_village_county_summary"
STAGE = "KEY_COUNTY_CHECK"


@dataclass(frozen=True)
class CountySummaryContext:
    title: str
    title_lines: tuple[str, ...]
    year: int
    rule: str
    condition: str
    rows: tuple[RankRow, ...]
    eligible: int
    issuer: str
    addressee: str
    contact_name: str
    contact_phone: str
    issued_on: date


def build_county_summary_context(session: Session, *, county_code: str, year: int,
                                 now: datetime) -> CountySummaryContext:
    """The county-wide ranked table, from the figures the county's survey team checked."""
    county = region(session, county_code)
    if county.level is not Level.COUNTY:
        raise NotFound(f"{county.name}不是县级区划")
    ids = scope_case_ids(session, county_code, Level.COUNTY, year, STAGE)
    if not ids:
        raise NotFound(f"{county.name}{year}年度没有经县级审核的重点帮扶村申报")
    rows, eligible, condition = ranked_rows(session, ids, STAGE, year, county_code)
    city = region(session, county.parent_code) if county.parent_code else county
    lines = title_lines(county.name, f"{year}年度", "相对贫困村", "申报汇总表")
    return CountySummaryContext(
        title="".join(lines), title_lines=lines, year=year, rule=RANKING_RULE, condition=condition, rows=rows,
        eligible=eligible, issuer=county.office_name, addressee=city.office_name, contact_name=county.contact_name,
        contact_phone=county.contact_phone, issued_on=local_date(now),
    )


def render_key_village_county_summary(session: Session, *, county_code: str, year: int, now: datetime) -> Document:
    """Render and store the county's summary table (internal; the caller commits)."""
    context = build_county_summary_context(session, county_code=county_code, year=year, now=now)
    ids = scope_case_ids(session, county_code, Level.COUNTY, year, STAGE)
    return store(session, kind=KIND, chain=CHAIN, year=year, stage=stage_issuing(CHAIN, KIND), scope_code=county_code,
                 case_ids=ids, html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
                 suffix=county_code)


def _ready(session: Session, run: Run) -> list[str]:
    """Counties whose villages are all decided at the county's check (STAGE, the stage before the confirmation that
    lists the table), with a decision there since the last table and figures to rank."""
    return [code for code in batch_decided(session, run, Level.COUNTY, KIND, STAGE)
            if scope_case_ids(session, code, Level.COUNTY, run.year, STAGE)]


def _render(session: Session, run: Run, county_code: str, now: datetime) -> Document:
    return render_key_village_county_summary(session, county_code=county_code, year=run.year, now=now)


register(Paper(KIND, "县申报汇总表", Trigger.BATCH_DECIDED, Scope.COUNTY, _ready, _render))
