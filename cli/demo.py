"""The demo: seed 000's township (13 villages, 116 households, 333 people) through the whole household
exit chain on a simulated clock. A script of decisions stands in for the clerks; the flow does the rest.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlmodel import Session

from models.actors import Actor, Role, actor_named
from models.case import STATUS_NAMES, Case, Outcome, StageRecord, Status
from models.chains.household_exit import CODE, HOUSEHOLD_EXIT
from models.checks import CheckInput, record_checks
from models.clock import cn_date, parse
from models.db import session_scope, upgrade
from models.document import Document
from models.engine import Move, open_case_rows, open_cases, transition
from models.errors import TransitionRefused
from models.household import Household, Member
from models.objections import raise_objection, resolve_objection
from models.regions import Region
from models.sampling import SampleCase
from models.settings import get_settings
from models.standards import GUARANTEES
from models.synthetic import build_area

YEAR = 2026
ALL_MET = dict.fromkeys(GUARANTEES, True)
console = Console()


def _actor(session: Session, role: Role, region: str) -> Actor:
    actor = session.scalars(select(Actor).where(Actor.role == role, Actor.region_code == region)).first()
    assert actor is not None, (role, region)
    return actor


class Script:
    """The clerks' side of the demo: decisions through the one door, each at its simulated time."""

    def __init__(self, session: Session, township: str, villages: list[str]) -> None:
        self.session, self.township, self.villages = session, township, villages
        self.step = 0

    def say(self, when: str, text: str) -> None:
        self.step += 1
        console.print(f"[dim]{self.step:>2}.[/] [cyan]{cn_date(parse(when))}[/] {text}")

    def cases(self, stage: str, scope: str | None = None) -> list[int]:
        return [r.id for r in open_case_rows(self.session, CODE, YEAR, stage, scope or self.township[:9])]

    def decide_per_village(self, stage: str, role: Role, when: str) -> int:
        moved = 0
        for village in self.villages:
            ids = self.cases(stage, village)
            if ids:
                result = transition(session=self.session, chain=CODE, stage=stage, case_ids=ids, move=Move.APPROVE,
                                    actor=_actor(self.session, role, village), now=parse(when))
                moved += len(result.moved)
        return moved

    def decide(self, stage: str, role: Role, region: str, when: str, ids: list[int] | None = None) -> int:
        ids = self.cases(stage) if ids is None else ids
        result = transition(session=self.session, chain=CODE, stage=stage, case_ids=ids, move=Move.APPROVE,
                            actor=_actor(self.session, role, region), now=parse(when))
        return len(result.moved)

    def check(self, stage: str, role: Role, region: str, when: str, ids: list[int],
              failing: dict[int, str] | None = None) -> None:
        failing = failing or {}
        items = [CheckInput(i, {**ALL_MET, **({failing[i]: False} if i in failing else {})}) for i in ids]
        record_checks(session=self.session, stage=stage, items=items, actor=_actor(self.session, role, region),
                      now=parse(when))
        self.session.commit()


def run_flow(region: str, when: str) -> dict[str, int]:
    from flows.household_exit import household_exit
    from flows.runtime import short_runs

    with short_runs():
        return household_exit(region=region, year=YEAR, now=when)


def run_sweep(when: str) -> dict[str, int]:
    from flows.runtime import short_runs
    from flows.sweeps import sweep

    with short_runs():
        return sweep(now=when)


def _prepare(out: Path) -> None:
    # The demo tells its own story; Prefect's per-task log lines would drown it.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    os.environ["TUOPIN_DATABASE_URL"] = f"sqlite:///{(out / 'tuopin.db').resolve()}"
    os.environ["TUOPIN_OUTPUT_DIR"] = str((out / "documents").resolve())
    get_settings.cache_clear()
    upgrade()


