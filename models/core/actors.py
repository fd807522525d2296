"""Named people who act, each in one role at one level of one region."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, Session, SQLModel, select

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
}

SYSTEM_NAME = "系统"


class ActorBase(SQLModel):
    name: str = Field(unique=True, index=True)
    role: Role
    region_code: str = Field(foreign_key="region.code")


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


def add_actor(session: Session, *, name: str, role: Role, region_code: str) -> Actor:
    """Register a person in a role for a region whose level fits the role."""
    region = session.get(Region, region_code)
    if region is None:
        raise InvalidInput(f"人员{name}", "区划代码", region_code, "不是已登记的区划")
    if role is not Role.SYSTEM and region.level is not ROLE_LEVEL[role]:
        raise InvalidInput(
            f"人员{name}", "区划代码", region_code, f"{ROLE_NAMES[role]}须属于{LEVEL_NAMES[ROLE_LEVEL[role]]}区划"
        )
    actor = Actor(name=name, role=role, region_code=region_code)
    session.add(actor)
    session.flush()
    return actor


def actor_named(session: Session, name: str) -> Actor:
    """The registered person with this name."""
    actor = session.exec(select(Actor).where(Actor.name == name)).first()
    if actor is None:
        raise NotFound(f"没有名为“{name}”的登记人员")
    return actor
