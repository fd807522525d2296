"""The relative-poor household demo (两次识别): eight applicants of two villages at the line, walked through every
stage of chain E on a simulated clock, with the priority rule's order, a household failing the city's random-sample
check, the notices, the check forms and the record cards."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table
from sqlalchemy import select
from sqlmodel import col

from demo.household_exit import console, finish, prepare
from demo.rounds.relative_identify import run_relative_identify_demo
from models.chains.relative_identify.stages import CODE as CODE
from models.chains.relative_identify.stages import RELATIVE_IDENTIFY
from models.core.clock import cn_date
from models.core.db import session_scope
from models.core.regions import Region
from models.documents.render import yuan


def run(out_dir: str) -> None:
    """Build the township, run its applicants through 两次识别, print what became of each and the lists' order."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    with session_scope() as session:
        console.rule("[bold]tuopin 演示：相对贫困户识别（两次识别：村评议公示、镇县核查、市级抽查、进村核实、"
                     "公示、建档立卡）")
        summary = run_relative_identify_demo(session=session)
        session.commit()
        for line in summary.events:
            console.print(line)
        names = dict(session.execute(select(col(Region.code), col(Region.name)).where(
            col(Region.code).in_([h.village_code for h in summary.households]))).tuples().all())
        table = Table(title=f"汇总：各户识别结果（截至{cn_date(summary.finished_at)}）")
        for header in ("村", "案件", "户主", "人均纯收入（元）", "优先条件", "环节", "结果"):
            table.add_column(header, no_wrap=True)
        table.add_column("理由", overflow="fold")
        for h in summary.households:
            table.add_row(names.get(h.village_code, h.village_code), str(h.case_id), h.head, yuan(h.per_capita),
                          h.priority or "—", RELATIVE_IDENTIFY.stage(h.stage).name,
                          RELATIVE_IDENTIFY.status_name(h.status), h.reason or "—")
        console.print(table)
        for village, heads in summary.lists.items():
            console.print(f"{names.get(village, village)}公示名单顺序：" + "、".join(heads))
        finish(session, RELATIVE_IDENTIFY, out, started)
