"""F. Monitoring and assistance 防止返贫监测和帮扶 (seed 003; DOMAIN §4 F): a warning's 4 stages and their guards.

A case is one household's warnings of the year, opened when a monthly round finds an item of 两不愁三保障一安全
missing (campaign.py): the village flags it, the township confirms it and hands each item to an
industry department with a time limit in working days, the department asks for close-out (销号), and the township
verifies and approves it (assist.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from models.chains.monitoring.assist import assignments_of
from models.chains.monitoring.campaign import CHAIN, warnings_of
from models.core.actors import Role
from models.core.regions import Level
from models.door.chain import CaseRow, Chain, Guard, Input, Stage, Takes, register
from models.home_checks.standards import GUARANTEES

CODE = CHAIN
# The township (its government or its check team, 镇脱贫办) hands items out and verifies them, even while the
# departments hold the case: a warning raised during assistance is assigned at MON_ASSIST.
TOWNSHIP = (Role.TOWNSHIP_GOVERNMENT, Role.TOWNSHIP_CHECK_TEAM)
ASSIGNMENT = Takes(Input.ASSIGNMENT, TOWNSHIP)


def warning_raised(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A monthly round found at least one item missing for the household."""
    found = warnings_of(session, [r.id for r in rows])
    return {r.id: "尚未标注预警（动态监测未发现两不愁三保障缺项）" for r in rows if not found.get(r.id)}


def departments_assigned(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Every warned item is handed to an industry department."""
    warnings = warnings_of(session, [r.id for r in rows])
    assigned = {a.warning_id for items in assignments_of(session, [r.id for r in rows]).values() for a in items}
    reasons: dict[int, str] = {}
    for row in rows:
        open_items = [GUARANTEES[w.guarantee] for w in warnings.get(row.id, []) if w.id not in assigned]
        if not warnings.get(row.id):
            reasons[row.id] = "尚未标注预警（动态监测未发现两不愁三保障缺项）"
        elif open_items:
            reasons[row.id] = f"缺项“{'、'.join(open_items)}”尚未交办行业部门"
    return reasons


def closeout_requested(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Every warned item is assigned, and each department asked for close-out during this visit to the stage."""
    reasons = departments_assigned(session, rows)
    assignments = assignments_of(session, [r.id for r in rows])
    for row in rows:
        if row.id in reasons:
            continue
        waiting = [a.department for a in assignments.get(row.id, [])
                   if a.requested_at is None or row.record_opened_at is None or a.requested_at < row.record_opened_at]
        if waiting:
            reasons[row.id] = f"{'、'.join(dict.fromkeys(waiting))}尚未提出销号申请"
    return reasons


def closeout_verified(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The township verified every item during this visit to the stage, and found each one met."""
    from models.chains.monitoring.assist import guarantee_of

    assignments = assignments_of(session, [r.id for r in rows])
    reasons: dict[int, str] = {}
    for row in rows:
        items = assignments.get(row.id, [])
        opened = row.record_opened_at
        unchecked = [a for a in items if a.verified_at is None or opened is None or a.verified_at < opened]
        failed = [a for a in items if a not in unchecked and not a.verified_ok]
        if not items or unchecked:
            names = "、".join(GUARANTEES[guarantee_of(session, a)] for a in unchecked) or "交办事项"
            reasons[row.id] = f"乡镇尚未核实：{names}"
        elif failed:
            reasons[row.id] = "核实未达标：" + "、".join(
                f"{GUARANTEES[guarantee_of(session, a)]}（{a.department}）" for a in failed)
    return reasons


MONITORING = register(
    Chain(
        code=CODE,
        letter="F",
        name="防止返贫监测和帮扶",
        finished="已销号",
        summary="动态监测发现缺项、村级标注预警、乡镇审核确定并交办行业部门、行业部门限时帮扶并申请销号、乡镇核实批准销号",
        stages=(
            Stage("MON_FLAG", "村级标注预警", Level.VILLAGE, Role.VILLAGE_COMMITTEE, inputs=(Takes(Input.WARNING),),
                  documents=("monitoring_round_summary",), guards=(Guard("warning_raised", warning_raised),)),
            Stage("MON_CONFIRM", "乡镇审核确定预警并交办", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  inputs=(ASSIGNMENT,), documents=("monitoring_assignment_notice",), sends_back_to="MON_FLAG",
                  guards=(Guard("departments_assigned", departments_assigned),)),
            Stage("MON_ASSIST", "行业部门补短帮扶并申请销号", Level.COUNTY, Role.INDUSTRY_DEPARTMENT,
                  inputs=(ASSIGNMENT, Takes(Input.CLOSEOUT_REQUEST)),
                  guards=(Guard("closeout_requested", closeout_requested),)),
            Stage("MON_CLOSEOUT", "乡镇核实批准销号", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  inputs=(Takes(Input.CLOSEOUT_CHECK, TOWNSHIP),), documents=("monitoring_closeout_form",),
                  sends_back_to="MON_ASSIST",
                  guards=(Guard("closeout_verified", closeout_verified),)),
        ),
    )
)
