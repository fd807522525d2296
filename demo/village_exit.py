"""The village exit demo: three villages of a township at the edges of the standard, walked through every stage
of chain B on a simulated clock, with the acceptance forms, the 三率一度 summary and the notices they produce."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table
from sqlalchemy import select
from sqlmodel import col

from demo.household_exit import console, finish, prepare
from demo.rounds.village_exit import run_village_demo
from models.chains.village_exit.stages import CODE as CODE
from models.chains.village_exit.stages import VILLAGE_EXIT
from models.core.clock import cn_date
from models.core.db import session_scope
from models.core.regions import Region


def run(out_dir: str) -> None:
    """Build the township, run its three villages through village exit, print what became of each."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    with session_scope() as session:
        console.rule("[bold]tuopin 演示：贫困村退出（一个确保、两个完善；县级逐村核查、三率一度）")
        summary = run_village_demo(session=session)
        session.commit()
        names = dict(session.execute(select(col(Region.code), col(Region.name)).where(
            col(Region.code).in_([v.village_code for v in summary.villages]))).tuples().all())
        table = Table(title=f"汇总：各村退出结果（截至{cn_date(summary.finished_at)}）")
        for header in ("村", "案件", "环节", "状态", "理由"):
            table.add_column(header)
        for v in summary.villages:
            table.add_row(names.get(v.village_code, v.village_code), str(v.case_id), VILLAGE_EXIT.stage(v.stage).name,
                          VILLAGE_EXIT.status_name(v.status), v.reason or "—")
        console.print(table)
        finish(session, VILLAGE_EXIT, out, started)
