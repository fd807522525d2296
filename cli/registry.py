"""`tuopin registry apply FILE` and `tuopin registry history HOUSEHOLD_NUMBER`: keeping the registry (动态调整) by
change sheet, and a household's change history (docs/registry.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from cli.common import ActorOption, NowOption, console, fail, moment
from cli.importing import SHOWN, report_path, show_refused_file
from models.core.actors import actor_by_login
from models.core.clock import local
from models.core.db import session_scope
from models.core.errors import TuopinError
from models.core.household import Household

registry_app = typer.Typer(help="Keeping the registry: members born, dead, married or moved; households split or "
                                "merged; flags and phones changed.", no_args_is_help=True)


@registry_app.command("apply")
def registry_apply(
    path: Annotated[Path, typer.Argument(help="Change sheet, .xlsx or .csv, one row per change (docs/registry.md).")],
    actor: ActorOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the whole sheet and write nothing.")] = False,
    report: Annotated[bool, typer.Option("--report", help="Also write every problem to FILE.问题清单.csv.")] = False,
    now: NowOption = None,
) -> None:
    """Apply a change sheet; the whole sheet is checked first and nothing is written unless every row is right."""
    from models.importing import ImportRefused, write_report
    from models.registry.sheet import apply_sheet

    when = moment(now)
    with session_scope() as session:
        try:
            plan = apply_sheet(session=session, path=path, actor=actor_by_login(session, actor), now=when,
                               dry_run=dry_run)
            if not dry_run:
                session.commit()
        except ImportRefused as error:
            session.rollback()
            show_refused_file(error, nothing="未登记任何变更", sheet="变更表", redo="重新登记")
            if report:
                console.print(f"全部问题已写入：{write_report(error.problems, report_path(path))}")
            elif len(error.problems) > SHOWN:
                console.print(f"共{len(error.problems)}个问题，以上仅列出前{SHOWN}个；加 --report 可写入CSV文件")
            raise typer.Exit(code=1) from None
        except TuopinError as error:
            session.rollback()
            fail(error)
        except IntegrityError:
            session.rollback()
            fail("写入时发现有人同时登记了同一户的变更，已全部撤销；请重新登记")
    counts = "，".join(f"{kind}{n}项" for kind, n in plan.counts().items())
    if dry_run:
        console.print(f"检查通过（未写入）：{len(plan.changes)}项变更（{counts}）")
    else:
        console.print(f"登记完成：{len(plan.changes)}项变更（{counts}）；每项已记入审计记录")


@registry_app.command("history")
def registry_history(
    number: Annotated[str, typer.Argument(help="The household's 户编号.")],
) -> None:
    """A household's members (present and left) and every change recorded for it."""
    from models.registry.history import history
    from models.registry.revisions import household_as_of

    with session_scope() as session:
        household = session.exec(select(Household).where(Household.number == number)).first()
        if household is None:
            fail(f"系统中没有户编号{number}")
        entries = history(session, number)
        state = household_as_of(session, household.id or 0, None)
    members = Table(title=f"户编号{number}（户主{household.head_name}）家庭成员")
    for header in ("姓名", "与户主关系", "性别", "证件号码", "是否常住", "状态"):
        members.add_column(header, overflow="fold")
    for m in state.members if state else ():
        members.add_row(m.name, m.relation, m.sex, m.resident_id, "是" if m.resident else "否",
                        f"已减员（{m.left_reason}）" if m.left else "在册")
    console.print(members)
    table = Table(title=f"户编号{number}（户主{household.head_name}）变更记录")
    for header in ("登记时间", "经办人", "变更类型", "变更日期", "内容", "说明"):
        table.add_column(header, overflow="fold")
    for entry in entries:
        table.add_row(local(entry.at).format("YYYY-MM-DD HH:mm"), entry.actor, entry.kind, entry.on, entry.what,
                      entry.note)
    console.print(table if entries else f"户编号{number}（户主{household.head_name}）尚无变更记录")
