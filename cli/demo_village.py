"""The village exit demo: three villages of a township at the edges of the standard, walked through every stage
of chain B on a simulated clock, with the acceptance forms, the 三率一度 summary and the notices they produce."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table
from sqlalchemy import func, select
from sqlmodel import col

from cli.demo import console, prepare
from models.chains.village_exit import VILLAGE_EXIT
from models.clock import cn_date
from models.db import session_scope
from models.document import Document
from models.regions import Region
from models.settings import get_settings
from models.village_demo import run_village_demo


def run_village_exit_demo(out_dir: str) -> None:
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
        docs = session.execute(select(col(Document.kind), func.count()).where(col(Document.chain) == VILLAGE_EXIT.code)
                               .group_by(col(Document.kind))).tuples().all()
    console.print("文书：" + "，".join(f"{kind} {count}份" for kind, count in docs))
    console.print(f"数据库：{get_settings().database_url}")
    console.print(f"文书目录：{get_settings().output_dir}")
    console.print(f"查看进度：tuopin --db {out / 'tuopin.db'} status --chain village-exit")
    console.print(f"用时 {time.monotonic() - started:.1f} 秒")
