"""A scripted relative-poor household identification (两次识别) for the demo: eight applicant households of two
villages walked through every stage of chain E by the one door on a simulated clock, their documents rendered, and
what happened summed up.

The applicants sit at the line (人均纯收入1500元以下: 1500.00 is listed, 1500.01 is refused at the village review),
two share an income so the priority rule shows (the one in a 泥砖房 is listed first), and one drawn by the city's
random sample is found with unreported income: it goes back to the township check and is refused there.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from demo.papers import Decision, decide, write_papers
from models.chains.relative_identify.city_check import draw_city_samples, record_city_check
from models.chains.relative_identify.record import RelativeRecordBase, write_record
from models.chains.relative_identify.stages import CODE
from models.chains.relative_identify.standards import ranked_cases, standings
from models.core.actors import system_actor
from models.core.case import Case, Outcome, StageRecord
from models.core.clock import cn_date
from models.core.document import Document
from models.core.errors import TransitionRefused
from models.core.household import Household, Income, IncomeBase
from models.core.regions import Level, prefix
from models.door import machine
from models.door.cases import open_cases
from models.door.engine import Move, transition
from models.door.sampling import SampleCase
from models.door.windows import close_due_windows
from synthetic.area import Area, build_area
from synthetic.clerks import Clerks
from synthetic.relative_identify import Applicant, add_applicants, city_team

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


APPLICANTS = (
    Applicant(0, 3, Decimal("4200")),  # 1400.00 a head
    Applicant(0, 2, Decimal("3000")),  # exactly 1500.00: 以下 includes the line, listed
    Applicant(0, 2, Decimal("3000.02")),  # 1500.01: above the line, refused at the village review
    Applicant(0, 3, Decimal("4200"), house_type="泥砖房"),  # 1400.00 like the first, goes before it
    Applicant(0, 4, Decimal("4000"), disabled_member=True),  # 1000.00: the lowest, first anyway
    Applicant(1, 3, Decimal("3900"), house_type="茅草房"),  # 1300.00
    Applicant(1, 2, Decimal("2400"), ill_member=True),  # 1200.00
    Applicant(1, 3, Decimal("4350"), hidden_income=Decimal("600")),  # 1450.00; 1650.00 with the wages found
)


@dataclass
class RelativeOutcome:
    case_id: int
    village_code: str
    head: str
    per_capita: Decimal | None
    priority: str
    status: str
    stage: str
    reason: str = ""


@dataclass
class RelativeDemoSummary:
    households: list[RelativeOutcome] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)  # village → heads in the final notice's order
    events: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    finished_at: datetime = START

    def say(self, now: datetime, text: str) -> None:
        self.events.append(f"{cn_date(now)} {text}")


def _decide(clerks: Clerks, stage: str, now: datetime, summary: RelativeDemoSummary) -> Decision:
    """The stage's person approves each case there; a case the door refuses is not listed, with the door's reason.
    Then the machine writes the stage's papers (the applications, the township's registration forms)."""
    decision = decide(clerks, stage, clerks.cases(stage), now)
    for case_id, reason in decision.refused.items():
        summary.say(now, f"案件{case_id}不予通过：{reason}")
    return decision


def _publicize(session: Session, stage: str, scope: str, year: int, now: datetime) -> tuple[int, int]:
    """Post the village notices, then close them after the window and move the cases on: (posted, moved)."""
    system = system_actor(session)
    posted = machine.post_notices(session=session, chain=CODE, stage=stage, scope=scope, year=year, now=now,
                                  actor=system)
    session.commit()
    later = now + timedelta(days=8)
    close_due_windows(session=session, now=later, actor=system)
    moved = machine.release(session=session, chain=CODE, stage=stage, scope=scope, year=year, now=later,
                            actor=system)
    session.commit()
    return posted, len(moved.moved)


def run_relative_identify_demo(*, session: Session, area: Area | None = None, year: int = 2026,
                               start: datetime = START, seed: int = 2026) -> RelativeDemoSummary:
    """Build (or reuse) the demo area, run its eight applicants through 两次识别, and say what happened."""
    area = area or build_area(session, townships=1, villages_per_township=2, households=8, people=24, year=year,
                              seed=seed)
    villages = area.villages[area.townships[0]][:2]
    scope = prefix(area.townships[0], Level.TOWNSHIP)
    system, team = system_actor(session), city_team(session)
    household_ids = add_applicants(session, villages, year, random.Random(seed), APPLICANTS)
    ids = open_cases(session=session, chain=CODE, year=year, household_ids=household_ids, now=start, actor=system)
    session.commit()
    applicant_of = dict(zip(ids, APPLICANTS, strict=True))
    clerks, summary, now = Clerks(session, CODE, year, scope), RelativeDemoSummary(), start
    applications = _decide(clerks, "REL_APPLICATION", now, summary).said()
    summary.say(now, f"{len(ids)}户农户向所在村委会提出相对贫困户申请，村委会受理，出具{applications}"
                     "（每村一份，每户一页）")
    now += timedelta(days=3)
    _decide(clerks, "REL_VILLAGE_REVIEW", now, summary)
    summary.say(now, f"各村评议，列入拟定名单{len(clerks.cases('REL_VILLAGE_PUBLICITY'))}户")
    now += timedelta(days=1)
    posted, moved = _publicize(session, "REL_VILLAGE_PUBLICITY", scope, year, now)
    now += timedelta(days=8)
    summary.say(now, f"村评议结果公示{posted}户，公示7天期满无异议，{moved}户报镇核查")
    forms = _decide(clerks, "REL_TOWNSHIP_CHECK", now, summary).papers["registration_form"]
    now += timedelta(days=5)
    _decide(clerks, "REL_COUNTY_CHECK", now, summary)
    summary.say(now, f"镇核查（入户核实登记表{forms}份，每村一份，每户一页）、县扶贫办和统计局核查通过")

    now += timedelta(days=2)
    samples = draw_city_samples(session=session, chain=CODE, year=year, scope=scope, now=now, actor=team, seed=seed)
    session.commit()
    drawn = [case_id for case_id in clerks.cases("REL_CITY_CHECK") if _drawn(session, case_id)]
    summary.say(now, f"市扶贫办会同统计等部门随机抽样（种子{seed}），{len(samples)}个村共抽中{len(drawn)}户")
    now += timedelta(days=3)
    failed: list[int] = []
    for case_id in drawn:
        hidden = applicant_of[case_id].hidden_income
        income = _income_of(session, case_id, year)
        measured = IncomeBase(**{**income.model_dump(include=set(IncomeBase.model_fields)),
                                 "wages": income.wages + hidden})
        check = record_city_check(session=session, case_id=case_id, actor=team, now=now, income=measured,
                                  finding=f"子女外出务工收入{hidden}元未计入" if hidden else "")
        if not check.passed:
            failed.append(case_id)
            summary.say(now, f"案件{case_id}市级核查未通过：{check.finding}")
    session.commit()
    for case_id in failed:
        try:
            transition(session=session, chain=CODE, stage="REL_CITY_CHECK", case_ids=[case_id], move=Move.APPROVE,
                       actor=team, now=now)
        except TransitionRefused as refused:
            summary.say(now, f"尝试通过案件{case_id}，被拒绝：{refused.reason}")
        transition(session=session, chain=CODE, stage="REL_CITY_CHECK", case_ids=[case_id], move=Move.RETURN,
                   actor=team, now=now, reason="市级随机抽样核查发现收入未如实申报，退回镇核查")
        income = _income_of(session, case_id, year)
        income.wages += applicant_of[case_id].hidden_income
        session.add(income)
        session.commit()
    forms = _decide(clerks, "REL_CITY_CHECK", now, summary).papers["relative_city_check_form"]
    summary.say(now, f"市级核查表{forms}份；未抽中和核查通过的农户转驻村工作组进村核实")
    now += timedelta(days=1)
    if forms := _decide(clerks, "REL_TOWNSHIP_CHECK", now, summary).papers["registration_form"]:
        summary.say(now, f"退回的农户经镇重新核查，另填入户核实登记表{forms}份")
    now += timedelta(days=2)
    _decide(clerks, "REL_TEAM_VERIFY", now, summary)
    summary.say(now, "驻村工作组与村委会进村核实（第二次识别）")
    now += timedelta(days=1)
    posted, moved = _publicize(session, "REL_FINAL_PUBLICITY", scope, year, now)
    now += timedelta(days=8)
    summary.say(now, f"村内公示{posted}户（按人均纯收入由低到高，同等条件下优先户在前），期满无异议，{moved}户建档立卡")
    _record(session, clerks, applicant_of, now, summary)
    return _summarize(session, summary, ids, villages, year, now)


def _drawn(session: Session, case_id: int) -> bool:
    """Whether the case was drawn in the sample of its current visit to the city check."""
    return bool(session.scalars(select(col(SampleCase.drawn)).join(
        StageRecord, col(StageRecord.id) == col(SampleCase.stage_record_id)).where(
        col(SampleCase.case_id) == case_id, col(StageRecord.left_at).is_(None))).first())


def _income_of(session: Session, case_id: int, year: int) -> Income:
    case = session.get(Case, case_id)
    assert case is not None
    return session.scalars(select(Income).where(col(Income.household_id) == case.household_id,
                                                col(Income.year) == year)).one()


def _record(session: Session, clerks: Clerks, applicant_of: dict[int, Applicant], now: datetime,
            summary: RelativeDemoSummary) -> None:
    """Approving before the cards are written is refused; the cards are filled in, approved and rendered."""
    case_ids = clerks.cases("REL_RECORD")
    actors = clerks.assign("REL_RECORD", case_ids)
    try:
        transition(session=session, chain=CODE, stage="REL_RECORD", case_ids=case_ids[:1], move=Move.APPROVE,
                   actor=actors[case_ids[0]], now=now)
    except TransitionRefused as refused:
        summary.say(now, f"未填写帮扶记录即尝试建档，被拒绝：{refused.reason}")
    for case_id in case_ids:
        labour = applicant_of[case_id].members > 2 and not applicant_of[case_id].disabled_member
        write_record(session=session, case_id=case_id, actor=actors[case_id], now=now, data=RelativeRecordBase(
            cause="缺劳力" if not labour else "缺技术、缺资金", helper="县农业农村局 帮扶干部",
            helper_unit="县农业农村局", three_year_plan="发展种养产业，劳动力转移就业，三年内人均纯收入稳定超过标准",
            yearly_plan="扶持种植油茶10亩，组织1人参加技能培训" if labour else "落实低保兜底和医疗救助",
            has_labour=labour, funds=Decimal("5000") if labour else Decimal("2000"),
            projects="油茶种植10亩" if labour else ""))
    session.commit()
    write_papers(clerks, "REL_RECORD", now)  # each card as filled in
    transition(session=session, chain=CODE, stage="REL_RECORD", case_ids=case_ids, move=Move.APPROVE, actor=actors,
               now=now)
    session.commit()
    summary.say(now, f"{len(case_ids)}户建档立卡，按有劳动能力和无劳动能力分类登记")


def _summarize(session: Session, summary: RelativeDemoSummary, ids: Sequence[int], villages: Sequence[str],
               year: int, now: datetime) -> RelativeDemoSummary:
    session.expire_all()
    cases = {c.id: c for c in session.scalars(select(Case).where(col(Case.id).in_(list(ids))))}
    heads = dict(session.execute(select(col(Household.id), col(Household.head_name)).where(
        col(Household.id).in_([c.household_id for c in cases.values()]))).tuples().all())
    found = standings(session, [c.household_id for c in cases.values() if c.household_id is not None], year)
    for case_id in ids:
        case = cases[case_id]
        assert case.household_id is not None
        reason = session.scalars(select(col(StageRecord.reason)).where(
            col(StageRecord.case_id) == case_id, col(StageRecord.outcome) == Outcome.REJECTED)).first() or ""
        standing = found[case.household_id]
        summary.households.append(RelativeOutcome(case_id, case.village_code, heads[case.household_id],
                                                  standing.per_capita, "、".join(standing.priority),
                                                  case.status.value, case.stage, reason))
    for village in villages:
        listed = [c for c in cases.values() if c.village_code == village and c.status.value == "EXITED"]
        head_of = {c.id: heads[c.household_id] for c in listed if c.id is not None and c.household_id is not None}
        summary.lists[village] = [head_of[case_id] for case_id, _ in ranked_cases(session, list(head_of))]
    summary.documents = sorted(session.execute(select(col(Document.path)).where(col(Document.chain) == CODE)).scalars())
    summary.finished_at = now
    return summary
