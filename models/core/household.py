"""Households, their members (one household per person) and their yearly incomes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

Money = Decimal


class MemberBase(SQLModel):
    name: str
    resident_id: str = Field(unique=True, index=True, max_length=18)
    relation: str = "户主"
    sex: str = ""
    resident: bool = True
    phone: str = ""
    # A member who leaves (died, married out, moved out) is kept, not deleted: past cases still name them. A left
    # member is also no longer resident, so every count of resident members leaves them out.
    left: bool = Field(default=False, description="已减员 (died, married or moved out)")
    left_at: datetime | None = Field(default=None, description="减员日期 (UTC)")
    left_reason: str = Field(default="", description="减员原因, e.g. 死亡, 婚出, 迁出")


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
