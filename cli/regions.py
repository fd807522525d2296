"""`tuopin regions import FILE` and `tuopin regions add CODE NAME`: a county's statistical division codes
(docs/import.md, "Regions")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from cli.common import NowOption, console, fail, moment
from cli.importing import show_refused_file
from models.core.actors import SYSTEM_NAME, actor_by_login
from models.core.db import session_scope
from models.core.errors import TuopinError
from models.core.regions import LEVEL_NAMES

regions_app = typer.Typer(help="The county's regions: 12-digit statistical division codes with names.",
                          no_args_is_help=True)

ByOption = Annotated[str | None, typer.Option("--as", help="Login (or #id) of the registered person acting "
                                                          "(default: the system, before anyone is registered).")]


def _actor_name(session: Session, name: str | None) -> str:
    """Who the audit event names: the registered person given, else the system (the office setting itself up)."""
    return actor_by_login(session, name).name if name else SYSTEM_NAME


@regions_app.command("import")
def regions_import(
    path: Annotated[Path, typer.Argument(help="Regions file, .xlsx or .csv: 区划代码, 名称, optionally 级别.")],
    actor: ByOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the whole file and write nothing.")] = False,
    now: NowOption = None,
) -> None:
    """Import regions (province down to village); the whole file is checked first and nothing is written unless
    every row is right."""
    from models.importing import ImportRefused
    from models.importing.reading import Unreadable
    from models.importing.regions import import_regions

    when = moment(now)
    with session_scope() as session:
        try:
            plan = import_regions(session=session, path=path, actor_name=_actor_name(session, actor), now=when,
                                  dry_run=dry_run)
            if not dry_run:
                session.commit()
        except ImportRefused as error:
            session.rollback()
            show_refused_file(error, nothing="未导入任何区划")
            raise typer.Exit(code=1) from None
        except Unreadable as error:
            session.rollback()
            fail(error)
        except TuopinError as error:
            session.rollback()
            fail(error)
        except IntegrityError:
            session.rollback()
            fail("写入时发现有人同时登记了文件中的区划，已全部撤销；请重新导入，系统会列出已登记的区划")
    counts = "、".join(f"{level}{n}个" for level, n in plan.counts().items()) or "无新区划"
    known = f"；已登记且名称一致、未改动：{plan.known}个" if plan.known else ""
    if dry_run:
        console.print(f"检查通过（未写入）：可新增{counts}{known}")
    elif not plan.added:
        console.print(f"文件中的{plan.known}个区划均已登记且名称一致，未写入任何数据")
    else:
        console.print(f"导入完成：新增{counts}{known}；已记入审计记录（文件SHA-256：{plan.sha256[:16]}…）")


@regions_app.command("add")
def regions_add(
    code: Annotated[str, typer.Argument(help="12-digit statistical division code.")],
    name: Annotated[str, typer.Argument(help="The region's name, e.g. 安沙镇.")],
    actor: ByOption = None,
    now: NowOption = None,
) -> None:
    """Add one region under its registered parent."""
    from models.importing.regions import add_region

    when = moment(now)
    with session_scope() as session:
        try:
            added = add_region(session=session, code=code, name=name, actor_name=_actor_name(session, actor),
                               now=when)
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
    console.print(f"已添加{LEVEL_NAMES[added.level]}区划：{added.code} {added.name}")
