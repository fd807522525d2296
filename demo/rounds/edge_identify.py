"""A scripted edge household identification round for the demo: eight applicant households of a township walked
through every stage of chain C by the one door on a simulated clock, their documents rendered, and what happened
summed up.

The applicants sit at the standard's edges (seed 002: 高于建档立卡贫困户标准、未达到4000元; DOMAIN §3): one exactly at
the poverty line and one exactly at 4000 yuan (both refused), one 0.01 yuan above the line and one 0.01 below 4000
(both listed), one 低保户 (excluded with its reason), and one whose first publicity draws an objection that is upheld:
the re-verified income leaves the band and the household is refused at the home visit.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from demo.papers import Decision, decide
from models.chains.edge_identify.stages import CODE
from models.chains.edge_identify.standards import eligibility
from models.core.actors import Role, system_actor
from models.core.case import Case, Outcome, StageRecord
from models.core.clock import cn_date
from models.core.document import Document
from models.core.errors import TransitionRefused
from models.core.household import Household, Income
from models.core.regions import Level, prefix
from models.door import machine
from models.door.cases import open_cases
from models.door.engine import Move, transition
from models.door.objections import raise_objection, resolve_objection
from models.door.windows import close_due_windows
from synthetic.area import Area, build_area
from synthetic.clerks import Clerks
from synthetic.edge_identify import Applicant, add_applicants

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


APPLICANTS = (
    Applicant(0, 3, Decimal("10800")),  # 3600.00 a head: clearly inside the band
    Applicant(0, 2, Decimal("6652")),  # exactly 3326.00, the poverty line: not above it, refused
    Applicant(0, 4, Decimal("16000")),  # exactly 4000.00: 未达到4000元 fails, refused
    Applicant(1, 3, Decimal("10500"), minimum_allowance=True),  # 3500.00 but a 低保户: excluded
    Applicant(1, 2, Decimal("6652.02")),  # 3326.01: just above the line, listed
    Applicant(1, 3, Decimal("11999.97")),  # 3999.99: just below 4000, listed
    Applicant(2, 3, Decimal("11100"), objected=True),  # 3700.00, objection upheld: wages of 2400 found unreported
    Applicant(2, 2, Decimal("7600")),  # 3800.00: listed
)
UNREPORTED_WAGES = Decimal("2400")


@dataclass
class EdgeOutcome:
    case_id: int
    village_code: str
    head: str
    per_capita: Decimal | None
    status: str
    stage: str
    reason: str = ""


@dataclass
class EdgeDemoSummary:
    households: list[EdgeOutcome] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    finished_at: datetime = START

    def say(self, now: datetime, text: str) -> None:
        self.events.append(f"{cn_date(now)} {text}")


def _decide(clerks: Clerks, stage: str, case_ids: Sequence[int], now: datetime,
            summary: EdgeDemoSummary) -> Decision:
    """The stage's person approves each case; a case the door refuses is not listed, with the door's reason. Then the
    machine writes the stage's papers (the applications, the home visit's registration forms 入户核实登记表)."""
    decision = decide(clerks, stage, case_ids, now)
    for case_id, reason in decision.refused.items():
        summary.say(now, f"案件{case_id}不予通过：{reason}")
    return decision


def _post(session: Session, stage: str, scope: str, year: int, now: datetime) -> int:
    system = system_actor(session)
    posted = machine.post_notices(session=session, chain=CODE, stage=stage, scope=scope, year=year, now=now,
                                  actor=system)
    session.commit()
    return posted


def _close(session: Session, stage: str, scope: str, year: int, now: datetime) -> int:
    system = system_actor(session)
    close_due_windows(session=session, now=now, actor=system)
    moved = machine.release(session=session, chain=CODE, stage=stage, scope=scope, year=year, now=now, actor=system)
    session.commit()
    return len(moved.moved)


def run_edge_identify_demo(*, session: Session, area: Area | None = None, year: int = 2026, start: datetime = START,
                           seed: int = 2026) -> EdgeDemoSummary:
    """Build (or reuse) the demo area, run its eight applicants through edge identification, and say what happened."""
    area = area or build_area(session, townships=1, villages_per_township=3, households=12, people=36, year=year,
                              seed=seed)
    villages = area.villages[area.townships[0]][:3]
    scope = prefix(area.townships[0], Level.TOWNSHIP)
    system = system_actor(session)
    household_ids = add_applicants(session, villages, year, random.Random(seed), APPLICANTS)
    ids = open_cases(session=session, chain=CODE, year=year, household_ids=household_ids, now=start, actor=system)
    session.commit()
    applicant_of = dict(zip(ids, APPLICANTS, strict=True))
    household_of = dict(zip(ids, household_ids, strict=True))
    clerks, summary, now = Clerks(session, CODE, year, scope), EdgeDemoSummary(), start
    applications = _decide(clerks, "EDGE_APPLICATION", clerks.cases("EDGE_APPLICATION"), now, summary)
    summary.say(now, f"{len(ids)}户农户向所在村委会提出贫困边缘户申请，村委会受理，出具{applications.said()}"
                     "（每村一份，每户一页）")
    now += timedelta(days=3)
    minutes = _decide(clerks, "EDGE_REVIEW", clerks.cases("EDGE_REVIEW"), now, summary).papers["edge_review_minutes"]
    summary.say(now, f"各村召开村民代表大会民主评议，列入拟定名单{len(clerks.cases('EDGE_HOME_VISIT'))}户"
                     f"（会议记录{minutes}份）")
    now += timedelta(days=4)
    forms = _decide(clerks, "EDGE_HOME_VISIT", clerks.cases("EDGE_HOME_VISIT"), now, summary).papers
    summary.say(now, f"乡镇干部、村委会和驻村工作队入户核实，填写入户核实登记表{forms['registration_form']}份"
                     "（每村一份，每户一页）")

    now += timedelta(days=1)
    posted = _post(session, "EDGE_FIRST_PUBLICITY", scope, year, now)
    summary.say(now, f"各村张贴第一次公示，共{posted}户，公示7天（含张贴当日）")
    objected = next(c for c, a in applicant_of.items() if a.objected)
    objected_case = session.get(Case, objected)
    assert objected_case is not None
    committee = clerks.actor(Role.VILLAGE_COMMITTEE, objected_case.village_code)
    objection = raise_objection(session=session, case_id=objected, raised_by="村民丙", now=now + timedelta(days=2),
                                content="该户子女常年在外务工，工资收入未计入", actor=committee)
    session.commit()
    summary.say(now + timedelta(days=2), f"公示期内收到异议：案件{objected}（该户子女外出务工收入未计入）")
    assert objection.id is not None
    resolve_objection(session=session, objection_id=objection.id, upheld=True, now=now + timedelta(days=4),
                      resolution="经核实该户子女务工年收入2400元未计入，退回重新入户核实",
                      actor=clerks.actor(Role.TOWNSHIP_GOVERNMENT, objected_case.village_code))
    income = session.scalars(select(Income).where(col(Income.household_id) == household_of[objected],
                                                  col(Income.year) == year)).one()
    income.wages += UNREPORTED_WAGES
    session.add(income)
    session.commit()
    summary.say(now + timedelta(days=4), f"异议成立，案件{objected}退回入户核实，补记务工收入{UNREPORTED_WAGES}元")
    forms = _decide(clerks, "EDGE_HOME_VISIT", [objected], now + timedelta(days=5), summary).papers
    summary.say(now + timedelta(days=5),
                f"重新入户核实案件{objected}，另填入户核实登记表{forms['registration_form']}份")
    last_day = now + timedelta(days=6, hours=14, minutes=59)  # 23:59 of the window's seventh day
    try:
        transition(session=session, chain=CODE, stage="EDGE_FIRST_PUBLICITY",
                   case_ids=clerks.cases("EDGE_FIRST_PUBLICITY")[:1], move=Move.ADVANCE, actor=system, now=last_day)
    except TransitionRefused as refused:
        summary.say(last_day, f"公示第7天23:59尝试流转，被拒绝：{refused.reason}")
    now += timedelta(days=8)
    summary.say(now, f"第一次公示期满无异议，{_close(session, 'EDGE_FIRST_PUBLICITY', scope, year, now)}户报乡镇审核")

    _decide(clerks, "EDGE_TOWNSHIP_REVIEW", clerks.cases("EDGE_TOWNSHIP_REVIEW"), now, summary)
    summary.say(now, "乡镇人民政府审核通过")
    now += timedelta(days=1)
    summary.say(now, f"各村张贴第二次公示，共{_post(session, 'EDGE_SECOND_PUBLICITY', scope, year, now)}户")
    now += timedelta(days=8)
    summary.say(now, f"第二次公示期满无异议，{_close(session, 'EDGE_SECOND_PUBLICITY', scope, year, now)}户报县级复审")
    _decide(clerks, "EDGE_COUNTY_REVIEW", clerks.cases("EDGE_COUNTY_REVIEW"), now, summary)
    summary.say(now, "县级扶贫部门复审（全覆盖核查）通过")
    now += timedelta(days=1)
    summary.say(now, f"复审后在各村公告，共{_post(session, 'EDGE_ANNOUNCEMENT', scope, year, now)}户，公告7天")
    now += timedelta(days=8)
    summary.say(now, f"公告期满无异议，{_close(session, 'EDGE_ANNOUNCEMENT', scope, year, now)}户建档立卡")
    _decide(clerks, "EDGE_RECORD", clerks.cases("EDGE_RECORD"), now, summary)
    summary.say(now, "县、乡、村逐级建立贫困边缘户纸质和电子档案")
    return _summarize(session, summary, ids, year, now)


def _summarize(session: Session, summary: EdgeDemoSummary, ids: Sequence[int], year: int,
               now: datetime) -> EdgeDemoSummary:
    session.expire_all()
    cases = {c.id: c for c in session.scalars(select(Case).where(col(Case.id).in_(list(ids))))}
    heads = dict(session.execute(select(col(Household.id), col(Household.head_name)).where(
        col(Household.id).in_([c.household_id for c in cases.values()]))).tuples().all())
    verdicts = eligibility(session, [c.household_id for c in cases.values() if c.household_id is not None], year)
    for case_id in ids:
        case = cases[case_id]
        assert case.household_id is not None
        reason = session.scalars(select(col(StageRecord.reason)).where(
            col(StageRecord.case_id) == case_id, col(StageRecord.outcome) == Outcome.REJECTED)).first() or ""
        summary.households.append(EdgeOutcome(case_id, case.village_code, heads[case.household_id],
                                              verdicts[case.household_id].per_capita, case.status.value, case.stage,
                                              reason))
    summary.documents = sorted(session.execute(select(col(Document.path)).where(col(Document.chain) == CODE)).scalars())
    summary.finished_at = now
    return summary
