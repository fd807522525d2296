"""Assistance after a warning (seed 003 补短帮扶、销号管理): the township hands each missing item to the industry
department that fixes it, with a time limit in working days on the holiday calendar; the department records its
measures and asks for close-out (销号申请); the township verifies each item. The case's moves go through the door.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.chains.monitoring.campaign import monitoring_policy, warnings_of
from models.chains.monitoring.tables import MonitoringAssignment
from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.errors import InvalidInput
from models.core.regions import Level, prefix
from models.core.workdays import workday_deadline
from models.door.chain import Input
from models.door.inputs import admit
from models.home_checks.standards import GUARANTEES
from models.policy.loading import policy_for

ASSIST = "MON_ASSIST"
CLOSEOUT = "MON_CLOSEOUT"


def assignments_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[MonitoringAssignment]]:
    """Each case's assignments, in the order they were made."""
    found: dict[int, list[MonitoringAssignment]] = {}
    for assignment in session.exec(select(MonitoringAssignment).where(
            col(MonitoringAssignment.case_id).in_(list(case_ids))).order_by(col(MonitoringAssignment.id))):
        found.setdefault(assignment.case_id, []).append(assignment)
    return found


def guarantee_of(session: Session, assignment: MonitoringAssignment) -> str:
    from models.chains.monitoring.tables import MonitoringWarning

    warning = session.get(MonitoringWarning, assignment.warning_id)
    assert warning is not None
    return warning.guarantee


def department_name(village_code: str, year: int, guarantee: str) -> str:
    """The county's department that fixes this item, e.g. 长沙县住房和城乡建设局 (policy [monitoring.departments])."""
    departments = monitoring_policy(village_code, year).departments
    if guarantee not in departments:
        raise InvalidInput(f"{village_code[:2]}/{year}.toml", "monitoring.departments", guarantee,
                           f"未设置“{GUARANTEES.get(guarantee, guarantee)}”的责任行业部门")
    return departments[guarantee]


def assign_departments(*, session: Session, case_id: int, liaisons: Mapping[str, Actor], actor: Actor,
                       now: datetime) -> list[MonitoringAssignment]:
    """Hand each unassigned warning of the case to its department's person (交办), due in the policy's working days
    of MON_ASSIST from today (the caller commits); at confirmation, or for a warning raised during assistance."""
    case = admit(session=session, case_ids=[case_id], actor=actor, stage=None, kind=Input.ASSIGNMENT, now=now)[case_id]
    record = f"案件{case_id}交办"
    workdays = policy_for(case.village_code, case.year).deadline_workdays.get(ASSIST)
    if workdays is None:
        raise InvalidInput(f"{case.village_code[:2]}/{case.year}.toml", "deadline_workdays", ASSIST,
                           "须设置行业部门补短帮扶的工作日时限")
    # imported here: models.documents brings Jinja2 and the document builders, which the chain table
    # (imported by every read, `tuopin status` too) does not need
    from models.documents.common import region

    county = region(session, prefix(case.village_code, Level.COUNTY).ljust(12, "0"))
    assigned = {a.warning_id for a in assignments_of(session, [case_id]).get(case_id, [])}
    made: list[MonitoringAssignment] = []
    for warning in warnings_of(session, [case_id]).get(case_id, []):
        if warning.id in assigned or warning.guarantee not in liaisons:
            continue
        liaison = liaisons[warning.guarantee]
        if liaison.role is not Role.INDUSTRY_DEPARTMENT or not liaison.covers(case.village_code):
            raise InvalidInput(record, f"{GUARANTEES[warning.guarantee]}责任人", liaison.title(),
                               f"须为本县{ROLE_NAMES[Role.INDUSTRY_DEPARTMENT]}人员")
        due = workday_deadline(now, workdays)
        assignment = MonitoringAssignment(
            warning_id=warning.id or 0, case_id=case_id,
            department=county.name + department_name(case.village_code, case.year, warning.guarantee),
            liaison_id=liaison.id or 0, workdays=workdays, assigned_at=now, due_at=due.at, due_on=due.last_day,
            provisional=due.provisional, assigned_by=actor.id or 0)
        session.add(assignment)
        made.append(assignment)
    session.flush()
    return made


def request_closeout(*, session: Session, case_id: int, actor: Actor, measures: str,
                     now: datetime) -> list[MonitoringAssignment]:
    """The department's person records the measures taken and asks to close out their items (the caller commits)."""
    admit(session=session, case_ids=[case_id], actor=actor, stage=ASSIST, kind=Input.CLOSEOUT_REQUEST, now=now)
    record = f"案件{case_id}销号申请"
    if not measures.strip():
        raise InvalidInput(record, "帮扶措施", measures, "须写明采取的补短帮扶措施")
    mine = [a for a in assignments_of(session, [case_id]).get(case_id, []) if a.liaison_id == actor.id]
    if not mine:
        raise InvalidInput(record, "申请人", actor.title(), "不是本案交办的行业部门责任人")
    for assignment in mine:
        assignment.measures, assignment.requested_at = measures.strip(), now
        assignment.verified_at, assignment.verified_ok, assignment.verified_by = None, None, None
        session.add(assignment)
    session.flush()
    return mine


def verify_closeout(*, session: Session, case_id: int, actor: Actor, results: Mapping[str, bool], note: str,
                    now: datetime) -> list[MonitoringAssignment]:
    """The township verifies each item the departments asked to close out (核实), met or not; an item not met gets a
    new time limit of the same number of working days from today (the caller commits)."""
    admit(session=session, case_ids=[case_id], actor=actor, stage=CLOSEOUT, kind=Input.CLOSEOUT_CHECK, now=now)
    record = f"案件{case_id}销号核实"
    assignments = assignments_of(session, [case_id]).get(case_id, [])
    by_item = {guarantee_of(session, a): a for a in assignments}
    for key in results:
        if key not in by_item:
            raise InvalidInput(record, "核实项", GUARANTEES.get(key, key), "不是本案交办的缺项")
    for key, assignment in by_item.items():
        if key not in results:
            raise InvalidInput(record, "核实项", GUARANTEES[key], "须填写核实结果（达标或未达标）")
        assignment.verified_at, assignment.verified_ok = now, bool(results[key])
        assignment.verified_by, assignment.verify_note = actor.id, note.strip()
        if not results[key]:
            # Not met: the department goes on under a new limit of the same length, counted from today.
            due = workday_deadline(now, assignment.workdays)
            assignment.due_at, assignment.due_on, assignment.provisional = due.at, due.last_day, due.provisional
        session.add(assignment)
    session.flush()
    return assignments
