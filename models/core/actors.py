"""The people who act, each known by a unique login, in one role at one level of one region; a person who
leaves is deactivated, never deleted, so their past decisions keep their name."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.engine.default import DefaultExecutionContext
from sqlmodel import Field, Session, SQLModel, col, select

from models.core.errors import InvalidInput, NotFound
from models.core.regions import LEVEL_NAMES, Level, Region, contains


class Role(StrEnum):
    GROUP_LEADER = "GROUP_LEADER"
    VILLAGE_COMMITTEE = "VILLAGE_COMMITTEE"
    TOWNSHIP_CHECK_TEAM = "TOWNSHIP_CHECK_TEAM"
    TOWNSHIP_GOVERNMENT = "TOWNSHIP_GOVERNMENT"
    COUNTY_RECHECK_TEAM = "COUNTY_RECHECK_TEAM"
    COUNTY_GOVERNMENT = "COUNTY_GOVERNMENT"
    SYSTEM = "SYSTEM"
    INDUSTRY_DEPARTMENT = "INDUSTRY_DEPARTMENT"  # 行业部门 (housing, education, health, water…), county level
    # 整改责任单位 as its person in one village (扶贫专干, 驻村工作队, 帮扶责任人): reports a finding's fix (chain G)
    RECTIFICATION_UNIT = "RECTIFICATION_UNIT"
    PROVINCE_POVERTY_OFFICE = "PROVINCE_POVERTY_OFFICE"  # 省扶贫办 (with the statistics bureau; the leading group)
    CITY_CHECK_TEAM = "CITY_CHECK_TEAM"  # 地级市扶贫办会同统计等部门: the city's spot-check team
    COUNTY_ADMIN = "COUNTY_ADMIN"  # keeps the county's staff roster and logins; decides no stage


ROLE_NAMES = {
    Role.GROUP_LEADER: "村民小组长",
    Role.VILLAGE_COMMITTEE: "村委会",
    Role.TOWNSHIP_CHECK_TEAM: "乡镇核查组",
    Role.TOWNSHIP_GOVERNMENT: "乡镇人民政府",
    Role.COUNTY_RECHECK_TEAM: "县级复核组",
    Role.COUNTY_GOVERNMENT: "县人民政府",
    Role.SYSTEM: "系统",
    Role.INDUSTRY_DEPARTMENT: "行业部门",
    Role.RECTIFICATION_UNIT: "整改责任单位",
    Role.CITY_CHECK_TEAM: "市级抽查组",
    Role.PROVINCE_POVERTY_OFFICE: "省级扶贫部门",
    Role.COUNTY_ADMIN: "县级系统管理员",
}

ROLE_LEVEL = {
    Role.GROUP_LEADER: Level.VILLAGE,
    Role.VILLAGE_COMMITTEE: Level.VILLAGE,
    Role.TOWNSHIP_CHECK_TEAM: Level.TOWNSHIP,
    Role.TOWNSHIP_GOVERNMENT: Level.TOWNSHIP,
    Role.COUNTY_RECHECK_TEAM: Level.COUNTY,
    Role.COUNTY_GOVERNMENT: Level.COUNTY,
    Role.SYSTEM: Level.PROVINCE,
    Role.INDUSTRY_DEPARTMENT: Level.COUNTY,
    Role.RECTIFICATION_UNIT: Level.VILLAGE,
    Role.CITY_CHECK_TEAM: Level.CITY,
    Role.PROVINCE_POVERTY_OFFICE: Level.PROVINCE,
    Role.COUNTY_ADMIN: Level.COUNTY,
}

SYSTEM_NAME = "系统"


def _name_as_login(context: DefaultExecutionContext) -> str:
    name: str = context.get_current_parameters()["name"]  # type: ignore[no-untyped-call]
    return name


class ActorBase(SQLModel):
    name: str = Field(index=True, description="姓名 (two people may share one)")
    # 登录名, how the person is named everywhere (--as); a row written without one (the synthetic area's bulk
    # insert) takes its name, as every person did before logins existed
    login: str = Field(unique=True, index=True, description="登录名",
                       sa_column_kwargs={"default": _name_as_login})
    role: Role
    region_code: str = Field(foreign_key="region.code")
    phone: str = Field(default="", description="联系电话")
    active: bool = Field(default=True, description="False once deactivated: acts no more, keeps past decisions")


class Actor(ActorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)

    @property
    def level(self) -> Level:
        return ROLE_LEVEL[self.role]

    def covers(self, village_code: str) -> bool:
        """Whether this actor's region contains the village."""
        return self.role is Role.SYSTEM or contains(self.region_code, self.level, village_code)

    def title(self) -> str:
        return f"{self.name}（{ROLE_NAMES[self.role]}）"


def check_placement(session: Session, *, record: str, role: Role, region_code: str) -> None:
    """Refuse a region that is not registered or not of the role's level."""
    region = session.get(Region, region_code)
    if region is None:
        raise InvalidInput(record, "区划代码", region_code, "不是已登记的区划")
    if role is not Role.SYSTEM and region.level is not ROLE_LEVEL[role]:
        raise InvalidInput(record, "区划代码", region_code,
                           f"{ROLE_NAMES[role]}须属于{LEVEL_NAMES[ROLE_LEVEL[role]]}区划")


def login_taken(session: Session, login: str) -> Actor | None:
    """The person who already has this login, if any."""
    return session.exec(select(Actor).where(Actor.login == login)).first()


def add_actor(session: Session, *, name: str, role: Role, region_code: str, login: str | None = None,
              phone: str = "") -> Actor:
    """Register a person in a role for a region whose level fits the role; the login defaults to the name and is
    used by one person only (the caller commits)."""
    login = (name if login is None else login).strip()
    record = f"人员{name}"
    if not login:
        raise InvalidInput(record, "登录名", login, "登录名不能为空")
    check_placement(session, record=record, role=role, region_code=region_code)
    if (holder := login_taken(session, login)) is not None:
        raise InvalidInput(record, "登录名", login, f"登录名已由{holder.title()}使用，每个登录名只能属于一人")
    actor = Actor(name=name, login=login, role=role, region_code=region_code, phone=phone)
    session.add(actor)
    session.flush()
    return actor


def actor_by_login(session: Session, ref: str, *, active: bool = True) -> Actor:
    """The registered person with this login, or with this number written "#12" (or "12" when no login is "12");
    a deactivated person is refused unless `active` is False (to see or reactivate them)."""
    ref = ref.strip()
    actor = login_taken(session, ref)
    number = ref.removeprefix("#")
    if actor is None and number.isdigit() and len(number) < 12:
        actor = session.get(Actor, int(number))
    if actor is None:
        raise NotFound(f"没有登录名为“{ref}”的人员")
    if active and not actor.active:
        raise InvalidInput(f"人员{actor.name}", "登录名", actor.login, f"{actor.title()}已停用，不能办理")
    return actor


def system_actor(session: Session) -> Actor:
    """The system person who signs the machine's moves (closing windows, samples, documents), whatever its login."""
    actor = session.exec(select(Actor).where(Actor.role == Role.SYSTEM).order_by(col(Actor.id))).first()
    if actor is None:
        raise NotFound("尚未登记系统人员：须先导入省级区划（tuopin regions import）")
    return actor
