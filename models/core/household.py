"""Households, their members (one household per person) and their yearly incomes."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from models.core.errors import InvalidInput
from models.core.regions import Level, Region

Money = Decimal


class MemberBase(SQLModel):
    name: str
    resident_id: str = Field(unique=True, index=True, max_length=18)
    relation: str = "户主"
    sex: str = ""
    resident: bool = True
    phone: str = ""


class Member(MemberBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True)


class HouseholdBase(SQLModel):
    number: str = Field(unique=True, index=True, description="户编号, unique in the system")
    village_code: str = Field(foreign_key="region.code", index=True)
    group_name: str = Field(description="村民小组")
    head_name: str
    phone: str = ""
    registered_poor: bool = True
    minimum_allowance: bool = Field(default=False, description="低保户 (minimum living allowance)")
    destitute: bool = Field(default=False, description="特困人员供养户 (五保户)")
    house_type: str = Field(default="", description="住房类型, e.g. 泥砖房, 茅草房, 砖混房")
    disabled_member: bool = Field(default=False, description="家庭成员有残疾人")
    ill_member: bool = Field(default=False, description="家庭成员有长年患重病的")


class Household(HouseholdBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class IncomeBase(SQLModel):
    year: int
    wages: Money = Field(default=Decimal(0), sa_type=Numeric(14, 2), nullable=False)
    operating: Money = Field(default=Decimal(0), sa_type=Numeric(14, 2), nullable=False)
    property_income: Money = Field(default=Decimal(0), sa_type=Numeric(14, 2), nullable=False)
    transfer: Money = Field(default=Decimal(0), sa_type=Numeric(14, 2), nullable=False)
    expenses: Money = Field(default=Decimal(0), sa_type=Numeric(14, 2), nullable=False)


class Income(IncomeBase, table=True):
    __table_args__ = (UniqueConstraint("household_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True)


INCOME_FIELDS = {
    "wages": "工资性收入",
    "operating": "家庭经营收入",
    "property_income": "财产性收入",
    "transfer": "转移性收入",
    "expenses": "家庭生产经营费用支出",
}


class HouseholdCreate(BaseModel):
    """A household as a clerk enters or imports it."""

    number: str
    village_code: str
    group_name: str
    head_name: str
    phone: str = ""
    members: list[MemberBase]
    income: IncomeBase | None = None


def normalize_resident_id(record: str, value: str) -> str:
    """A resident ID valid under GB 11643 (check digit included), upper-cased."""
    # imported here: python-stdnum is needed only where IDs are entered, not by reads such as `tuopin status`
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    try:
        return str(ric.validate(value.strip()))
    except ValidationError as exc:
        raise InvalidInput(record, "身份证号", value, "须为18位有效公民身份号码（GB 11643，含校验位）") from exc


def check_household(session: Session, data: HouseholdCreate) -> HouseholdCreate:
    """Every rule a new household must meet; raises InvalidInput on the first broken one."""
    record = f"户{data.number}（户主{data.head_name}）"
    village = session.get(Region, data.village_code)
    if village is None or village.level is not Level.VILLAGE:
        raise InvalidInput(record, "村区划代码", data.village_code, "不是已登记的行政村代码")
    if not data.members:
        raise InvalidInput(record, "家庭成员", 0, "每户至少登记1名成员")
    if not any(m.resident for m in data.members):
        raise InvalidInput(record, "常住人口", 0, "至少1名成员为常住人口，人均收入才可计算")
    seen: set[str] = set()
    for member in data.members:
        member.resident_id = normalize_resident_id(f"{record}成员{member.name}", member.resident_id)
        if member.resident_id in seen:
            raise InvalidInput(f"{record}成员{member.name}", "身份证号", member.resident_id, "同一户内重复")
        seen.add(member.resident_id)
    taken = session.exec(select(Member.resident_id).where(col(Member.resident_id).in_(seen))).all()
    if taken:
        raise InvalidInput(record, "身份证号", taken[0], "此人已属于另一户，一人只能属于一户")
    if session.exec(select(Household.id).where(Household.number == data.number)).first() is not None:
        raise InvalidInput(record, "户编号", data.number, "户编号已存在")
    if data.income is not None:
        for name, label in INCOME_FIELDS.items():
            if getattr(data.income, name) < 0:
                raise InvalidInput(record, label, getattr(data.income, name), "金额不能为负数")
    return data


def add_household(session: Session, data: HouseholdCreate) -> Household:
    """Validate and add a household with its members and income (the caller commits)."""
    check_household(session, data)
    household = Household.model_validate(data.model_dump(exclude={"members", "income"}))
    session.add(household)
    session.flush()
    assert household.id is not None
    for member in data.members:
        session.add(Member(**member.model_dump(), household_id=household.id))
    if data.income is not None:
        session.add(Income(**data.income.model_dump(), household_id=household.id))
    session.flush()
    return household
