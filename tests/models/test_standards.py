"""一超过两不愁三保障一安全 at its boundaries, and the home check guard that applies it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models.core.actors import Role
from models.core.case import Case
from models.core.errors import InvalidInput, TransitionRefused
from models.core.household import IncomeBase, Member
from models.door.engine import Move, transition
from models.home_checks.recording import CheckInput, record_checks
from models.home_checks.standards import GUARANTEES, judge, per_capita_net_income
from models.policy.loading import Comparison, Threshold
from tests.walk import ALL_MET, CHAIN, open_all, walk_to

LINE = Threshold(Decimal(3326), Comparison.gt)  # 超过3326元: strictly above
T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)


def income(net_per_capita: str, members: int = 3) -> IncomeBase:
    """Income whose per-capita net is exactly the given amount (wages carry it, minus some expenses)."""
    net = Decimal(net_per_capita) * members
    return IncomeBase(year=2026, wages=net - Decimal(1000), operating=Decimal(1500), property_income=Decimal(0),
                      transfer=Decimal(300), expenses=Decimal(800))


def test_per_capita_is_total_income_minus_expenses_over_residents():
    parts = IncomeBase(year=2026, wages=Decimal(6000), operating=Decimal(3000), property_income=Decimal(500),
                       transfer=Decimal(1500), expenses=Decimal(1000))
    assert per_capita_net_income(parts, 3) == Decimal(10000) / 3


@pytest.mark.parametrize(("amount", "passes"), [("3325.99", False), ("3326", False), ("3326.01", True)])
def test_income_must_be_strictly_above_the_line(amount, passes):
    verdict = judge(income=income(amount), residents=3, guarantees=ALL_MET, line=LINE)
    assert verdict.passed is passes
    if not passes:
        assert verdict.failures[0].startswith("人均纯收入") and "未超过3326元" in verdict.failures[0]


def test_an_income_line_read_as_at_least_passes_at_the_number():
    at_least = Threshold(Decimal(3326), Comparison.ge)
    assert judge(income=income("3326"), residents=3, guarantees=ALL_MET, line=at_least).passed


@pytest.mark.parametrize("item", list(GUARANTEES))
def test_any_missing_guarantee_fails_and_is_named(item):
    verdict = judge(income=income("5000"), residents=3, guarantees={**ALL_MET, item: False}, line=LINE)
    assert verdict.failures == (f"{GUARANTEES[item]}未达标",)


def test_every_guarantee_must_be_answered():
    with pytest.raises(ValueError, match="核查项未填写"):
        judge(income=income("5000"), residents=3, guarantees={"food": True}, line=LINE)


@pytest.fixture
def at_home_check(world):
    ids = [i for i in open_all(world, T0) if world.session.get(Case, i).village_code == world.villages[0]]
    now = walk_to(world, ids, "HOME_CHECK", T0)
    return world, ids, now, world.actor(Role.TOWNSHIP_CHECK_TEAM, world.township)


def approve(world, ids, team, now):
    return transition(session=world.session, chain=CHAIN, stage="HOME_CHECK", case_ids=ids, move=Move.APPROVE,
                      actor=team, now=now)


def test_a_household_failing_the_check_cannot_pass(at_home_check):
    world, ids, now, team = at_home_check
    record_checks(session=world.session, stage="HOME_CHECK", now=now, actor=team,
                  items=[CheckInput(ids[0], {**ALL_MET, "water": False})])
    with pytest.raises(TransitionRefused) as refused:
        approve(world, ids[:1], team, now)
    assert refused.value.reason == "入户核查未通过：饮水安全未达标"


@pytest.mark.parametrize(("amount", "passes"), [("3326", False), ("3326.01", True)])
def test_income_exactly_at_the_line_fails_the_home_check(at_home_check, amount, passes):
    world, ids, now, team = at_home_check
    household = world.session.get(Case, ids[0]).household_id
    residents = world.session.scalar(select(func.count()).where(Member.household_id == household))
    [check] = record_checks(session=world.session, stage="HOME_CHECK", now=now, actor=team,
                            items=[CheckInput(ids[0], ALL_MET, income=income(amount, members=residents))])
    assert check.per_capita == Decimal(amount) and check.passed is passes
    if passes:
        assert approve(world, ids[:1], team, now).moved == ids[:1]
    else:
        with pytest.raises(TransitionRefused) as refused:
            approve(world, ids[:1], team, now)
        assert refused.value.reason == f"入户核查未通过：人均纯收入{amount}.00元，未超过3326元"


def test_the_head_must_sign_the_exit_form(at_home_check):
    world, ids, now, team = at_home_check
    record_checks(session=world.session, stage="HOME_CHECK", now=now, actor=team,
                  items=[CheckInput(ids[0], ALL_MET, head_signed=False)])
    with pytest.raises(TransitionRefused) as refused:
        approve(world, ids[:1], team, now)
    assert "签字" in refused.value.reason


def test_no_check_no_pass(at_home_check):
    world, ids, now, team = at_home_check
    with pytest.raises(TransitionRefused) as refused:
        approve(world, ids[:1], team, now)
    assert refused.value.reason == "尚未完成入户核查（四看一算）"


def test_a_negative_income_part_is_refused_and_nothing_recorded(at_home_check):
    world, ids, now, team = at_home_check
    bad = IncomeBase(year=2026, wages=Decimal(-1), operating=Decimal(0), property_income=Decimal(0),
                     transfer=Decimal(0), expenses=Decimal(0))
    with pytest.raises(InvalidInput) as error:
        record_checks(session=world.session, stage="HOME_CHECK", now=now, actor=team,
                      items=[CheckInput(ids[0], ALL_MET, income=bad)])
    assert "工资性收入" in str(error.value) and "-1" in str(error.value)


def test_only_the_check_team_records_home_checks(at_home_check):
    world, ids, now, _ = at_home_check
    with pytest.raises(TransitionRefused):
        record_checks(session=world.session, stage="HOME_CHECK", now=now,
                      actor=world.actor(Role.VILLAGE_COMMITTEE, world.villages[0]),
                      items=[CheckInput(ids[0], ALL_MET)])
