"""Rich tables of the CLI, in Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.table import Table

from models.core.clock import cn_date
from models.door.chain import Chain, chain_named
from models.reads.status import CaseLine


def chain_table(chains: Sequence[Chain]) -> Table:
    table = Table(title="审批流程")
    for header in ("代码", "名称", "环节数", "流程"):
        table.add_column(header)
    for chain in chains:
        table.add_row(chain.code, chain.name, str(len(chain.stages)), chain.summary)
    return table


def count_table(counts: Sequence[tuple[str, str, str, int]]) -> Table:
    table = Table(title="各流程各环节案件数")
    for header in ("流程", "环节", "状态", "件数"):
        table.add_column(header)
    for code, stage, status, count in counts:
        chain = chain_named(code)
        table.add_row(chain.name, f"{chain.number(stage)}. {chain.stage(stage).name}", chain.status_name(status),
                      str(count))
    return table


def case_table(lines: Sequence[CaseLine], now: datetime) -> Table:
    table = Table(title=f"案件（按到期先后，截至{cn_date(now)}）")
    for header in ("案件", "流程", "户编号", "户主", "村", "环节", "状态", "到期", "公示剩余", "异议"):
        table.add_column(header)
    for line in lines:
        due = cn_date(line.due_at) if line.due_at else "—"
        table.add_row(
            str(line.case_id), line.chain, line.household or "—", line.head, line.village, line.stage,
            line.status_name,
            f"[red]{due} 超期[/]" if line.overdue else due,
            f"{line.window_days_left}天" if line.window_days_left is not None else "—",
            str(line.open_objections or ""),
        )
    return table


# What a stage's task did, as `tuopin run` says it (tasks/stages.py::StageRun.work names them <STAGE>.<what>).
WORK_WORDS = {"advanced": ("流转", "件"), "posted": ("张贴公示", "件"), "samples": ("抽取样本", "个村"),
              "documents": ("生成文书", "份"), "overdue_flagged": ("标记超期", "件")}


def run_lines(chain: Chain, done: dict[str, int]) -> list[str]:
    """A chain run's counts in words, a line per stage and kind of work in the chain's order:
    乡镇入户核查（HOME_CHECK）：生成文书12份."""
    lines = [f"关闭公示{done['windows_closed']}个"] if done.get("windows_closed") else []
    for stage in chain.stages:
        lines += [f"{stage.name}（{stage.code}）：{word}{done[key]}{unit}" for what, (word, unit) in WORK_WORDS.items()
                  if (key := f"{stage.code}.{what}") in done]
    return lines or ["本次没有需要机器办理的事项"]
