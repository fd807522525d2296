"""G. Inspection and rectification 大排查大整改 (seeds 000, 001; DOMAIN §4 G): the table of its 4 stages and its guards.

A case is one finding: the county inspection assigns it to its responsible unit with a due date, the unit reports the
fix with evidence, the township checks the fix (and may send it back with a reason), and the county closes it out
(销号). The finding's own due date (findings.py) decides whether it is overdue; the stages' time limits
in working days are policy data.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.chains.rectification.findings import CODE, RectificationFinding, RectificationFix
from models.core.actors import Role
from models.core.regions import Level
from models.door.chain import CaseRow, Chain, Guard, Input, Stage, Subject, Takes, register


def finding_recorded(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The case holds a finding with what was found, its responsible unit and its due date."""
    found = {f.case_id: f for f in session.exec(select(RectificationFinding).where(
        col(RectificationFinding.case_id).in_([r.id for r in rows])))}
    reasons: dict[int, str] = {}
    for row in rows:
        finding = found.get(row.id)
        if finding is None or not finding.found or not finding.unit:
            reasons[row.id] = "尚未登记排查发现的问题、责任单位和完成时限"
    return reasons


def fix_reported(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The responsible unit reported a fix with evidence during the case's current visit to this stage."""
    reported = set(session.exec(select(col(RectificationFix.stage_record_id)).where(
        col(RectificationFix.stage_record_id).in_([r.record_id for r in rows]), col(RectificationFix.evidence) != "")))
    return {r.id: "责任单位尚未报送整改情况及佐证材料" for r in rows if r.record_id not in reported}


RECTIFICATION = register(
    Chain(
        code=CODE,
        letter="G",
        subject=Subject.FINDING,
        name="大排查大整改",
        finished="已销号",
        summary="县级排查交办（问题、责任单位、完成时限）、责任单位整改并报送佐证、乡镇核查验收（可退回）、县级复核销号",
        stages=(
            Stage("RECT_ASSIGN", "排查问题交办", Level.COUNTY, Role.COUNTY_RECHECK_TEAM, inputs=(Takes(Input.FINDING),),
                  guards=(Guard("finding_recorded", finding_recorded),)),
            Stage("RECT_FIX", "责任单位整改", Level.VILLAGE, Role.RECTIFICATION_UNIT, inputs=(Takes(Input.FIX),),
                  has_time_limit=False,
                  guards=(Guard("fix_reported", fix_reported),)),
            Stage("RECT_VERIFY", "乡镇核查验收", Level.TOWNSHIP, Role.TOWNSHIP_CHECK_TEAM, sends_back_to="RECT_FIX"),
            Stage("RECT_CLOSE", "县级复核销号", Level.COUNTY, Role.COUNTY_RECHECK_TEAM, sends_back_to="RECT_FIX",
                  documents=("rectification_ledger",)),
        ),
    )
)
