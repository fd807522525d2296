"""A scripted monitoring year for the demo: a township's campaign with the seed's phases, monthly rounds in two
villages, three warnings handed to industry departments with a working-day limit across the National Day holiday,
one close-out on time, one overdue (flagged by the sweep), one returned at verification, all closed out in the end.

Confirmed on 2026-09-29 with 10 working days, the limit runs to 2026-10-19: 10-01 to 10-07 are off and the make-up
Saturday 10-10 counts (on weekends alone it would have been 10-13, and without 10-10 it would be 10-20).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from demo.papers import write_papers
from models.chains.monitoring.assist import (
    assign_departments,
    assignments_of,
    guarantee_of,
    request_closeout,
    verify_closeout,
)
from models.chains.monitoring.campaign import campaign_phases, create_campaign, hold_round
from models.chains.monitoring.documents.closeout_form import timeliness
from models.chains.monitoring.stages import CODE
from models.core.actors import Role, system_actor
from models.core.case import Case
from models.core.clock import local_date, parse
from models.core.document import Document
from models.core.errors import InvalidInput, TransitionRefused
from models.core.household import Household
from models.core.regions import Level, prefix
from models.door.engine import Move, transition
from models.door.overdue import flag_overdue
from models.home_checks.standards import GUARANTEES
from synthetic.area import Area, build_area
from synthetic.clerks import Clerks
from synthetic.monitoring import add_departments

YEAR = 2026
MEASURES = {
    "housing": "实施农村危房改造，加固墙体、更换屋面，经鉴定为安全住房",
    "education": "落实控辍保学，劝返学生入校就读并落实教育资助",
    "water": "新建集中供水管网入户，水质检测合格",
}


@dataclass(frozen=True)
class Refusal:
    when: datetime
    what: str
    reason: str


@dataclass(frozen=True)
class AssignmentOutcome:
    case_id: int
    head: str
    guarantee: str
    department: str
    assigned_on: date
    workdays: int
    due_on: date
    requested_on: date | None
    timeliness: str


@dataclass(frozen=True)
class CaseOutcome:
    case_id: int
    head: str
    village_code: str
    status: str
    stage: str


@dataclass
class MonitoringDemoSummary:
    campaign_id: int = 0
    phases: list[tuple[str, date, date]] = field(default_factory=list)
    rounds: int = 0
    warnings: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    returned: list[tuple[int, str]] = field(default_factory=list)
    overdue_at_due: int = 0  # flagged by the sweep at 23:00 on the last day (none: the day is not over)
    overdue_flagged: int = 0  # flagged by the sweep just after midnight
    overdue_cases: list[int] = field(default_factory=list)
    assignments: list[AssignmentOutcome] = field(default_factory=list)
    cases: list[CaseOutcome] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    finished_at: datetime = field(default_factory=lambda: parse("2026-10-23 17:00"))


def _observations(session: Session, village: str, missing: dict[int, str]) -> dict[int, dict[str, bool]]:
    households = session.execute(select(col(Household.id)).where(col(Household.village_code) == village)
                                 .order_by(col(Household.number))).scalars().all()
    return {h: {key: missing.get(h) != key for key in GUARANTEES} for h in households}


def run_monitoring_demo(*, session: Session, area: Area | None = None, year: int = YEAR,
                        seed: int = 2026) -> MonitoringDemoSummary:
    """Build (or reuse) the demo area, run the township's monitoring year, and say what happened."""
    area = area or build_area(session, townships=1, villages_per_township=3, households=30, people=96, year=year,
                              seed=seed)
    township = area.townships[0]
    villages = area.villages[township][:2]
    liaisons = add_departments(session, area.county_code, year, random.Random(seed))
    clerks = Clerks(session, CODE, year, prefix(township, Level.TOWNSHIP))
    government = clerks.actor(Role.TOWNSHIP_GOVERNMENT, villages[0])
    committees = {v: clerks.actor(Role.VILLAGE_COMMITTEE, v) for v in villages}
    summary = MonitoringDemoSummary()

    campaign = create_campaign(session=session, region_code=township, year=year, actor=government,
                               now=parse(f"{year}-03-16 09:00"))
    session.commit()
    summary.campaign_id = campaign.id or 0
    summary.phases = [(p.name, p.starts_on, p.ends_on) for p in campaign_phases(session, summary.campaign_id)]

    early = parse(f"{year}-04-15 16:00")
    try:
        hold_round(session=session, campaign_id=summary.campaign_id, village_code=villages[0], held_at=early,
                   actor=committees[villages[0]], observations=_observations(session, villages[0], {}))
    except InvalidInput as refused:
        session.rollback()
        summary.refusals.append(Refusal(early, "录入阶段最后一天开展动态监测", str(refused)))

    first = {v: _observations(session, v, {}) for v in villages}
    a, c = list(first[villages[0]])[:2]
    b = list(first[villages[1]])[0]
    plan = {villages[0]: {a: "housing", c: "water"}, villages[1]: {b: "education"}}
    for when, missing in ((f"{year}-08-20 10:00", {}), (f"{year}-09-24 10:00", plan)):
        for village in villages:
            held = hold_round(session=session, campaign_id=summary.campaign_id, village_code=village,
                                held_at=parse(when), actor=committees[village],
                                observations=_observations(session, village, missing.get(village, {})))
            summary.rounds += 1
            summary.warnings += held.warnings
        session.commit()
        write_papers(clerks, "MON_FLAG", parse(when))  # each round's summary, once it is held
    case_of = dict(session.execute(select(col(Case.household_id), col(Case.id)).where(
        col(Case.chain) == CODE, col(Case.year) == year)).tuples().all())
    case_a, case_b, case_c = case_of[a], case_of[b], case_of[c]

    clerks.decide("MON_FLAG", parse(f"{year}-09-25 10:00"))

    confirm = parse(f"{year}-09-29 10:00")
    without_water = {k: v for k, v in liaisons.items() if k != "water"}
    for case_id in (case_a, case_b, case_c):
        assign_departments(session=session, case_id=case_id, liaisons=without_water, actor=government, now=confirm)
    session.commit()
    result = transition(session=session, chain=CODE, stage="MON_CONFIRM", case_ids=[case_a, case_b, case_c],
                        move=Move.APPROVE, actor=government, now=confirm, strict=False)
    for case_id, reason in result.refused.items():
        summary.refusals.append(Refusal(confirm, f"案件{case_id}审核确定预警", reason))
    assign_departments(session=session, case_id=case_c, liaisons=liaisons, actor=government, now=confirm)
    session.commit()
    transition(session=session, chain=CODE, stage="MON_CONFIRM", case_ids=[case_c], move=Move.APPROVE,
               actor=government, now=confirm)
    write_papers(clerks, "MON_CONFIRM", confirm)  # a notice to each department of each item handed to it

    def department_closes(case_id: int, key: str, when: str) -> None:
        request_closeout(session=session, case_id=case_id, actor=liaisons[key], measures=MEASURES[key],
                         now=parse(when))
        transition(session=session, chain=CODE, stage="MON_ASSIST", case_ids=[case_id], move=Move.APPROVE,
                   actor=liaisons[key], now=parse(when))

    def township_verifies(case_id: int, key: str, met: bool, when: str, note: str) -> None:
        verify_closeout(session=session, case_id=case_id, actor=government, results={key: met}, note=note,
                        now=parse(when))
        session.commit()
        if met:
            transition(session=session, chain=CODE, stage="MON_CLOSEOUT", case_ids=[case_id], move=Move.APPROVE,
                       actor=government, now=parse(when))
        else:
            reason = f"核实未达标：{GUARANTEES[key]}，{note}"
            transition(session=session, chain=CODE, stage="MON_CLOSEOUT", case_ids=[case_id], move=Move.RETURN,
                       actor=government, now=parse(when), reason=reason)
            summary.returned.append((case_id, reason))
        session.commit()
        write_papers(clerks, "MON_CLOSEOUT", parse(when))  # the close-out form of the township's decision

    department_closes(case_c, "water", f"{year}-10-14 10:00")
    try:
        transition(session=session, chain=CODE, stage="MON_CLOSEOUT", case_ids=[case_c], move=Move.APPROVE,
                   actor=government, now=parse(f"{year}-10-15 09:00"))
    except TransitionRefused as refused:
        summary.refusals.append(Refusal(parse(f"{year}-10-15 09:00"), f"案件{case_c}未核实即批准销号", refused.reason))
    township_verifies(case_c, "water", False, f"{year}-10-15 10:00", "入户管网未通水")
    department_closes(case_a, "housing", f"{year}-10-16 15:00")

    system = system_actor(session)
    summary.overdue_at_due = flag_overdue(session=session, now=parse(f"{year}-10-19 23:00"), actor=system)
    session.commit()
    summary.overdue_flagged = flag_overdue(session=session, now=parse(f"{year}-10-20 00:05"), actor=system)
    session.commit()
    from models.core.case import StageRecord

    summary.overdue_cases = sorted(session.execute(select(col(StageRecord.case_id)).where(
        col(StageRecord.overdue_at).is_not(None))).scalars())

    township_verifies(case_a, "housing", True, f"{year}-10-20 10:00", "现场核实住房安全")
    department_closes(case_c, "water", f"{year}-10-21 10:00")
    department_closes(case_b, "education", f"{year}-10-22 11:00")
    township_verifies(case_c, "water", True, f"{year}-10-23 10:00", "现场核实已通水，水质合格")
    township_verifies(case_b, "education", True, f"{year}-10-23 15:00", "学生已返校就读")
    return _summarize(session, summary, [case_a, case_b, case_c])


def _summarize(session: Session, summary: MonitoringDemoSummary, case_ids: list[int]) -> MonitoringDemoSummary:
    session.expire_all()
    heads = dict(session.execute(select(col(Case.id), col(Household.head_name))
                                 .join(Household, col(Household.id) == col(Case.household_id))
                                 .where(col(Case.id).in_(case_ids))).tuples().all())
    for case_id, items in sorted(assignments_of(session, case_ids).items()):
        for a in items:
            summary.assignments.append(AssignmentOutcome(
                case_id, heads[case_id], GUARANTEES[guarantee_of(session, a)], a.department,
                local_date(a.assigned_at), a.workdays, a.due_on,
                local_date(a.requested_at) if a.requested_at else None, timeliness(a.requested_at, a.due_at, a.due_on)))
    for case_id in case_ids:
        case = session.get(Case, case_id)
        assert case is not None
        summary.cases.append(CaseOutcome(case_id, heads[case_id], case.village_code, case.status.value, case.stage))
    summary.documents = sorted(session.execute(select(col(Document.path)).where(col(Document.chain) == CODE))
                               .scalars())
    return summary
