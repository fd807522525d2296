"""The monitoring and assistance demo: a township's yearly campaign with the seed's phases, monthly rounds, three
warnings handed to industry departments with a working-day limit across the National Day holiday, one close-out on
time, one overdue and flagged by the sweep, one returned at verification, all closed out in the end."""

from __future__ import annotations

import time
from pathlib import Path

from rich.table import Table

from demo.household_exit import console, finish, prepare
from demo.rounds.monitoring import run_monitoring_demo
from models.chains.monitoring.stages import CODE as CODE
from models.chains.monitoring.stages import MONITORING
from models.core.case import Status
from models.core.clock import cn_date
from models.core.db import session_scope
from models.documents.render import cn_period

CLOSED = {Status.EXITED: "已销号", Status.REJECTED: "不予确定", Status.ACTIVE: "办理中"}


def run(out_dir: str) -> None:
    """Build the township, run its monitoring year, print the phases, refusals, assignments and outcomes."""
    started = time.monotonic()
    out = Path(out_dir)
    prepare(out)
    with session_scope() as session:
        console.rule("[bold]tuopin 演示：防止返贫监测和帮扶（月度动态监测、交办行业部门、工作日时限、销号）")
        summary = run_monitoring_demo(session=session)
        session.commit()
        phases = Table(title="年度监测工作阶段")
        for header in ("阶段", "起止日期"):
            phases.add_column(header)
        for name, first, last in summary.phases:
            phases.add_row(name, cn_period(first, last))
        console.print(phases)
        console.print(f"月度动态监测{summary.rounds}次，标注预警{summary.warnings}项")
        for refusal in summary.refusals:
            console.print(f"[yellow]{cn_date(refusal.when)} {refusal.what}，被拒绝：[/]{refusal.reason}")
        for case_id, reason in summary.returned:
            console.print(f"[yellow]案件{case_id}退回行业部门：[/]{reason}")
        console.print(f"超期巡检：10月19日23:00标记{summary.overdue_at_due}件；"
                      f"10月20日00:05标记{summary.overdue_flagged}件"
                      f"（案件{'、'.join(map(str, summary.overdue_cases))}）")
        table = Table(title="交办行业部门及销号（时限按工作日，国庆假期不计，10月10日调休上班计入）")
        for header in ("案件", "户主", "缺项", "责任部门", "交办日期", "时限", "办结期限", "申请销号", "是否按期"):
            table.add_column(header)
        for a in summary.assignments:
            table.add_row(str(a.case_id), a.head, a.guarantee, a.department, cn_date(a.assigned_on),
                          f"{a.workdays}个工作日", cn_date(a.due_on),
                          cn_date(a.requested_on) if a.requested_on else "—", a.timeliness)
        console.print(table)
        outcomes = Table(title=f"汇总：预警案件办理结果（截至{cn_date(summary.finished_at)}）")
        for header in ("案件", "户主", "环节", "状态"):
            outcomes.add_column(header)
        for c in summary.cases:
            outcomes.add_row(str(c.case_id), c.head, MONITORING.stage(c.stage).name, CLOSED[Status(c.status)])
        console.print(outcomes)
        finish(session, MONITORING, out, started)
