"""`tuopin staff`: the county's people and their dashboard logins, kept by its county administrator
(docs/staff.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from cli.common import NowOption, console, fail, moment
from cli.importing import show_refused_file
from models.core.actors import ROLE_NAMES, Actor, actor_by_login
from models.core.db import session_scope
from models.core.errors import TuopinError
from models.core.regions import Region

staff_app = typer.Typer(help="The county's staff: people, roles, regions, phones and dashboard logins.",
                        no_args_is_help=True)

AdminOption = Annotated[str, typer.Option("--as", help="Login (or #id) of the county administrator acting.")]
FirstAdminOption = Annotated[str | None, typer.Option(
    "--as", help="Login (or #id) of the county administrator acting; left out only to add the county's first "
                 "administrator (or set that administrator's first password).")]
T = TypeVar("T")


def _run(work: Callable[[Session], T]) -> T:
    """Do one change in its own transaction: committed whole, or refused in Chinese with nothing written."""
    with session_scope() as session:
        try:
            result = work(session)
            session.commit()
            return result
        except TuopinError as error:
            session.rollback()
            fail(error)
        except IntegrityError:
            session.rollback()
            fail("写入时发现有人同时登记了同一登录名，已全部撤销；请重试")


def _by(session: Session, login: str | None) -> Actor | None:
    return actor_by_login(session, login) if login else None


def _where(session: Session, actor: Actor) -> str:
    region = session.get(Region, actor.region_code)
    return f"{actor.region_code} {region.name}" if region else actor.region_code


@staff_app.command("import")
def staff_import(
    path: Annotated[Path, typer.Argument(help="Staff file, .xlsx or .csv: 姓名, 登录名, 角色, 区划代码, 联系电话.")],
    actor: AdminOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the whole file and write nothing.")] = False,
    now: NowOption = None,
) -> None:
    """Import the staff roster; the whole file is checked first and nothing is written unless every row is right."""
    from models.importing import ImportRefused
    from models.importing.reading import Unreadable
    from models.staff.roster import import_staff

    when = moment(now)
    with session_scope() as session:
        try:
            plan = import_staff(session=session, path=path, by=actor_by_login(session, actor), now=when,
                                dry_run=dry_run)
            if not dry_run:
                session.commit()
        except ImportRefused as error:
            session.rollback()
            show_refused_file(error, nothing="未登记任何人员")
            raise typer.Exit(code=1) from None
        except (Unreadable, TuopinError) as error:
            session.rollback()
            fail(error)
        except IntegrityError:
            session.rollback()
            fail("写入时发现有人同时登记了文件中的登录名，已全部撤销；请重新导入")
    known = f"；已登记且一致、未改动：{plan.known}人" if plan.known else ""
    if dry_run:
        console.print(f"检查通过（未写入）：可新增{len(plan.added)}人{known}")
    elif not plan.added:
        console.print(f"文件中的{plan.known}人均已登记且一致，未写入任何数据")
    else:
        console.print(f"导入完成：新增{len(plan.added)}人{known}；已记入审计记录（文件SHA-256：{plan.sha256[:16]}…）")


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Option("--name", help="The person's name, e.g. 肖勇.")],
    login: Annotated[str, typer.Option("--login", help="A login no one else has, e.g. xiaoyong.")],
    role: Annotated[str, typer.Option("--role", help="Role: its Chinese name (县级复核组) or code.")],
    region: Annotated[str, typer.Option("--region", help="12-digit code of a region of the role's level.")],
    phone: Annotated[str, typer.Option("--phone", help="Phone number.")] = "",
    actor: FirstAdminOption = None,
    now: NowOption = None,
) -> None:
    """Add one person. Without --as only the county's first administrator (role COUNTY_ADMIN) may be added."""
    from models.staff.people import Person, add_person

    when = moment(now)

    def work(session: Session) -> str:
        added = add_person(session=session, person=Person(name, login, role, region, phone), by=_by(session, actor),
                           now=when)
        return f"已登记：{added.title()}，登录名{added.login}，{_where(session, added)}"

    console.print(_run(work))


