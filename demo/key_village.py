"""The key-village demo: six villages of a county ranked by degree of relative poverty at township and county,
a city spot-check of a drawn sample that sends one back, the province's field check of its own sample, deliberation
and publicity (chain D)."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table
from sqlalchemy import select
from sqlmodel import col

from demo.household_exit import console, finish, prepare
from demo.rounds.key_village import run_key_village_demo
from models.chains.key_village.stages import CODE as CODE
from models.chains.key_village.stages import KEY_VILLAGE
from models.core.clock import cn_date
from models.core.db import session_scope
from models.core.regions import Region


def run(out_dir: str) -> None:
    """Build the county, run its six villages through key-village identification, print the rankings and results."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    with session_scope() as session:
        console.rule("[bold]tuopin 演示：重点帮扶村确认（村申请、镇核实排序、县审核汇总、市抽查、省复核、审议公示）")
        summary = run_key_village_demo(session=session)
        session.commit()
        names = dict(session.execute(select(col(Region.code), col(Region.name))).tuples().all())
        for township, ranked in summary.township_ranking.items():
            console.print(f"{names[township]}排序：" + "、".join(f"{n}.{names[v]}" for n, v in enumerate(ranked, 1)))
        console.print("全县申报汇总表排序：" + "、".join(f"{n}.{names[v]}" for n, v in
                                                 enumerate(summary.county_ranking, 1)))
        for number, drawn in enumerate(summary.city_drawn, 1):
            console.print(f"市级抽查第{number}次抽中：" + "、".join(names[v] for v in drawn))
            for village in summary.returned if number == 1 else ():  # the first sample's return brings the second
                console.print(f"市级抽查退回：{names[village]}（{summary.return_reasons.get(village, '')}）")
        if summary.province_drawn:
            console.print("省级实地复核抽中：" + "、".join(names[v] for v in summary.province_drawn))
        table = Table(title=f"汇总：各村确认结果（截至{cn_date(summary.finished_at)}）")
        for header in ("村", "案件", "环节", "状态", "理由"):
            table.add_column(header)
        for v in summary.villages:
            table.add_row(names.get(v.village_code, v.village_code), str(v.case_id), KEY_VILLAGE.stage(v.stage).name,
                          KEY_VILLAGE.status_name(v.status), v.reason or "—")
        console.print(table)
        finish(session, KEY_VILLAGE, out, started)
