"""一个确保、两个完善 at its boundaries, read as DOMAIN §3 says, and the policy data it comes from."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from demo.rounds.village_exit import SCENARIOS, facts_for
from models.chains.village_exit.standards import (
    Score,
    VillageIndicatorScore,
    check_facts,
    judge_village,
    percent,
    rate,
    record_assessment,
    village_exit_policy,
)
from models.core.actors import Role
from models.core.errors import InvalidInput
from models.core.settings import get_settings
from models.policy.loading import Comparison, Threshold, parse_policy, policy_for
from tests.village_walk import T0, actor_for, open_villages, walk_to

VILLAGE = "430121101201"
STANDARD = village_exit_policy(VILLAGE, 2026)


def facts(**changes):
    return replace(facts_for(SCENARIOS[0], VILLAGE, 2026), **changes)


def raw_policy() -> dict:
    with (get_settings().policy_dir / "43" / "2026.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_the_standard_comes_from_policy_data():
    assert STANDARD.incidence == Threshold(Decimal(2), Comparison.le)
    assert STANDARD.collective_income == Threshold(Decimal(50000), Comparison.ge)
    assert STANDARD.score == Threshold(Decimal(80), Comparison.ge)
    assert len(STANDARD.indicators) == 8 and sum(i.points for i in STANDARD.indicators) == 100
    assert STANDARD.wrong_exit_rate == Threshold(Decimal(2), Comparison.lt)
    assert STANDARD.missed_rate == Threshold(Decimal(2), Comparison.lt)
    assert STANDARD.approval_rate == Threshold(Decimal(90), Comparison.gt)


def test_indicator_points_must_add_up_to_the_total():
    raw = raw_policy()
    raw["village_exit"]["indicators"][0]["points"] = 14
    with pytest.raises(InvalidInput) as error:
        parse_policy(raw, "43", 2026)
    assert error.value.rule == "各评分指标分值之和须等于总分100"


def test_a_western_province_sets_3_percent():
    raw = raw_policy()
    raw["village_exit"]["incidence"] = {"value": 3, "comparison": "le"}
    western = parse_policy(raw, "43", 2026).village_exit
    assert judge_village(facts(registered_population=100, poor_people=3), western).passed
    assert not judge_village(facts(registered_population=100, poor_people=3), STANDARD).passed


@pytest.mark.parametrize(("poor", "population", "passed"), [
    (1, 50, True),  # exactly 2%: 以下 includes the number
    (10, 500, True),
    (201, 10000, False),  # 2.01%
    (2, 99, False),  # 2.0202...% prints as 2.02%
    (20001, 1000000, False),  # 2.0001% prints as 2.00% and still fails: the exact fraction is compared
])
def test_incidence_at_the_boundary(poor, population, passed):
    verdict = judge_village(facts(registered_population=population, poor_people=poor), STANDARD)
    assert verdict.passed is passed
    assert verdict.incidence == Fraction(poor * 100, population)


@pytest.mark.parametrize(("income", "passed"), [("50000", True), ("49999.99", False), ("50000.01", True)])
def test_collective_income_at_the_boundary(income, passed):
    verdict = judge_village(facts(collective_income=Decimal(income)), STANDARD)
    assert verdict.passed is passed
    if not passed:
        assert verdict.failures == ("村级集体经济年收入49999.99元，不符合“不低于50000元”",)


@pytest.mark.parametrize(("lost", "passed"), [(20, True), (21, False), (0, True)])
def test_score_at_the_boundary(lost, passed):
    verdict = judge_village(facts_for(replace(SCENARIOS[0], points_lost=lost), VILLAGE, 2026), STANDARD)
    assert verdict.score == 100 - lost and verdict.passed is passed
    if not passed:
        assert verdict.failures == ("评分指标得分79分，不符合“不低于80分”",)


def test_every_failure_is_named():
    verdict = judge_village(facts(poor_people=30, collective_income=Decimal(0)), STANDARD)
    assert verdict.failures == ("综合贫困发生率3.00%，不符合“不超过2%”（否决指标）",
                                "村级集体经济年收入0.00元，不符合“不低于50000元”")


def test_rates_print_rounded_but_compare_exactly():
    assert percent(rate(1, 3)) == "33.33%" and percent(rate(2, 3)) == "66.67%"
    assert rate(1, 50) == 2 and rate(0, 0) == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"scores": {}}, "主干道通畅"),
    ({"income_evidence": " "}, "集体经济收入佐证"),
    ({"poor_people": 1001}, "未脱贫人口"),
    ({"registered_population": 0}, "农村户籍人口"),
])
def test_incomplete_entries_are_refused(change, field):
    with pytest.raises(InvalidInput) as error:
        check_facts(facts(**change), STANDARD, "村")
    assert error.value.field.startswith(field)


def test_points_above_an_indicators_maximum_are_refused():
    scores = dict(facts().scores)
    scores["main_road"] = Score(Decimal(16), "照片")
    with pytest.raises(InvalidInput) as error:
        check_facts(facts(scores=scores), STANDARD, "村")
    assert error.value.rule == "得分须在0至15分之间"


def test_an_assessment_keeps_each_indicators_points_and_evidence(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_ACCEPTANCE", T0)
    actor = actor_for(world, Role.TOWNSHIP_CHECK_TEAM, world.villages[0])
    stored = record_assessment(session=world.session, case_id=ids[0], stage="VILLAGE_ACCEPTANCE", actor=actor,
                               now=now, facts=facts_for(SCENARIOS[2], VILLAGE, 2026))
    world.session.commit()
    scores = world.session.scalars(select(VillageIndicatorScore).where(
        VillageIndicatorScore.assessment_id == stored.id).order_by(VillageIndicatorScore.position)).all()
    assert [s.code for s in scores] == [i.code for i in policy_for(VILLAGE, 2026).village_exit.indicators]
    assert sum(s.points for s in scores) == 80 == stored.score and stored.passed
    assert all(s.evidence.endswith("主管部门认定数据及现场照片") for s in scores)
