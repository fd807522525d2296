"""The edge household identification demo: eight applicants of a township at the edges of the standard, walked
through every stage of chain C (两公示一公告) on a simulated clock, with the minutes, notices and announcements."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table
from sqlalchemy import select
from sqlmodel import col

from demo.household_exit import console, finish, prepare
from demo.rounds.edge_identify import run_edge_identify_demo
from models.chains.edge_identify.stages import CODE as CODE
from models.chains.edge_identify.stages import EDGE_IDENTIFY
from models.core.case import Status
from models.core.clock import cn_date
from models.core.db import session_scope
from models.core.regions import Region
from models.documents.render import yuan

OUTCOMES = {Status.EXITED: "已认定，建档立卡", Status.REJECTED: "不予认定", Status.ACTIVE: "办理中"}


def run(out_dir: str) -> None:
    """Build the township, run its applicants through edge identification, print what became of each."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    with session_scope() as session:
        console.rule("[bold]tuopin 演示：贫困边缘户识别（农户申请、民主评议、入户核实、两公示一公告）")
        summary = run_edge_identify_demo(session=session)
        session.commit()
        for line in summary.events:
            console.print(line)
        names = dict(session.execute(select(col(Region.code), col(Region.name)).where(
            col(Region.code).in_([h.village_code for h in summary.households]))).tuples().all())
        table = Table(title=f"汇总：各户识别结果（截至{cn_date(summary.finished_at)}）")
        for header in ("村", "案件", "户主", "人均纯收入（元）", "环节", "结果"):
            table.add_column(header, no_wrap=True)
        table.add_column("理由", overflow="fold")
        for h in summary.households:
            table.add_row(names.get(h.village_code, h.village_code), str(h.case_id), h.head, yuan(h.per_capita),
                          EDGE_IDENTIFY.stage(h.stage).name, OUTCOMES[Status(h.status)], h.reason or "—")
        console.print(table)
        finish(session, EDGE_IDENTIFY, out, started)
