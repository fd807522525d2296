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
from sqlmodel import Session, col

from cli.common import local_prefect
from cli.web import print_demo_logins
from demo.papers import said_kinds
from models.chains.household_exit.stages import CODE, HOUSEHOLD_EXIT
from models.core.actors import Role, system_actor
from models.core.case import STATUS_NAMES, Case, Outcome, StageRecord, Status
from models.core.clock import cn_date, parse
from models.core.db import session_scope, upgrade
from models.core.document import Document
from models.core.errors import TransitionRefused
from models.core.household import Household, Member
from models.core.regions import Region
from models.core.settings import get_settings
from models.door.cases import open_cases
from models.door.chain import Chain
from models.door.engine import Move, transition
from models.door.objections import raise_objection, resolve_objection
from models.door.sampling import SampleCase
from synthetic.area import build_area
from synthetic.clerks import Clerks

YEAR = 2026
console = Console(width=None if Console().is_terminal else 110)
step = 0


def say(when: str, text: str) -> None:
    """One line of the story: the simulated date and what happened."""
    global step
    step += 1
    console.print(f"[dim]{step:>2}.[/] [cyan]{cn_date(parse(when))}[/] {text}")


def prepare(out: Path) -> None:
    """A fresh demo folder with its own database and documents, the schema migrated."""
    # The demo tells its own story; Prefect's per-task log lines would drown it.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    local_prefect()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    os.environ["TUOPIN_DATABASE_URL"] = f"sqlite:///{(out / 'tuopin.db').resolve()}"
    os.environ["TUOPIN_OUTPUT_DIR"] = str((out / "documents").resolve())
    get_settings.cache_clear()
    upgrade()


