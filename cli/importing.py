"""`tuopin import FILE` and `tuopin export-roster REGION OUT.xlsx`: household rosters in and out (docs/import.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.table import Table
from sqlalchemy.exc import IntegrityError

from cli.common import ActorOption, NowOption, console, fail, moment
from models.core.actors import actor_by_login
from models.core.db import session_scope
from models.core.errors import TuopinError

if TYPE_CHECKING:
    from models.importing import ImportRefused, Plan, Problem

# models.importing is imported inside the commands that use it: `tuopin status` and the other commands
# need none of the roster reading and checking.

SHOWN = 50  # problems listed on screen; --report writes them all

def report_path(path: Path) -> Path:
    """Where --report writes the full list: beside the file, named after it."""
    return path.with_name(f"{path.stem}.问题清单.csv")


def problem_table(problems: list[Problem]) -> Table:
    table = Table(show_lines=False)
    for header in ("行号", "列名", "填写内容", "问题"):
        table.add_column(header, overflow="fold")
    for problem in problems[:SHOWN]:
        table.add_row(str(problem.row) if problem.row else "—", problem.column, problem.value or "（空）",
                      problem.reason)
    return table


def show_refused_file(error: ImportRefused, *, nothing: str, sheet: str = "文件", redo: str = "重新导入") -> None:
    """Why a file checked whole was refused, as every file command says it: how many problems, that nothing was
    written (`nothing`: 未导入任何区划), and the problems by Excel row."""
    console.print(f"[bold red]未执行：[/]{sheet}“{error.file_name}”有{len(error.problems)}个问题，"
                  f"{nothing}。请逐条改正后{redo}（行号即Excel左侧的行号）：")
    console.print(problem_table(error.problems))


def _refused(error: ImportRefused, path: Path, report: bool) -> NoReturn:
    problems = error.problems
    show_refused_file(error, nothing="未导入任何数据")
    if report:
        from models.importing import write_report

        try:
            console.print(f"全部{len(problems)}个问题已写入：{write_report(problems, report_path(path))}")
        except OSError as failure:
            console.print(f"问题清单无法写入“{report_path(path)}”：{failure.strerror or failure}")
    elif len(problems) > SHOWN:
        console.print(f"共{len(problems)}个问题，以上仅列出前{SHOWN}个；加 --report 可把全部问题写入CSV文件")
    raise typer.Exit(code=1)


def _summary(plan: Plan) -> str:
    years = sorted({h.income.year for h in plan.households if h.income is not None})
    income = f"，收入{plan.incomes}条（{'、'.join(str(y) for y in years)}年度）" if years else "，未含收入"
    return f"{plan.villages}个村{len(plan.households)}户{plan.people}人{income}"


def import_file(
    path: Annotated[Path, typer.Argument(help="Roster file, .xlsx or .csv, one row per person (docs/import.md).")],
    actor: ActorOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the whole file and write nothing.")] = False,
    report: Annotated[bool, typer.Option("--report", help="Also write every problem to FILE.问题清单.csv.")] = False,
    now: NowOption = None,
) -> None:
    """Import households, members and incomes; the whole file is checked first and nothing is written unless it
    is clean."""
    from models.importing import ImportRefused, import_roster

    when = moment(now)
    with session_scope() as session:
        try:
            plan = import_roster(session=session, path=path, actor=actor_by_login(session, actor), now=when,
                                 dry_run=dry_run)
            if not dry_run:
                session.commit()
        except ImportRefused as error:
            session.rollback()
            _refused(error, path, report)
        except TuopinError as error:
            session.rollback()
            fail(error)
        except IntegrityError:
            session.rollback()
            fail("写入时发现有人同时登记了文件中的户或人员，已全部撤销；请重新导入，系统会列出重复的行")
    if plan.unused:
        console.print(f"未读取的列（导入格式中没有）：{'、'.join(plan.unused)}")
    if dry_run:
        console.print(f"检查通过（未写入）：可导入{_summary(plan)}；文件编码：{plan.encoding}")
    else:
        console.print(f"导入完成：{_summary(plan)}；已记入审计记录（文件SHA-256：{plan.sha256[:16]}…）")


def export_roster_file(
    region: Annotated[str, typer.Argument(help="Village, township or county code, or its leading digits.")],
    out: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
    actor: ActorOption,
    year: Annotated[int | None, typer.Option(help="Income year (default: each household's latest).")] = None,
    now: NowOption = None,
) -> None:
    """Export a region's households and members to .xlsx in the import layout (unmasked: internal use only)."""
    if out.suffix.lower() != ".xlsx":
        fail(f"导出文件须以.xlsx结尾：{out}")
    from models.importing import export_roster

    when = moment(now)
    with session_scope() as session:
        try:
            done = export_roster(session=session, region=region, path=out, actor=actor_by_login(session, actor),
                                 now=when, year=year)
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
        except OSError as error:
            session.rollback()
            fail(f"无法写入文件“{out}”：{error.strerror or error}")
    console.print(f"已导出：{done.households}户{done.people}人 → {done.path}"
                  "（含完整身份证号和电话，仅供内部工作使用，请妥善保管）")
