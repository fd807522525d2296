"""A scripted 大排查大整改 round for the demo: a county inspection finds five problems in four villages of the demo
area, assigns each to its responsible unit with its due date, and the units, the township and the county act on them
through the one door on a simulated clock; the ledger with the overdue notice is rendered as of 2026-12-01.

What it shows: one fix sent back for insufficient evidence and fixed again; one fix reported on its due day itself
(not overdue); one item the units never fix (overdue from the day after its due day); the unit's attempt to report
with no evidence and the county's attempt to close a finding still being fixed, both refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlmodel import Session, col

from demo.papers import write_papers
from models.chains.rectification.findings import CODE, FindingInput, record_findings, report_fix
from models.chains.rectification.report import UnitLine, unit_report
from models.core.actors import Actor, Role
from models.core.case import Case
from models.core.clock import parse
from models.core.document import Document
from models.core.errors import InvalidInput, TransitionRefused
from models.core.regions import Level, prefix
from models.door.engine import Move, transition
from synthetic.area import Area, People, build_area
from synthetic.clerks import Clerks

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 2026-11-02 09:00 office time
AS_OF = "2026-12-01 09:00"

# (village index, checklist item, unit, what the inspection found)
FINDINGS = (
    (0, "1-5", "村(社区)扶贫专干", "全国扶贫开发信息系统中3户贫困户家庭人口与实际不符，帮扶责任人信息未更新"),
    (1, "1-1", "帮扶责任人", "2户贫困户收入调查表照搬上年数据，转移性收入与惠农补贴明白折不一致"),
    (2, "1-3", "各村(社区)扶贫专干", "5户贫困户家中扶贫手册与村级档案不一致，今年异动信息未备注"),
    (0, "1-6", "驻村工作队或联村组长", "走访中4户贫困户对驻村工作队不知晓"),
    (3, "4", "镇扶贫工作站", "2户贫困户家庭医生签约服务无走访记录"),
)


@dataclass
class RectificationDemoSummary:
    case_ids: list[int] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    units: list[UnitLine] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    states: dict[int, tuple[str, str]] = field(default_factory=dict)  # case id → (stage, status)
    finished_at: datetime = START


def add_units(session: Session, villages: list[str], seed: int) -> None:
    """One person per village who reports the responsible units' fixes there (on top of the demo area)."""
    import random

    people = People(random.Random(seed))
    people.names.update(session.execute(select(col(Actor.name))).scalars())
    session.execute(insert(Actor.__table__), [  # type: ignore[attr-defined]
        {"name": people.name(unique=True), "role": Role.RECTIFICATION_UNIT, "region_code": v} for v in villages])


def run_rectification_demo(*, session: Session, area: Area | None = None, year: int = 2026,
                           seed: int = 2026) -> RectificationDemoSummary:
    """Build (or reuse) the demo area, run the county's rectification round, and say what happened."""
    area = area or build_area(session, townships=1, villages_per_township=4, households=24, people=72, year=year,
                              seed=seed)
    villages = area.villages[area.townships[0]][:4]
    add_units(session, villages, seed)
    session.commit()
    scope = prefix(area.county_code, Level.COUNTY)
    clerks, summary = Clerks(session, CODE, year, scope), RectificationDemoSummary()
    team = clerks.actor(Role.COUNTY_RECHECK_TEAM, villages[0])
    ids = record_findings(session=session, year=year, actor=team, now=START, findings=[
        FindingInput(villages[v], item, found=what, unit=unit) for v, item, unit, what in FINDINGS])
    session.commit()
    summary.case_ids = ids
    data, income, archive, satisfaction, health = ids
    clerks.decide("RECT_ASSIGN", parse("2026-11-03 10:00"))

    def fix(case_id: int, when: str, action: str, evidence: str) -> None:
        unit = clerks.actor(Role.RECTIFICATION_UNIT, _village(session, case_id))
        report_fix(session=session, case_id=case_id, action=action, evidence=evidence, actor=unit, now=parse(when))
        session.commit()

    try:
        fix(income, "2026-11-09 16:00", "已重新核算收入", " ")
    except InvalidInput as refused:
        session.rollback()
        summary.refusals.append(f"案件{income}报送整改未附佐证材料，未予受理：{refused.rule}")
    fix(income, "2026-11-10 16:00", "重新核算2户收入调查表", "收入调查表2份")
    transition(session=session, chain=CODE, stage="RECT_VERIFY", case_ids=[income], move=Move.RETURN,
               actor=clerks.actor(Role.TOWNSHIP_CHECK_TEAM, villages[1]), now=parse("2026-11-12 10:00"),
               reason="整改不到位：收入调查表未经贫困户签字认可，转移性收入未与惠农补贴明白折核对")
    fix(income, "2026-11-16 16:00", "逐户核对明白折后重算收入，户主签字认可",
        "收入调查表及户主签字2份、惠农补贴明白折复印件2份")
    fix(data, "2026-11-20 17:00", "系统内3户人口及帮扶责任人信息已更正并完成校验", "系统更正截图3张、校验报告1份")
    fix(health, "2026-11-24 11:00", "补签家庭医生签约服务并完成走访", "签约协议2份、走访记录2份")
    clerks.decide("RECT_VERIFY", parse("2026-11-26 10:00"), [income, data])
    try:
        transition(session=session, chain=CODE, stage="RECT_CLOSE", case_ids=[archive], move=Move.APPROVE,
                   actor=team, now=parse("2026-11-27 10:00"))
    except TransitionRefused as refused:
        summary.refusals.append(f"案件{archive}：{refused.reason}")
    clerks.decide("RECT_CLOSE", parse("2026-11-27 10:00"), [data])
    fix(satisfaction, "2026-11-30 20:00", "召开贫困户大会并全覆盖走访，发放工作队名片",
        "会议记录及签到表、走访照片、名片发放登记表")
    now = parse(AS_OF)
    summary.units = unit_report(session, scope_prefix=scope, year=year, now=now)
    # The machine's run of the first of December writes the ledger owed since the close-out, as of that day.
    write_papers(clerks, "RECT_CLOSE", now)
    summary.documents = sorted(session.execute(select(col(Document.path)).where(col(Document.chain) == CODE))
                               .scalars())
    session.expire_all()
    for case_id in ids:
        case = session.get(Case, case_id)
        assert case is not None
        summary.states[case_id] = (case.stage, case.status.value)
    summary.finished_at = now
    return summary


def _village(session: Session, case_id: int) -> str:
    case = session.get(Case, case_id)
    assert case is not None
    return case.village_code
