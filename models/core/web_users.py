"""Dashboard logins: each login is one registered person (their role and region are its scope), with the count of
recent failed attempts that pauses a login after too many."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Field, Session, SQLModel, col, select

from models.core.actors import Actor
from models.core.errors import InvalidInput

MAX_FAILURES = 5
PAUSE = timedelta(seconds=60)


class WebUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, index=True, description="登录名")
    password_hash: str = Field(description="argon2 hash of the password")
    actor_id: int = Field(foreign_key="actor.id", index=True)
    failed_attempts: int = Field(default=0, description="failed logins since the last success")
    last_failure_at: datetime | None = None


def add_web_user(session: Session, *, login: str, actor: Actor, password_hash: str) -> WebUser:
    """A login for a registered person (the caller commits); a login name is used once."""
    login = login.strip()
    if not login:
        raise InvalidInput("登录账号", "登录名", login, "登录名不能为空")
    if session.exec(select(WebUser).where(WebUser.login == login)).first() is not None:
        raise InvalidInput(f"登录账号{login}", "登录名", login, "登录名已存在")
    assert actor.id is not None
    user = WebUser(login=login, password_hash=password_hash, actor_id=actor.id)
    session.add(user)
    session.flush()
    return user


def user_named(session: Session, login: str) -> tuple[WebUser, Actor] | None:
    """The login with this name and its person, if any."""
    row = session.exec(
        select(WebUser, Actor).join(Actor, col(Actor.id) == col(WebUser.actor_id)).where(WebUser.login == login)
    ).first()
    return (row[0], row[1]) if row else None


def user_by_id(session: Session, user_id: int) -> tuple[WebUser, Actor] | None:
    """The login with this id and its person, if any."""
    row = session.exec(
        select(WebUser, Actor).join(Actor, col(Actor.id) == col(WebUser.actor_id)).where(WebUser.id == user_id)
    ).first()
    return (row[0], row[1]) if row else None


def paused_until(user: WebUser) -> datetime | None:
    """When a login paused after too many failures may try again; None when it is not paused."""
    if user.failed_attempts < MAX_FAILURES or user.last_failure_at is None:
        return None
    return user.last_failure_at + PAUSE


def record_failure(session: Session, user: WebUser, now: datetime) -> None:
    """Count a failed attempt (the caller commits); counting again after a pause starts a new count."""
    table = WebUser.__table__  # type: ignore[attr-defined]
    until = paused_until(user)
    attempts = 1 if until is not None and now >= until else table.c.failed_attempts + 1
    session.execute(update(table).where(table.c.id == user.id).values(failed_attempts=attempts, last_failure_at=now))


def record_success(session: Session, user: WebUser) -> None:
    """Clear the failed attempts (the caller commits)."""
    table = WebUser.__table__  # type: ignore[attr-defined]
    session.execute(update(table).where(table.c.id == user.id).values(failed_attempts=0, last_failure_at=None))
