"""The rectification demo: a county inspection's findings in four villages assigned, fixed, sent back, verified and
closed on a simulated clock, with the ledger and the overdue notice per responsible unit as of 2026-12-01."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table

from demo.household_exit import console, finish, prepare
from demo.rounds.rectification import run_rectification_demo
from models.chains.rectification.findings import CODE as CODE
from models.chains.rectification.stages import RECTIFICATION
from models.core.clock import cn_date
from models.core.db import session_scope


def run(out_dir: str) -> None:
    """Build the county's area, run its rectification round, print each finding and the overdue report per unit."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    with session_scope() as session:
        console.rule("[bold]tuopin 演示：大排查大整改（交办、整改、核查验收、销号；逾期未整改情况）")
        summary = run_rectification_demo(session=session)
        session.commit()
        for refusal in summary.refusals:
            console.print(f"拒绝：{refusal}")
        cases = Table(title="各排查问题办理情况")
        for header in ("案件", "环节", "状态"):
            cases.add_column(header)
        for case_id, (stage, status) in summary.states.items():
            state = RECTIFICATION.status_name(status)
            cases.add_row(str(case_id), RECTIFICATION.stage(stage).name, state)
        console.print(cases)
        table = Table(title=f"逾期未整改情况（截至{cn_date(summary.finished_at)}，完成时限当日24时止）")
        for header in ("责任单位", "问题数", "整改中", "已整改待核查", "已核查待销号", "已销号", "逾期", "逾期问题"):
            table.add_column(header)
        for unit in summary.units:
            late = "；".join(f"案件{f.case_id} {f.village} 逾期{f.days_overdue}天（时限{cn_date(f.due_day)}）"
                            for f in unit.overdue)
            table.add_row(unit.unit, str(unit.total), str(unit.open), str(unit.fixed), str(unit.verified),
                          str(unit.closed), str(len(unit.overdue)), late or "—")
        console.print(table)
        finish(session, RECTIFICATION, out, started)
