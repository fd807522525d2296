"""The county's 大排查大整改 ledger and overdue notice (整改台账 / 逾期未整改情况通报, internal): per responsible unit
the findings open, fixed, verified and closed, each overdue finding with its days overdue, the whole ledger, and the
checklist items it cites with their 整改措施 as the plan writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.rectification.findings import CODE, RectificationFinding, RectificationItem
from models.chains.rectification.report import FindingLine, UnitLine, finding_lines, unit_report
from models.core.clock import cn_date, local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.regions import Level, prefix
from models.documents.common import region, stage_issuing, title_lines
from models.documents.owed import decided_since_paper
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store

KIND = "rectification_ledger"


@dataclass(frozen=True)
class CitedItem:
    code: str
    section: str
    title: str
    content: str
    fix: str
    units_text: str
    due_text: str


@dataclass(frozen=True)
class RectificationLedgerContext:
    title: str
    title_lines: tuple[str, ...]
    county: str
    year: int
    as_of: date
    summary: str
    units: tuple[UnitLine, ...]
    overdue: tuple[FindingLine, ...]
    findings: tuple[FindingLine, ...]
    items: tuple[CitedItem, ...]
    office: str
    contact: str
    made_on: date


def build_rectification_ledger_context(session: Session, *, county_code: str, year: int,
                                       now: datetime) -> RectificationLedgerContext:
    """What the county's ledger prints as of `now`: units in the order they were first assigned a finding."""
    county = region(session, county_code)
    scope = prefix(county_code, Level.COUNTY)
    findings = finding_lines(session, scope_prefix=scope, year=year, now=now)
    if not findings:
        raise NotFound(f"{county.name}{year}年度没有登记排查问题")
    units = unit_report(session, scope_prefix=scope, year=year, now=now)
    overdue = sorted((f for u in units for f in u.overdue), key=lambda f: (-f.days_overdue, f.case_id))
    item_ids = session.exec(select(col(RectificationFinding.item_id)).where(
        col(RectificationFinding.case_id).in_([f.case_id for f in findings]))).all()
    items = session.exec(select(RectificationItem).where(col(RectificationItem.id).in_(set(item_ids)))
                         .order_by(col(RectificationItem.id))).all()
    as_of = local_date(now)
    counted = [f for f in findings if f.state != "WITHDRAWN"]
    done = sum(1 for f in counted if f.state == "CLOSED")
    summary = (f"截至{cn_date(as_of)}，全县登记排查问题{len(counted)}个，已整改销号{done}个，"
               f"逾期未整改{len(overdue)}个，涉及责任单位{sum(1 for u in units if u.overdue)}个。")
    lines = title_lines(county.name, f"{year}年", "大排查大整改", "整改台账及", "逾期未整改情况通报")
    return RectificationLedgerContext(
        title="".join(lines), title_lines=lines, county=county.name, year=year, as_of=as_of, summary=summary,
        units=tuple(units), overdue=tuple(overdue), findings=tuple(findings),
        items=tuple(CitedItem(i.code, i.section, i.title, i.content, i.fix, i.units_text, i.due_text) for i in items),
        office=f"{county.name}扶贫开发办公室", contact=f"{county.contact_name}，电话：{county.contact_phone}",
        made_on=as_of,
    )


def render_rectification_ledger(session: Session, *, county_code: str, year: int, now: datetime) -> Document:
    """Render and store the county's ledger as of `now` (internal; the caller commits)."""
    context = build_rectification_ledger_context(session, county_code=county_code, year=year, now=now)
    return store(
        session, kind=KIND, chain=CODE, year=year, stage=stage_issuing(CODE, KIND), scope_code=county_code,
        case_ids=[f.case_id for f in context.findings], html=render(f"{KIND}.html.j2", context), public=False,
        number="", now=now, suffix=f"{year}-{context.as_of:%Y%m%d}",
    )


def _ready(session: Session, run: Run) -> list[str]:
    """Counties with a finding closed out (decided at the close-out) since their last ledger."""
    return list(decided_since_paper(session, run, Level.COUNTY, KIND))


def _render(session: Session, run: Run, county_code: str, now: datetime) -> Document:
    return render_rectification_ledger(session, county_code=county_code, year=run.year, now=now)


register(Paper(KIND, "整改台账", Trigger.EACH_DAY, Scope.COUNTY, _ready, _render))
