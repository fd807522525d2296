"""The county re-check sample: at least 30% of a village's exiting people, all of them where fewer than 30."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models.core.actors import Role
from models.core.case import Case
from models.core.errors import TransitionRefused
from models.door.engine import Move, transition
from models.door.sampling import Sample, SampleCase, Unit, draw, draw_for_village, required_people
from models.home_checks.recording import CheckInput, record_checks
from models.policy.loading import Sampling, policy_for
from tests.walk import ALL_MET, CHAIN, open_all, walk_to

RULE = Sampling(rate=Decimal("0.30"), full_coverage_below=30)
T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)

households = st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=60).map(
    lambda sizes: [Unit(case_id=i + 1, people=n) for i, n in enumerate(sizes)]
)


@pytest.mark.parametrize(("total", "required"), [(1, 1), (29, 29), (30, 9), (31, 10), (100, 30), (101, 31)])
def test_required_people_at_the_boundaries(total, required):
    assert required_people(total, RULE) == required


def test_the_rule_comes_from_policy_data():
    assert policy_for("430121101201", 2026).recheck_sampling == RULE


@settings(deadline=None)  # tests check behaviour, not speed; a busy CI machine must not fail them
@given(households, st.integers(min_value=0, max_value=2**31 - 1))
def test_a_sample_covers_the_required_people_with_whole_households(units, seed):
    picked = draw(units, RULE, seed)
    people = {u.case_id: u.people for u in units}
    total = sum(people.values())
    drawn = sum(people[i] for i in picked)
    assert len(set(picked)) == len(picked) and set(picked) <= set(people)
    required = -(-total * 3 // 10)  # 30% rounded up, in exact integer arithmetic
    if total < 30:
        assert set(picked) == set(people)
    else:
        assert drawn >= required
        assert drawn - people[picked[-1]] < required  # stops as soon as it has enough


@settings(deadline=None)
@given(households, st.integers(min_value=0, max_value=2**31 - 1))
def test_the_same_seed_redraws_the_same_households(units, seed):
    assert draw(units, RULE, seed) == draw(list(reversed(units)), RULE, seed)


def test_different_seeds_draw_differently():
    units = [Unit(i, 3) for i in range(1, 41)]
    assert len({tuple(draw(units, RULE, seed)) for seed in range(20)}) > 1


@pytest.fixture
def at_recheck(world):
    ids = [i for i in open_all(world, T0) if world.session.get(Case, i).village_code == world.villages[0]]
    now = walk_to(world, ids, "COUNTY_RECHECK", T0)
    sample = draw_for_village(session=world.session, chain=CHAIN, year=2026, stage="COUNTY_RECHECK",
                              village_code=world.villages[0], now=now, actor_name="系统", seed=42)
    world.session.commit()
    return world, ids, now, sample, world.actor(Role.COUNTY_RECHECK_TEAM)


def test_the_stored_seed_redraws_the_stored_sample(at_recheck):
    world, ids, _, sample, _ = at_recheck
    stored = set(world.session.scalars(select(SampleCase.case_id).where(SampleCase.sample_id == sample.id,
                                                                        SampleCase.drawn.is_(True))))
    assert sample.seed == 42 and sample.people_total < 30  # a small village: everyone is re-checked
    assert stored == set(ids) and sample.people_drawn == sample.people_total


def test_a_village_is_sampled_once_per_visit(at_recheck):
    world, _, now, _, _ = at_recheck
    assert draw_for_village(session=world.session, chain=CHAIN, year=2026, stage="COUNTY_RECHECK",
                            village_code=world.villages[0], now=now, actor_name="系统") is None
    assert len(world.session.scalars(select(Sample)).all()) == 1


def test_a_drawn_household_needs_its_recheck(at_recheck):
    world, ids, now, _, team = at_recheck
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage="COUNTY_RECHECK", case_ids=ids[:1], move=Move.APPROVE,
                   actor=team, now=now)
    assert refused.value.reason == "尚未完成县级抽查复核（四看一算）"


def test_a_household_failing_the_recheck_goes_back_with_the_reason(at_recheck):
    world, ids, now, _, team = at_recheck
    record_checks(session=world.session, stage="COUNTY_RECHECK", now=now, actor=team,
                  items=[CheckInput(ids[0], {**ALL_MET, "housing": False})])
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage="COUNTY_RECHECK", case_ids=ids[:1], move=Move.APPROVE,
                   actor=team, now=now)
    assert refused.value.reason == "县级抽查复核未通过：住房安全有保障未达标"
    transition(session=world.session, chain=CHAIN, stage="COUNTY_RECHECK", case_ids=ids[:1], move=Move.RETURN,
               actor=team, now=now, reason=refused.value.reason)
    world.session.expire_all()
    assert world.session.get(Case, ids[0]).stage == "HOME_CHECK"


def test_cases_not_yet_sampled_cannot_pass(world):
    ids = [i for i in open_all(world, T0) if world.session.get(Case, i).village_code == world.villages[0]]
    now = walk_to(world, ids, "COUNTY_RECHECK", T0)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage="COUNTY_RECHECK", case_ids=ids[:1], move=Move.APPROVE,
                   actor=world.actor(Role.COUNTY_RECHECK_TEAM), now=now)
    assert refused.value.reason == "本村尚未抽取复核样本"