@staff_app.command("change")
def staff_change(
    login: Annotated[str, typer.Argument(help="Login (or #id) of the person to change.")],
    actor: AdminOption,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="New role (Chinese name or code).")] = None,
    region: Annotated[str | None, typer.Option("--region", help="New region code.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="New phone ('' clears it).")] = None,
    now: NowOption = None,
) -> None:
    """Change a person's name, role, region or phone; the login stays."""
    from models.staff.people import change_person

    if name is None and role is None and region is None and phone is None:
        fail("未指定要修改的内容（--name、--role、--region或--phone）；未写入任何内容")
    when = moment(now)

    def work(session: Session) -> str:
        changed = change_person(session=session, login=login, by=actor_by_login(session, actor), now=when, name=name,
                                role=role, region_code=region, phone_number=phone)
        return f"已修改：{changed.title()}，登录名{changed.login}，{_where(session, changed)}"

    console.print(_run(work))


def _set_active(login: str, actor: str, now: str | None, active: bool) -> None:
    from models.staff.people import set_active

    when = moment(now)

    def work(session: Session) -> str:
        done = set_active(session=session, login=login, active=active, by=actor_by_login(session, actor), now=when)
        if active:
            return f"已恢复：{done.title()}（{done.login}）可再办理和登录"
        return f"已停用：{done.title()}（{done.login}）不能再办理或登录；其以往的决定仍保留在记录中"

    console.print(_run(work))


@staff_app.command("deactivate")
def staff_deactivate(
    login: Annotated[str, typer.Argument(help="Login (or #id) of the person leaving.")],
    actor: AdminOption,
    now: NowOption = None,
) -> None:
    """Deactivate a person: they can no longer act or log in; their past decisions stay in the record."""
    _set_active(login, actor, now, False)


@staff_app.command("reactivate")
def staff_reactivate(
    login: Annotated[str, typer.Argument(help="Login (or #id) of the person returning.")],
    actor: AdminOption,
    now: NowOption = None,
) -> None:
    """Reactivate a deactivated person."""
    _set_active(login, actor, now, True)


@staff_app.command("list")
def staff_list(
    region: Annotated[str | None, typer.Option("--region", help="Only people of this region and below.")] = None,
) -> None:
    """List the registered people: name, login, role, region, phone, and whether active."""
    from models.staff.people import staff_of

    with session_scope() as session:
        try:
            people = staff_of(session, region)
        except TuopinError as error:
            fail(error)
        names = {r.code: r.name for r in session.exec(select(Region)).all()}
    table = Table()
    for header in ("编号", "姓名", "登录名", "角色", "区划", "联系电话", "状态"):
        table.add_column(header, overflow="fold")
    for p in people:
        where = f"{p.region_code} {names.get(p.region_code, '')}"
        table.add_row(f"#{p.id}", p.name, p.login, ROLE_NAMES[p.role], where, p.phone or "—",
                      "在用" if p.active else "已停用")
    console.print(table)
    console.print(f"共{len(people)}人（在用{sum(p.active for p in people)}人）")


@staff_app.command("password")
def staff_password(
    login: Annotated[str, typer.Argument(help="Login (or #id) of the person whose dashboard password is set.")],
    password: Annotated[str, typer.Option(prompt="密码", hide_input=True, confirmation_prompt=True,
                                          help="The new password, at least 8 characters (asked twice when not "
                                               "given).")],
    actor: FirstAdminOption = None,
    now: NowOption = None,
) -> None:
    """Set or reset a person's dashboard password (their dashboard login is their login); failed attempts clear."""
    from models.staff.people import set_password

    when = moment(now)

    def work(session: Session) -> str:
        user = set_password(session=session, login=login, password=password, by=_by(session, actor), now=when)
        return f"已设置工作台密码：登录名{user.login}"

    console.print(_run(work))
