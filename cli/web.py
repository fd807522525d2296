"""The dashboard's commands: serve it, add a login of another name for a registered person (a person's own login
is given its password by `tuopin staff password`), and the demo's logins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import typer
from sqlalchemy import select
from sqlmodel import Session, col

from cli.common import console, fail, moment
from models.core.actors import ROLE_NAMES, Actor, Role, actor_by_login
from models.core.clock import cn_date, utcnow
from models.core.db import session_scope
from models.core.errors import TuopinError
from models.core.settings import get_settings
from models.core.web_users import add_web_user, user_named

DEMO_PASSWORD = "tuopin-demo"
# One login per level, for the person who decides at that level.
# One login per level and deciding role, for the roles a demo's area has (chain A's has no city, province or
# industry department; the key-village and monitoring demos do).
DEMO_LOGINS = (("group", Role.GROUP_LEADER), ("village", Role.VILLAGE_COMMITTEE),
               ("check", Role.TOWNSHIP_CHECK_TEAM), ("township", Role.TOWNSHIP_GOVERNMENT),
               ("recheck", Role.COUNTY_RECHECK_TEAM), ("county", Role.COUNTY_GOVERNMENT),
               ("city", Role.CITY_CHECK_TEAM), ("province", Role.PROVINCE_POVERTY_OFFICE),
               ("department", Role.INDUSTRY_DEPARTMENT))


def web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    now: Annotated[str | None, typer.Option(
        "--now", help="Simulated time the dashboard starts at (it runs on from there), e.g. '2026-10-20 09:00': "
                      "to play a year through in days, as the other commands' --now does.")] = None,
) -> None:
    """Serve the dashboard (pages in Chinese for the clerks) on the configured database."""
    import uvicorn

    from web.app import create_app

    clock = running_from(moment(now)) if now else utcnow
    simulated = f"  模拟时间自{cn_date(clock())}起" if now else ""
    console.print(f"工作台：http://{host}:{port}/  数据库：{get_settings().database_url}{simulated}")
    uvicorn.run(create_app(clock=clock), host=host, port=port, log_level="warning")


def running_from(start: datetime) -> Callable[[], datetime]:
    """A clock that reads `start` now and runs on with the real one."""
    offset = start - utcnow()
    return lambda: utcnow() + offset


def users_add(
    login: Annotated[str, typer.Argument(help="Login name.")],
    actor_name: Annotated[str, typer.Option("--actor", help="Login (or #id) of the registered person this "
                                                            "login acts as.")],
    password: Annotated[str, typer.Option(prompt="密码", hide_input=True, confirmation_prompt=True,
                                          help="Password (asked for when not given).")],
) -> None:
    """Add a dashboard login for a registered person: their role and region are what the login sees."""
    from models.core.passwords import hash_password  # argon2 only where a password is hashed

    if len(password) < 8:
        fail("密码至少8位；未写入任何内容")
    with session_scope() as session:
        try:
            actor = actor_by_login(session, actor_name)
            add_web_user(session, login=login, actor=actor, password_hash=hash_password(password))
            session.commit()
        except TuopinError as error:
            session.rollback()
            fail(error)
    console.print(f"已添加登录账号“{login}”：{actor.title()}")


def add_demo_logins(session: Session) -> list[tuple[str, Actor]]:
    """A login per level for the first person of each deciding role (password DEMO_PASSWORD; the caller commits);
    logins that exist already are left as they are."""
    from models.core.passwords import hash_password

    added = []
    for login, role in DEMO_LOGINS:
        actor = session.scalars(select(Actor).where(col(Actor.role) == role).order_by(col(Actor.region_code))).first()
        if actor is None or user_named(session, login) is not None:
            continue
        add_web_user(session, login=login, actor=actor, password_hash=hash_password(DEMO_PASSWORD))
        added.append((login, actor))
    return added


def print_demo_logins(database_url: str | None = None) -> None:
    """Add the demo's logins to its database and print them."""
    with session_scope(database_url) as session:
        added = add_demo_logins(session)
        session.commit()
    for login, actor in added:
        console.print(f"工作台登录：{login} / {DEMO_PASSWORD}"
                      f"（{actor.name}，{ROLE_NAMES[actor.role]}，{actor.region_code}）")
