"""The assignment notice (交办单) the township sends an industry department for one warned item of a household: the
item, the time limit in working days and its due date on the holiday calendar (holidays skipped, make-up working
days counted), marked provisional where the limit reaches a year whose holiday arrangement is not published yet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models.chains.monitoring.tables import MonitoringAssignment, MonitoringRound, MonitoringWarning
from models.core.actors import Actor
from models.core.case import Case
from models.core.clock import cn_date, local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.workdays import PROVISIONAL_NOTE, is_workday
from models.documents.common import listed_households, parent, region, stage_issuing
from models.documents.owed import stored_paths
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import document_path, render, store
from models.home_checks.standards import GUARANTEES

KIND = "monitoring_assignment_notice"
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class AssignmentNoticeContext:
    title: str
    township_office: str
    department: str
    liaison: str
    village: str
    group: str
    head: str
    number: str
    size: int
    guarantee: str
    found_in: str
    assigned_on: date
    workdays: int
    due_on: date
    holidays_skipped: str
    makeup_counted: str
    provisional_note: str
    contact: str
    made_on: date


def cn_days(days: Sequence[date]) -> str:
    """Days as a list: 2026年10月1日、10月2日 (the year only where it changes), with the weekday of weekend days."""
    parts, year = [], 0
    for day in days:
        text = cn_date(day) if day.year != year else f"{day.month}月{day.day}日"
        if day.weekday() >= 5:
            text += f"（星期{WEEKDAYS[day.weekday()]}）"
        parts.append(text)
        year = day.year
    return "、".join(parts)


def calendar_facts(first: date, last: date) -> tuple[list[date], list[date]]:
    """Weekdays off for a holiday, and weekend days made working days, from `first` to `last` inclusive."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return ([d for d in days if d.weekday() < 5 and not is_workday(d)],
            [d for d in days if d.weekday() >= 5 and is_workday(d)])


def build_assignment_notice_context(session: Session, *, assignment_id: int, now: datetime) -> AssignmentNoticeContext:
    assignment = session.get(MonitoringAssignment, assignment_id)
    if assignment is None:
        raise NotFound(f"交办记录{assignment_id}不存在")
    warning = session.get(MonitoringWarning, assignment.warning_id)
    assert warning is not None
    held = session.get(MonitoringRound, warning.round_id)
    liaison = session.get(Actor, assignment.liaison_id)
    assert held is not None and liaison is not None
    household = listed_households(session, [assignment.case_id])[0]
    township = parent(session, region(session, household.village_code))
    assigned_on = local_date(assignment.assigned_at)
    skipped, makeup = calendar_facts(assigned_on + timedelta(days=1), assignment.due_on)
    return AssignmentNoticeContext(
        title="防止返贫监测预警交办单", township_office=township.office_name, department=assignment.department,
        liaison=liaison.name, village=household.village, group=household.group, head=household.head,
        number=household.number, size=household.size, guarantee=GUARANTEES[warning.guarantee],
        found_in=f"{held.held_on.year}年{held.month}月动态监测（{cn_date(held.held_on)}）",
        assigned_on=assigned_on, workdays=assignment.workdays, due_on=assignment.due_on,
        holidays_skipped=cn_days(skipped), makeup_counted=cn_days(makeup),
        provisional_note=PROVISIONAL_NOTE if assignment.provisional else "",
        contact=f"{township.contact_name}，电话：{township.contact_phone}", made_on=local_date(now),
    )


def render_assignment_notice(session: Session, *, assignment_id: int, now: datetime) -> Document:
    """Render and store the notice of one assignment (internal; the caller commits)."""
    context = build_assignment_notice_context(session, assignment_id=assignment_id, now=now)
    assignment = session.get(MonitoringAssignment, assignment_id)
    assert assignment is not None
    case = session.get(Case, assignment.case_id)
    assert case is not None
    return store(
        session, kind=KIND, chain=case.chain, year=case.year, stage=stage_issuing(case.chain, KIND),
        scope_code=case.village_code,
        case_ids=[case.id or 0], html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=str(assignment_id),
    )


def _ready(session: Session, run: Run) -> list[int]:
    """The run's assignments (交办) with no notice yet, in the order they were made."""
    made = session.execute(
        select(col(MonitoringAssignment.id), col(Case.year), col(Case.village_code))
        .join(Case, col(Case.id) == col(MonitoringAssignment.case_id))
        .where(col(Case.chain) == run.chain, col(Case.year) == run.year, col(Case.village_code).startswith(run.scope))
        .order_by(col(MonitoringAssignment.id))
    ).tuples().all()
    paths = {str(document_path(kind=KIND, year=year, scope_code=village, suffix=str(id_))): id_
             for id_, year, village in made if id_ is not None}
    stored = stored_paths(session, KIND, list(paths))
    return [id_ for path, id_ in paths.items() if path not in stored]


def _render(session: Session, run: Run, assignment_id: int, now: datetime) -> Document:
    return render_assignment_notice(session, assignment_id=assignment_id, now=now)


register(Paper(KIND, "预警交办通知", Trigger.RECORDED, Scope.HOUSEHOLD, _ready, _render))
