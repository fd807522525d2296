"""Households and members: GB 11643 resident IDs, one household per person, clear errors, nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from stdnum.cn import ric

from models.core.errors import InvalidInput
from models.core.household import Household, HouseholdCreate, IncomeBase, Member, MemberBase, add_household

VALID = "11010519491231002X"


def other_valid_id(seed: int) -> str:
    body = f"43012119{70 + seed % 20:02d}0101{seed % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def household(world, *, number="T0001", members=None, village=None, income=None) -> HouseholdCreate:
    return HouseholdCreate(
        number=number, village_code=village or world.villages[0], group_name="1组", head_name="王建国",
        members=[MemberBase(name="王建国", resident_id=VALID)] if members is None else members,
        income=income,
    )


def count(world, table) -> int:
    return world.session.scalar(select(func.count()).select_from(table))


def test_a_valid_household_is_added_with_its_members(world):
    before = count(world, Member)
    added = add_household(world.session, household(world, members=[
        MemberBase(name="王建国", resident_id=VALID.lower()), MemberBase(name="李芳", resident_id=other_valid_id(1))]))
    assert added.id is not None and count(world, Member) == before + 2
    stored = world.session.scalars(select(Member.resident_id).where(Member.household_id == added.id)).all()
    assert VALID in stored  # lower-case x is stored upper-cased


@pytest.mark.parametrize(("bad", "rule"), [
    ("110105194912310021", "校验位"),  # wrong check digit
    ("11010519491231002", "18位"),  # too short
    ("11010519491331002X", "18位"),  # month 13
])
def test_an_invalid_resident_id_names_the_person_field_and_value(world, bad, rule):
    before = count(world, Household)
    with pytest.raises(InvalidInput) as error:
        add_household(world.session, household(world, members=[MemberBase(name="王建国", resident_id=bad)]))
    message = str(error.value)
    assert "王建国" in message and "身份证号" in message and bad in message and "GB 11643" in message
    assert count(world, Household) == before


def test_the_same_id_twice_in_one_household_is_refused(world):
    with pytest.raises(InvalidInput, match="同一户内重复"):
        add_household(world.session, household(world, members=[
            MemberBase(name="王建国", resident_id=VALID), MemberBase(name="王二", resident_id=VALID)]))


def test_a_person_belongs_to_one_household_only(world):
    taken = world.session.scalars(select(Member.resident_id)).first()
    with pytest.raises(InvalidInput, match="一人只能属于一户"):
        add_household(world.session, household(world, members=[MemberBase(name="王建国", resident_id=taken)]))


def test_a_household_has_at_least_one_member(world):
    with pytest.raises(InvalidInput, match="至少登记1名成员"):
        add_household(world.session, household(world, members=[]))


def test_an_unknown_region_code_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        add_household(world.session, household(world, village="430121999999"))
    assert "430121999999" in str(error.value) and "行政村" in str(error.value)


def test_a_township_code_is_not_a_village(world):
    with pytest.raises(InvalidInput, match="行政村"):
        add_household(world.session, household(world, village=world.township))


def test_a_negative_income_is_refused(world):
    income = IncomeBase(year=2026, wages=Decimal(1000), transfer=Decimal(-5))
    with pytest.raises(InvalidInput) as error:
        add_household(world.session, household(world, income=income))
    assert "转移性收入" in str(error.value) and "-5" in str(error.value)
    assert world.session.scalars(select(Household).where(Household.number == "T0001")).first() is None