def run_demo(out_dir: str) -> None:
    """Build the township, play the year's round, write the documents and print the summary."""
    started = time.monotonic()
    out = Path(out_dir)
    _prepare(out)
    with session_scope() as session:
        area = build_area(session, townships=1, villages_per_township=13, households=116, people=333, year=YEAR)
        session.commit()
        township = area.townships[0]
        s = Script(session, township, area.villages[township])
        tname = session.get(Region, township).name  # type: ignore[union-attr]
        console.rule(f"[bold]tuopin 演示：{tname}{YEAR}年度贫困户脱贫退出（{len(s.villages)}个村，"
                     f"{len(area.household_ids)}户{area.people}人）")
        system = actor_named(session, "系统")
        open_cases(session=session, chain=CODE, year=YEAR, household_ids=area.household_ids,
                   now=parse("2026-10-08 09:00"), actor=system)
        session.commit()
        s.say("2026-10-08", f"立案：{len(area.household_ids)}户进入“村民小组推荐”")
        s.say("2026-10-10", f"各村民小组推荐：{s.decide_per_village('GROUP_RECOMMEND', Role.GROUP_LEADER, '2026-10-10 10:00')}户")
        s.say("2026-10-13", f"村委会评议：{s.decide_per_village('COMMITTEE_REVIEW', Role.VILLAGE_COMMITTEE, '2026-10-13 15:00')}户")
        s.say("2026-10-14", f"村申请入户核实：{s.decide_per_village('CHECK_REQUEST', Role.VILLAGE_COMMITTEE, '2026-10-14 09:00')}户")
        home = s.cases("HOME_CHECK")
        s.check("HOME_CHECK", Role.TOWNSHIP_CHECK_TEAM, township, "2026-10-20 16:00", home)
        s.say("2026-10-20", f"乡镇入户核查（四看一算）并户主签字：{s.decide('HOME_CHECK', Role.TOWNSHIP_CHECK_TEAM, township, '2026-10-21 09:00')}户达标")

        flow = run_flow(township, "2026-10-26 09:00")
        s.say("2026-10-26", f"流程运行：张贴{len(s.villages)}个村的公示，共{flow.get('PUBLICITY.posted', 0)}户，公示7天（含张贴当日）")

        first_village, second_village = s.villages[0], s.villages[1]
        objected_a = s.cases("PUBLICITY", first_village)[0]
        objected_b = s.cases("PUBLICITY", second_village)[0]
        clerk = _actor(session, Role.VILLAGE_COMMITTEE, first_village)
        obj_a = raise_objection(session=session, case_id=objected_a, raised_by="村民甲", content="该户家中新购小轿车，收入可能不实",
                                now=parse("2026-10-28 10:00"), actor=clerk)
        clerk_b = _actor(session, Role.VILLAGE_COMMITTEE, second_village)
        obj_b = raise_objection(session=session, case_id=objected_b, raised_by="村民乙", content="该户住房为危房，尚未改造",
                                now=parse("2026-10-28 11:00"), actor=clerk_b)
        session.commit()
        s.say("2026-10-28", f"公示期内收到异议2件（案件{objected_a}、{objected_b}）")
        gov = _actor(session, Role.TOWNSHIP_GOVERNMENT, township)
        assert obj_a.id is not None and obj_b.id is not None
        resolve_objection(session=session, objection_id=obj_a.id, upheld=False, now=parse("2026-10-30 15:00"), actor=gov,
                          resolution="经核实车辆为亲属所有，该户收入属实")
        resolve_objection(session=session, objection_id=obj_b.id, upheld=True, now=parse("2026-10-30 16:00"), actor=gov,
                          resolution="经核实住房确为C级危房，退回重新核查")
        session.commit()
        s.say("2026-10-30", f"异议核实：案件{objected_a}异议不成立，继续办理；案件{objected_b}异议成立，退回入户核查")

        try:
            transition(session=session, chain=CODE, stage="PUBLICITY", case_ids=s.cases("PUBLICITY")[:1],
                       move=Move.ADVANCE, actor=system, now=parse("2026-11-01 23:59"))
        except TransitionRefused as refused:
            s.say("2026-11-01", f"公示第7天23:59尝试流转被拒：{refused.reason}")

        sweep = run_sweep("2026-11-02 00:05")
        s.say("2026-11-02", f"每日巡检：关闭公示{sweep['windows_closed']}个，{sweep['advanced']}户进入“审核研究并请示县”")

        s.say("2026-11-03", f"乡镇审核研究并向县请示：{s.decide('COUNTY_REQUEST', Role.TOWNSHIP_GOVERNMENT, township, '2026-11-03 10:00')}户")
        flow = run_flow(township, "2026-11-04 09:00")
        s.say("2026-11-04", f"流程运行：出具请示及花名册{flow.get('COUNTY_REQUEST.documents', 0)}份；县级复核按村抽样{flow.get('COUNTY_RECHECK.samples', 0)}个村")

        drawn = list(session.scalars(select(SampleCase.case_id).where(SampleCase.drawn.is_(True)).order_by(SampleCase.case_id)))
        failing = drawn[len(drawn) // 2]
        s.check("COUNTY_RECHECK", Role.COUNTY_RECHECK_TEAM, area.county_code, "2026-11-09 15:00", drawn,
                failing={failing: "housing"})
        team = _actor(session, Role.COUNTY_RECHECK_TEAM, area.county_code)
        transition(session=session, chain=CODE, stage="COUNTY_RECHECK", case_ids=[failing], move=Move.RETURN, actor=team,
                   now=parse("2026-11-10 09:00"), reason="县级抽查复核：住房安全无保障，退回乡镇重新核查")
        passed = [i for i in s.cases("COUNTY_RECHECK")]
        moved = s.decide("COUNTY_RECHECK", Role.COUNTY_RECHECK_TEAM, area.county_code, "2026-11-10 10:00", passed)
        s.say("2026-11-10", f"县级抽查复核：抽查{len(drawn)}户，1户（案件{failing}）住房不达标退回，{moved}户通过")

        moved = s.decide("COUNTY_APPROVAL", Role.COUNTY_GOVERNMENT, area.county_code, "2026-11-12 09:00")
        flow = run_flow(township, "2026-11-12 10:00")
        s.say("2026-11-12", f"县人民政府审批{moved}户，流程出具复核表{flow.get('COUNTY_RECHECK.documents', 0)}份并发布公告（公示7天）")
        sweep = run_sweep("2026-11-19 00:05")
        s.say("2026-11-19", f"每日巡检：公告期满，{sweep['advanced']}户脱贫退出；标记超期{sweep['overdue_flagged']}件")
        _summary(session, township, out, time.monotonic() - started)


def _summary(session: Session, township: str, out: Path, seconds: float) -> None:
    rows = session.execute(
        select(Region.name, Case.stage, Case.status, func.count(Case.id.distinct()), func.count(Member.id))  # type: ignore[union-attr]
        .join(Case, Case.village_code == Region.code)  # type: ignore[arg-type]
        .join(Household, Household.id == Case.household_id)  # type: ignore[arg-type]
        .join(Member, Member.household_id == Household.id)  # type: ignore[arg-type]
        .where(Region.code.startswith(township[:9]))  # type: ignore[attr-defined]
        .group_by(Region.code, Region.name, Case.stage, Case.status).order_by(Region.code)
    ).all()
    table = Table(title="汇总：各村办理结果")
    for header in ("村", "环节", "状态", "户数", "人数"):
        table.add_column(header)
    for name, stage, state, households, people in rows:
        table.add_row(name, HOUSEHOLD_EXIT.stage(stage).name, STATUS_NAMES[Status(state)], str(households), str(people))
    console.print(table)
    returned = Table(title="退回重新办理的户")
    for header in ("案件", "村", "户主", "当前环节", "退回理由"):
        returned.add_column(header)
    for case_id, village, head, stage, reason in session.execute(
        select(Case.id, Region.name, Household.head_name, Case.stage, StageRecord.reason)
        .join(Region, Region.code == Case.village_code)  # type: ignore[arg-type]
        .join(Household, Household.id == Case.household_id)  # type: ignore[arg-type]
        .join(StageRecord, StageRecord.case_id == Case.id)  # type: ignore[arg-type]
        .where(StageRecord.outcome == Outcome.RETURNED).order_by(Case.id)
    ):
        returned.add_row(str(case_id), village, head, HOUSEHOLD_EXIT.stage(stage).name, reason)
    console.print(returned)
    docs = session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all()
    console.print("文书：" + "，".join(f"{kind} {count}份" for kind, count in docs))
    console.print(f"数据库：{get_settings().database_url}")
    console.print(f"文书目录：{get_settings().output_dir}")
    console.print(f"查看进度：tuopin --db {out / 'tuopin.db'} status --now 2026-11-19")
    console.print(f"用时 {seconds:.1f} 秒")
