"""The close-out approval form (销号审批表) of one household's warnings: per item the department, its time limit,
the measures, when close-out was asked for (on time or how many working days late), the township's verification,
and the approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.monitoring.assist import CLOSEOUT, assignments_of, guarantee_of
from models.core.actors import Actor
from models.core.case import Case, Outcome, StageRecord, Status
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.workdays import PROVISIONAL_NOTE, workdays_between
from models.documents.common import listed_households, parent, region
from models.documents.decided import decided_without
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.home_checks.standards import GUARANTEES

KIND = "monitoring_closeout_form"


@dataclass(frozen=True)
class CloseoutRow:
    serial: int
    guarantee: str
    department: str
    assigned_on: date
    workdays: int
    due_on: date
    provisional_note: str
    measures: str
    requested_on: date | None
    timeliness: str
    verified: str
    verify_note: str


@dataclass(frozen=True)
class CloseoutFormContext:
    title: str
    township: str
    township_office: str
    village: str
    group: str
    head: str
    number: str
    size: int
    rows: tuple[CloseoutRow, ...]
    verified_by: str
    conclusion: str
    approved_on: date | None
    made_on: date


def timeliness(requested_at: datetime | None, due_at: datetime, due_on: date) -> str:
    """按期 when asked before the limit ran out, otherwise how many working days late."""
    if requested_at is None:
        return "未申请"
    if requested_at < due_at:
        return "按期"
    return f"逾期{workdays_between(due_on, local_date(requested_at)).days}个工作日"


def build_closeout_form_context(session: Session, *, case_id: int, now: datetime) -> CloseoutFormContext:
    case = session.get(Case, case_id)
    assignments = assignments_of(session, [case_id]).get(case_id, [])
    if case is None or not assignments:
        raise NotFound(f"监测案件{case_id}不存在或尚未交办行业部门")
    household = listed_households(session, [case_id])[0]
    township = parent(session, region(session, household.village_code))
    rows = []
    verifiers = []
    for serial, a in enumerate(assignments, start=1):
        verified = "未核实" if a.verified_at is None else "达标" if a.verified_ok else "未达标"
        if a.verified_by is not None:
            verifier = session.get(Actor, a.verified_by)
            verifiers.append(verifier.title() if verifier else "")
        rows.append(CloseoutRow(
            serial=serial, guarantee=GUARANTEES[guarantee_of(session, a)], department=a.department,
            assigned_on=local_date(a.assigned_at), workdays=a.workdays, due_on=a.due_on,
            provisional_note=PROVISIONAL_NOTE if a.provisional else "", measures=a.measures,
            requested_on=local_date(a.requested_at) if a.requested_at else None,
            timeliness=timeliness(a.requested_at, a.due_at, a.due_on), verified=verified, verify_note=a.verify_note))
    approved = session.exec(select(StageRecord.decided_at).where(
        col(StageRecord.case_id) == case_id, col(StageRecord.stage) == CLOSEOUT,
        col(StageRecord.outcome) == Outcome.APPROVED)).first()
    if case.status == Status.EXITED and approved is not None:
        conclusion = "经核实，缺项均已达标，同意销号"
    elif any(r.verified == "未达标" for r in rows):
        conclusion = "经核实，仍有缺项未达标，退回行业部门继续帮扶"
    else:
        conclusion = "待乡镇核实"
    return CloseoutFormContext(
        title="防止返贫监测预警销号审批表", township=township.name, township_office=township.office_name,
        village=household.village, group=household.group, head=household.head, number=household.number,
        size=household.size, rows=tuple(rows), verified_by="、".join(dict.fromkeys(v for v in verifiers if v)),
        conclusion=conclusion, approved_on=local_date(approved) if approved else None, made_on=local_date(now),
    )


def render_closeout_form(session: Session, *, case_id: int, now: datetime) -> Document:
    """Render and store a household's close-out form (internal; the caller commits)."""
    context = build_closeout_form_context(session, case_id=case_id, now=now)
    case = session.get(Case, case_id)
    assert case is not None
    return store(
        session, kind=KIND, chain=case.chain, year=case.year, stage=CLOSEOUT, scope_code=case.village_code,
        case_ids=[case_id], html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=str(case_id),
    )


def _ready(session: Session, run: Run) -> list[int]:
    """The run's cases decided at the close-out with no form made since the decision, in case order."""
    return [d.case_id for d in decided_without(session, chain=run.chain, year=run.year, scope=run.scope,
                                               stage=run.stage, kind=KIND)]


def _render(session: Session, run: Run, case_id: int, now: datetime) -> Document:
    return render_closeout_form(session, case_id=case_id, now=now)


register(Paper(KIND, "预警销号审批表", Trigger.DECIDED, Scope.HOUSEHOLD, _ready, _render))
