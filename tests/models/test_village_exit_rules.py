"""The village exit chain's rules through the one door: every move of its table, allowed and refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from demo.rounds.village_exit import SCENARIOS
from models.chains.village_exit.stages import CODE, VILLAGE_EXIT
from models.core.actors import Role
from models.core.case import Case, Outcome, StageRecord, Status
from models.core.errors import TransitionRefused
from models.door.engine import Move, transition
from tests.village_walk import T0, actor_for, assess, county_check, finish_stage, open_villages, walk_to

DECIDED = [s for s in VILLAGE_EXIT.stages if s.role is not None]
RETURNABLE = [s for s in DECIDED if s.sends_back_to]


def case(world, case_id: int) -> Case:
    world.session.expire_all()
    return world.session.get(Case, case_id)


def approve(world, stage: str, case_id: int, actor, now):
    return transition(session=world.session, chain=CODE, stage=stage, case_ids=[case_id], move=Move.APPROVE,
                      actor=actor, now=now)


def test_the_table_reads_as_domain_section_4b():
    assert [(s.code, s.level.value, s.role.value if s.role else None) for s in VILLAGE_EXIT.stages] == [
        ("VILLAGE_APPLICATION", "VILLAGE", "VILLAGE_COMMITTEE"),
        ("VILLAGE_MEETING", "TOWNSHIP", "TOWNSHIP_GOVERNMENT"),
        ("VILLAGE_ACCEPTANCE", "TOWNSHIP", "TOWNSHIP_CHECK_TEAM"),
        ("VILLAGE_PUBLICITY", "TOWNSHIP", None),
        ("VILLAGE_REQUEST", "TOWNSHIP", "TOWNSHIP_GOVERNMENT"),
        ("VILLAGE_COUNTY_CHECK", "COUNTY", "COUNTY_RECHECK_TEAM"),
        ("VILLAGE_APPROVAL", "COUNTY", "COUNTY_GOVERNMENT"),
    ]
    assert [s.code for s in VILLAGE_EXIT.stages if s.window] == ["VILLAGE_PUBLICITY", "VILLAGE_APPROVAL"]
    assert [g.name for g in VILLAGE_EXIT.stage("VILLAGE_COUNTY_CHECK").guards] == ["standards_met",
                                                                                   "county_check_passed"]


@pytest.mark.parametrize("stage", DECIDED, ids=lambda s: s.code)
def test_the_stage_role_moves_the_village_on(world, stage):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, stage.code, T0)
    finish_stage(world, ids, now)
    following = VILLAGE_EXIT.next_after(stage.code)
    got = case(world, ids[0])
    if following is None:
        assert got.status == Status.EXITED
    else:
        assert (got.stage, got.status) == (following.code, Status.ACTIVE)


def test_acceptance_needs_the_form(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_ACCEPTANCE", T0)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_ACCEPTANCE", ids[0], actor_for(world, Role.TOWNSHIP_CHECK_TEAM, world.villages[0]),
                now)
    assert refused.value.reason == "尚未填写贫困村退出验收审批表（一个确保、两个完善）"


def test_the_veto_refuses_a_village_just_above_2_percent(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_ACCEPTANCE", T0)
    assess(world, ids, now, SCENARIOS[1])
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_ACCEPTANCE", ids[0], actor_for(world, Role.TOWNSHIP_CHECK_TEAM, world.villages[0]),
                now)
    assert refused.value.reason == "未达到贫困村退出标准：综合贫困发生率2.01%，不符合“不超过2%”（否决指标）"


def test_a_village_at_every_boundary_passes_acceptance(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_ACCEPTANCE", T0)
    assess(world, ids, now, SCENARIOS[2])
    approve(world, "VILLAGE_ACCEPTANCE", ids[0], actor_for(world, Role.TOWNSHIP_CHECK_TEAM, world.villages[0]), now)
    assert case(world, ids[0]).stage == "VILLAGE_PUBLICITY"


def test_no_one_decides_the_publicity_by_hand(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_PUBLICITY", T0)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_PUBLICITY", ids[0], world.actor(Role.TOWNSHIP_GOVERNMENT, world.township), now)
    assert "无需人工决定" in refused.value.reason


def test_the_county_check_needs_its_samples(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    assess(world, ids, now)
    team = world.actor(Role.COUNTY_RECHECK_TEAM)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_COUNTY_CHECK", ids[0], team, now)
    assert refused.value.reason == "尚未抽取错退、漏评核查样本"


def test_the_county_check_needs_its_own_form(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    county_check(world, ids, now)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_COUNTY_CHECK", ids[0], world.actor(Role.COUNTY_RECHECK_TEAM), now)
    assert refused.value.reason == "尚未填写贫困村退出验收审批表（一个确保、两个完善）"


def test_a_wrong_exit_above_the_county_limit_refuses_the_village(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    assess(world, ids, now)
    county_check(world, ids, now, wrong=1)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_COUNTY_CHECK", ids[0], world.actor(Role.COUNTY_RECHECK_TEAM), now)
    assert refused.value.reason.startswith("错退率") and "不符合“低于2%”" in refused.value.reason


def test_approval_at_exactly_90_percent_refuses_the_village(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    assess(world, ids, now)
    county_check(world, ids, now, satisfied=45)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "VILLAGE_COUNTY_CHECK", ids[0], world.actor(Role.COUNTY_RECHECK_TEAM), now)
    assert refused.value.reason == "群众认可度90.00%，不符合“超过90%”"


@pytest.mark.parametrize("stage", RETURNABLE, ids=lambda s: s.code)
def test_return_goes_to_the_stage_the_table_names(world, stage):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, stage.code, T0)
    actor = actor_for(world, stage.role, world.villages[0])
    transition(session=world.session, chain=CODE, stage=stage.code, case_ids=ids, move=Move.RETURN, actor=actor,
               now=now, reason="材料不全")
    assert case(world, ids[0]).stage == stage.sends_back_to
    record = world.session.scalars(select(StageRecord).where(
        StageRecord.case_id == ids[0], StageRecord.stage == stage.code)).one()
    assert (record.outcome, record.reason) == (Outcome.RETURNED, "材料不全")


def test_the_announcement_stage_cannot_send_back(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_APPROVAL", T0)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage="VILLAGE_APPROVAL", case_ids=ids, move=Move.RETURN,
                   actor=world.actor(Role.COUNTY_GOVERNMENT), now=now, reason="x")
    assert refused.value.reason == "县级审批公告环节不能退回"


def test_a_village_case_is_opened_once_a_year(world):
    ids = open_villages(world, world.villages[:1])
    again = open_villages(world, world.villages[:1], non_poor=0)
    assert len(ids) == 1 and again == []
    assert case(world, ids[0]).household_id is None