def run(out_dir: str) -> None:
    """Build the township, play the year's round, write the documents and print the summary."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    from flows.runtime import run_household_exit, run_sweep  # Prefect loads after its log level is set
    with session_scope() as session:
        area = build_area(session, townships=1, villages_per_township=13, households=116, people=333, year=YEAR)
        session.commit()
        township = area.townships[0]
        villages = area.villages[township]
        clerks = Clerks(session, CODE, YEAR, township[:9])
        region = session.get(Region, township)
        assert region is not None
        console.rule(f"[bold]tuopin 演示：{region.name}{YEAR}年度贫困户脱贫退出"
                     f"（{len(villages)}个村，{len(area.household_ids)}户{area.people}人）")
        system = system_actor(session)
        open_cases(session=session, chain=CODE, year=YEAR, household_ids=area.household_ids,
                   now=parse("2026-10-08 09:00"), actor=system)
        session.commit()
        say("2026-10-08", f"立案：{len(area.household_ids)}户进入“村民小组推荐”")
        moved = clerks.decide("GROUP_RECOMMEND", parse("2026-10-10 10:00")).moved
        say("2026-10-10", f"{len(villages)}个村的村民小组推荐拟脱贫户{len(moved)}户（会议记录及名单）")
        moved = clerks.decide("COMMITTEE_REVIEW", parse("2026-10-13 15:00")).moved
        say("2026-10-13", f"村委会评议通过{len(moved)}户（会议记录，参会人员签字）")
        moved = clerks.decide("CHECK_REQUEST", parse("2026-10-14 09:00")).moved
        say("2026-10-14", f"各村向乡镇申请入户核实{len(moved)}户")
        clerks.check("HOME_CHECK", parse("2026-10-20 16:00"), clerks.cases("HOME_CHECK"))
        moved = clerks.decide("HOME_CHECK", parse("2026-10-21 09:00")).moved
        say("2026-10-21", f"乡镇入户核查（四看一算），户主签字确认：{len(moved)}户达标")

        done = run_household_exit(township, YEAR, "2026-10-26 09:00")
        meetings = done.get("GROUP_RECOMMEND.documents", 0) + done.get("COMMITTEE_REVIEW.documents", 0)
        say("2026-10-26", f"流程运行：出具村民小组、村委会会议记录{meetings}份，"
                          f"入户核查表{done.get('HOME_CHECK.documents', 0)}份（每村一份，每户一页）；"
                          f"{len(villages)}个村张贴公示，共{done.get('PUBLICITY.posted', 0)}户，"
                          "公示期2026年10月26日至11月1日（7天，含张贴当日）")
        photos = clerks.photograph_notices("PUBLICITY", parse("2026-10-26 11:00"))
        say("2026-10-26", f"各村上传公示照片{photos}张（公示影像资料，列入案卷）")

        objected = [clerks.cases("PUBLICITY", v)[0] for v in villages[:2]]
        texts = [("村民甲", "该户家中新购小轿车，收入可能不实"), ("村民乙", "该户住房为危房，尚未改造")]
        objections = [
            raise_objection(session=session, case_id=case_id, raised_by=who, content=what,
                            now=parse("2026-10-28 10:00"), actor=clerks.actor(Role.VILLAGE_COMMITTEE, village))
            for case_id, (who, what), village in zip(objected, texts, villages[:2], strict=True)
        ]
        session.commit()
        say("2026-10-28", f"公示期内收到群众异议2件（案件{objected[0]}、{objected[1]}）")
        government = clerks.actor(Role.TOWNSHIP_GOVERNMENT, villages[0])
        for objection, upheld, finding in zip(objections, (False, True), (
                "经核实车辆为亲属所有，该户收入属实", "经核实住房确为C级危房，退回重新核查"), strict=True):
            assert objection.id is not None
            resolve_objection(session=session, objection_id=objection.id, upheld=upheld, resolution=finding,
                              now=parse("2026-10-30 15:00"), actor=government)
        session.commit()
        say("2026-10-30", f"异议核实：案件{objected[0]}异议不成立，继续办理；案件{objected[1]}异议成立，退回入户核查")

        try:
            transition(session=session, chain=CODE, stage="PUBLICITY", case_ids=clerks.cases("PUBLICITY")[:1],
                       move=Move.ADVANCE, actor=system, now=parse("2026-11-01 23:59"))
        except TransitionRefused as refused:
            say("2026-11-01", f"公示第7天23:59尝试流转，被拒绝：{refused.reason}")
        swept = run_sweep("2026-11-02 00:05")
        say("2026-11-02", f"每日巡检（00:05）：关闭公示{swept['windows_closed']}个，"
                          f"{swept['advanced']}户进入“审核研究并请示县”")

        moved = clerks.decide("COUNTY_REQUEST", parse("2026-11-03 10:00")).moved
        say("2026-11-03", f"乡、村审核研究，乡镇人民政府签发请示：{len(moved)}户")
        done = run_household_exit(township, YEAR, "2026-11-04 09:00")
        say("2026-11-04", f"流程运行：出具请示（附花名册）{done.get('COUNTY_REQUEST.documents', 0)}份；"
                          f"县级抽查复核按村抽样{done.get('COUNTY_RECHECK.samples', 0)}个村（种子已存档）")

        drawn = list(session.scalars(select(col(SampleCase.case_id)).where(col(SampleCase.drawn).is_(True))
                                     .order_by(col(SampleCase.case_id))))
        failing = drawn[len(drawn) // 2]
        clerks.check("COUNTY_RECHECK", parse("2026-11-09 15:00"), drawn, failing={failing: "housing"})
        clerks.decide("COUNTY_RECHECK", parse("2026-11-10 09:00"), [failing], move=Move.RETURN,
                      reason="县级抽查复核：住房安全无保障，退回乡镇重新核查")
        moved = clerks.decide("COUNTY_RECHECK", parse("2026-11-10 10:00")).moved
        say("2026-11-10", f"县级抽查复核（四看一算）：抽查{len(drawn)}户，"
                          f"案件{failing}住房不达标退回，{len(moved)}户通过")

        moved = clerks.decide("COUNTY_APPROVAL", parse("2026-11-12 09:00")).moved
        done = run_household_exit(township, YEAR, "2026-11-12 10:00")
        forms = done.get("COUNTY_RECHECK.documents", 0)
        say("2026-11-12", f"县人民政府审批{len(moved)}户；流程出具抽查复核表{forms}份，发布公告（公示7天）")
        swept = run_sweep("2026-11-19 00:05")
        say("2026-11-19", f"每日巡检：公告期满无异议，{swept['advanced']}户脱贫退出；"
                          f"标记超期未办{swept['overdue_flagged']}件")
        _summary(session, township, out, time.monotonic() - started)
    print_demo_logins()


def _summary(session: Session, township: str, out: Path, seconds: float) -> None:
    rows = session.execute(
        select(col(Region.name), col(Case.stage), col(Case.status), func.count(col(Case.id).distinct()),
               func.count(col(Member.id)))
        .join(Case, col(Case.village_code) == col(Region.code))
        .join(Household, col(Household.id) == col(Case.household_id))
        .join(Member, col(Member.household_id) == col(Household.id))
        .where(col(Region.code).startswith(township[:9]))
        .group_by(col(Region.code), col(Region.name), col(Case.stage), col(Case.status)).order_by(col(Region.code))
    ).tuples().all()
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
        select(col(Case.id), col(Region.name), col(Household.head_name), col(Case.stage), col(StageRecord.reason))
        .join(Region, col(Region.code) == col(Case.village_code))
        .join(Household, col(Household.id) == col(Case.household_id))
        .join(StageRecord, col(StageRecord.case_id) == col(Case.id))
        .where(col(StageRecord.outcome) == Outcome.RETURNED).order_by(col(Case.id))
    ).tuples():
        returned.add_row(str(case_id), village, head, HOUSEHOLD_EXIT.stage(stage).name, reason)
    console.print(returned)
    docs = session.execute(select(col(Document.kind), func.count()).group_by(col(Document.kind))).tuples().all()
    console.print("文书：" + said_kinds(docs))
    console.print(f"数据库：{get_settings().database_url}")
    console.print(f"文书目录：{get_settings().output_dir}")
    console.print(f"查看进度：tuopin --db {out / 'tuopin.db'} status --now 2026-11-19")
    console.print(f"用时 {seconds:.1f} 秒")


def finish(session: Session, chain: Chain, out: Path, started: float) -> None:
    """The closing lines of a chain's demo: its documents by kind, where the database and the files are, and how
    to look at the cases."""
    docs = session.execute(select(col(Document.kind), func.count()).where(col(Document.chain) == chain.code)
                           .group_by(col(Document.kind))).tuples().all()
    console.print("文书：" + said_kinds(docs))
    console.print(f"数据库：{get_settings().database_url}")
    console.print(f"文书目录：{get_settings().output_dir}")
    console.print(f"查看进度：tuopin --db {out / 'tuopin.db'} status --chain {chain.cli_name}")
    console.print(f"工作台：tuopin --db {out / 'tuopin.db'} web（浏览器打开 http://127.0.0.1:8000/）")
    print_demo_logins()
    console.print(f"用时 {time.monotonic() - started:.1f} 秒")
