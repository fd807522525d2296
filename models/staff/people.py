"""The county's staff kept by its administrator: who may change the roster, the checks a person passes before being
added, and each change (add, change, deactivate, reactivate, password), audited with who and when."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from models.core import audit
from models.core.actors import (
    ROLE_LEVEL,
    ROLE_NAMES,
    SYSTEM_NAME,
    Actor,
    Role,
    actor_by_login,
    add_actor,
    check_placement,
    login_taken,
)
from models.core.clock import to_db
from models.core.errors import InvalidInput
from models.core.regions import LEVEL_NAMES, PREFIX_DIGITS, Level, Region, contains, parent_code, prefix
from models.core.web_users import WebUser, add_web_user
from models.importing.cells import BadCell, phone
from models.importing.problems import Problem

NAME, LOGIN, ROLE, REGION, PHONE = "姓名", "登录名", "角色", "区划代码", "联系电话"
LOGIN_RULE = re.compile(r"^[^\s#][^\s]{0,31}$")
MIN_PASSWORD = 8
# The roles a roster may name: every role but the machine's own.
STAFF_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)
_TOP_DOWN = sorted(Level, key=lambda level: PREFIX_DIGITS[level])
LEVEL_ABOVE = {lower: upper for upper, lower in zip(_TOP_DOWN, _TOP_DOWN[1:], strict=False)}
_ROLE_WORDS = {**{ROLE_NAMES[r]: r for r in STAFF_ROLES}, **{r.value: r for r in STAFF_ROLES}}


@dataclass(frozen=True)
class Person:
    """A person as a roster row or a form gives them (row 0: not from a file)."""

    name: str
    login: str
    role: str
    region_code: str
    phone: str = ""
    row: int = 0


@dataclass
class Checked:
    """A person once checked: the role read, the phone as kept, and every problem found."""

    person: Person
    role: Role | None = None
    phone: str = ""
    problems: list[Problem] = field(default_factory=list)


def role_of(text: str) -> Role | None:
    """The role a roster names, by its Chinese name (县级复核组) or its code (COUNTY_RECHECK_TEAM)."""
    return _ROLE_WORDS.get(text.strip()) or _ROLE_WORDS.get(text.strip().upper())


def county_of(region_code: str) -> str:
    """The 12-digit code of the county a county-or-lower region lies in."""
    return prefix(region_code, Level.COUNTY).ljust(12, "0")


def may_keep(by: Actor, region: Region) -> bool:
    """Whether this person keeps the staff of a region: the system anywhere; a county administrator for the county's
    regions and the city and province above it (their check teams act on the county's cases)."""
    if by.role is Role.SYSTEM:
        return True
    if by.role is not Role.COUNTY_ADMIN or not by.active:
        return False
    return contains(by.region_code, Level.COUNTY, region.code) or contains(region.code, region.level, by.region_code)


def active_admins(session: Session, county: str) -> list[Actor]:
    return list(session.exec(select(Actor).where(Actor.role == Role.COUNTY_ADMIN, Actor.region_code == county,
                                                 col(Actor.active).is_(True))).all())


def authorize(session: Session, by: Actor | None, region_code: str, role: Role | None, record: str) -> None:
    """Refuse a roster change this person may not make. Without a person (the first-administrator setting) only a
    county administrator may be added, and only while the county has no active one."""
    region = session.get(Region, region_code)
    if by is None:
        if role is not Role.COUNTY_ADMIN:
            raise InvalidInput(record, "办理人", "（未指定）",
                               "须用--as指定县级系统管理员；未指定办理人时只能登记本县第一位县级系统管理员")
        if region is not None and (admins := active_admins(session, region.code)):
            raise InvalidInput(record, "办理人", "（未指定）",
                               f"本县已有县级系统管理员{admins[0].name}（{admins[0].login}），须由其办理（--as）")
        return
    if region is not None and not may_keep(by, region):
        raise InvalidInput(record, "办理人", by.login,
                           f"{by.title()}无权办理：人员登记须由本县县级系统管理员办理")


def check_person(session: Session, person: Person) -> Checked:
    """Every problem of one person to add, named by column (the login checked against the database, not the file)."""
    checked = Checked(person)
    problems = checked.problems

    def problem(column: str, value: str, reason: str) -> None:
        problems.append(Problem(person.row, column, value, reason))

    if not person.name.strip():
        problem(NAME, "", "姓名不能为空")
    login = person.login.strip()
    if not LOGIN_RULE.match(login) or login.isdigit():
        problem(LOGIN, login, "登录名须为1至32个字符，不含空格，不以“#”开头，不能全为数字"
                              "（建议用姓名拼音，如xiaoyong）")
    elif (holder := login_taken(session, login)) is not None:
        problem(LOGIN, login, f"登录名已由{holder.title()}使用，每个登录名只能属于一人")
    checked.role = role_of(person.role)
    if checked.role is None:
        choices = "、".join(ROLE_NAMES[r] for r in STAFF_ROLES)
        problem(ROLE, person.role, f"角色应为{choices}之一（或其英文代码）")
    region = session.get(Region, person.region_code.strip())
    if region is None:
        problem(REGION, person.region_code, "不是已登记的区划代码，须先登记区划（tuopin regions import）")
    elif checked.role is not None and region.level is not ROLE_LEVEL[checked.role]:
        wanted = LEVEL_NAMES[ROLE_LEVEL[checked.role]]
        problem(REGION, person.region_code, f"{ROLE_NAMES[checked.role]}须属于{wanted}区划，"
                                            f"{region.name}是{LEVEL_NAMES[region.level]}区划")
    if person.phone.strip():
        try:
            checked.phone = phone(person.phone)
        except BadCell as error:
            problem(PHONE, person.phone, str(error))
    return checked


def _event(session: Session, by: Actor | None, action: str, now: datetime, detail: dict[str, object]) -> None:
    who = by.name if by is not None else SYSTEM_NAME
    by_login = by.login if by is not None else "（首位管理员设置）"
    audit.append(session, [audit.Event(to_db(now), who, action, None, {"by_login": by_login, **detail})])


def _shown(actor: Actor) -> dict[str, object]:
    return {"login": actor.login, "name": actor.name, "role": actor.role.value, "region": actor.region_code,
            "phone": actor.phone, "active": actor.active}


def write_people(session: Session, people: list[Checked], by: Actor | None, now: datetime, action: str,
                 detail: dict[str, object]) -> list[Actor]:
    """Add checked people (no problem left) with one audit event listing them (the caller commits)."""
    added = []
    for checked in people:
        assert checked.role is not None
        p = checked.person
        added.append(add_actor(session, name=p.name.strip(), role=checked.role, region_code=p.region_code.strip(),
                               login=p.login.strip(), phone=checked.phone))
    _event(session, by, action, now, {**detail, "added": [_shown(a) for a in added]})
    return added


def add_person(*, session: Session, person: Person, by: Actor | None, now: datetime) -> Actor:
    """Add one person (InvalidInput names the first problem; nothing written); `by` None is the first-administrator
    setting (see authorize)."""
    checked = check_person(session, person)
    record = f"人员{person.name.strip() or person.login.strip()}"
    if checked.problems:
        first = checked.problems[0]
        raise InvalidInput(record, first.column, first.value, first.reason)
    authorize(session, by, person.region_code.strip(), checked.role, record)
    return write_people(session, [checked], by, now, "STAFF.ADD", {})[0]


def change_person(*, session: Session, login: str, by: Actor, now: datetime, name: str | None = None,
                  role: str | None = None, region_code: str | None = None, phone_number: str | None = None) -> Actor:
    """Change a person's name, role, region or phone (the login stays), each checked as when adding; audited with
    what it was and what it is."""
    actor = actor_by_login(session, login, active=False)
    record = f"人员{actor.name}（{actor.login}）"
    authorize(session, by, actor.region_code, None, record)
    before = _shown(actor)
    new_role = actor.role
    if role is not None:
        found = role_of(role)
        if found is None or actor.role is Role.SYSTEM:
            raise InvalidInput(record, ROLE, role, "角色应为" + "、".join(ROLE_NAMES[r] for r in STAFF_ROLES) + "之一")
        new_role = found
    new_region = actor.region_code if region_code is None else region_code.strip()
    check_placement(session, record=record, role=new_role, region_code=new_region)
    authorize(session, by, new_region, None, record)
    if name is not None:
        if not name.strip():
            raise InvalidInput(record, NAME, name, "姓名不能为空")
        actor.name = name.strip()
    if phone_number is not None:
        try:
            actor.phone = phone(phone_number) if phone_number.strip() else ""
        except BadCell as error:
            raise InvalidInput(record, PHONE, phone_number, str(error)) from None
    actor.role, actor.region_code = new_role, new_region
    session.add(actor)
    session.flush()
    _event(session, by, "STAFF.CHANGE", now, {"before": before, "after": _shown(actor)})
    return actor


def set_active(*, session: Session, login: str, active: bool, by: Actor, now: datetime) -> Actor:
    """Deactivate (or reactivate) a person: a deactivated person cannot act or log in; nothing of theirs is deleted."""
    actor = actor_by_login(session, login, active=False)
    record = f"人员{actor.name}（{actor.login}）"
    authorize(session, by, actor.region_code, None, record)
    if actor.role is Role.SYSTEM:
        raise InvalidInput(record, LOGIN, actor.login, "系统人员不能停用")
    if actor.id == by.id and not active:
        raise InvalidInput(record, LOGIN, actor.login, "不能停用自己；须由本县另一位县级系统管理员办理")
    if actor.active is active:
        raise InvalidInput(record, "状态", "在用" if active else "已停用", "该人员已是此状态，无需重复办理")
    actor.active = active
    session.add(actor)
    session.flush()
    _event(session, by, "STAFF.REACTIVATE" if active else "STAFF.DEACTIVATE", now, {"login": actor.login})
    return actor


def set_password(*, session: Session, login: str, password: str, by: Actor | None, now: datetime) -> WebUser:
    """Set or reset a person's dashboard password (their login is the person's); their failed attempts are cleared.
    `by` None: the person is the county's first administrator setting their own, while no other may."""
    from models.core.passwords import hash_password  # argon2 only where a password is hashed

    actor = actor_by_login(session, login)
    record = f"人员{actor.name}（{actor.login}）"
    if by is None:
        if actor.role is not Role.COUNTY_ADMIN or len(active_admins(session, actor.region_code)) != 1:
            raise InvalidInput(record, "办理人", "（未指定）", "须用--as指定本县县级系统管理员")
        if session.exec(select(WebUser).where(WebUser.actor_id == actor.id)).first() is not None:
            raise InvalidInput(record, "办理人", "（未指定）",
                               "该管理员已设密码；重设须由其本人或另一位管理员办理（--as）")
    else:
        authorize(session, by, actor.region_code, None, record)
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(record, "密码", "******", f"密码至少{MIN_PASSWORD}位")
    user = session.exec(select(WebUser).where(WebUser.login == actor.login)).first()
    if user is not None and user.actor_id != actor.id:
        raise InvalidInput(record, LOGIN, actor.login, "该登录名已被另一人的工作台账号使用")
    if user is None:
        user = add_web_user(session, login=actor.login, actor=actor, password_hash=hash_password(password))
    else:
        user.password_hash, user.failed_attempts, user.last_failure_at = hash_password(password), 0, None
        session.add(user)
        session.flush()
    _event(session, by, "STAFF.PASSWORD", now, {"login": actor.login})
    return user


def staff_of(session: Session, region_code: str | None = None, *, above: bool = False) -> list[Actor]:
    """The registered people (the system aside), of one region and everything inside it when given; with `above`,
    also those of the regions above it (a county's city and province check teams)."""
    query = select(Actor).where(Actor.role != Role.SYSTEM)
    if region_code:
        region = session.get(Region, region_code)
        if region is None:
            raise InvalidInput("人员名单", REGION, region_code, "不是已登记的区划代码")
        inside = col(Actor.region_code).startswith(prefix(region.code, region.level))
        uppers = []
        code, level = region.code, region.level
        while above and (code_above := parent_code(code, level)) is not None:
            uppers.append(code_above)
            code = code_above
            level = LEVEL_ABOVE[level]
        query = query.where(or_(inside, col(Actor.region_code).in_(uppers)))
    return list(session.exec(query.order_by(col(Actor.region_code), col(Actor.role), col(Actor.login))).all())
