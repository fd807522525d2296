"""The edge household identification chain's rules through the one door: every move of its table, allowed and
refused, and the standard read at its boundaries as DOMAIN §3 says (高于 the poverty line, 未达到4000元)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from demo.rounds.edge_identify import Applicant
from models.chains.edge_identify.stages import CODE, EDGE_IDENTIFY
from models.core.actors import Role
from models.core.case import Case, Outcome, StageRecord, Status
from models.core.errors import TransitionRefused
from models.core.household import Household, Income
from models.door.engine import Move, transition
from models.door.objections import raise_objection, resolve_objection
from tests.edge_walk import T0, actor_for, apply_households, finish_stage, walk_to

DECIDED = [s for s in EDGE_IDENTIFY.stages if s.role is not None]
RETURNABLE = [s for s in DECIDED if s.sends_back_to]
GUARDED = [s.code for s in EDGE_IDENTIFY.stages if s.guards]


def case(world, case_id: int) -> Case:
    world.session.expire_all()
    return world.session.get(Case, case_id)


def approve(world, stage: str, case_id: int, actor, now):
    return transition(session=world.session, chain=CODE, stage=stage, case_ids=[case_id], move=Move.APPROVE,
                      actor=actor, now=now)


def refusal_at_review(world, applicant: Applicant) -> str:
    ids = apply_households(world, applicant)
    now = walk_to(world, ids, "EDGE_REVIEW", T0)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "EDGE_REVIEW", ids[0], actor_for(world, Role.VILLAGE_COMMITTEE, world.villages[0]), now)
    assert case(world, ids[0]).stage == "EDGE_REVIEW"
    return refused.value.reason


def test_the_table_reads_as_domain_section_4c():
    table = [(s.code, s.level.value, s.role.value if s.role else None, s.window_scope) for s in EDGE_IDENTIFY.stages]
    assert table == [
        ("EDGE_APPLICATION", "VILLAGE", "VILLAGE_COMMITTEE", None),
        ("EDGE_REVIEW", "VILLAGE", "VILLAGE_COMMITTEE", None),
        ("EDGE_HOME_VISIT", "TOWNSHIP", "TOWNSHIP_CHECK_TEAM", None),
        ("EDGE_FIRST_PUBLICITY", "TOWNSHIP", None, "VILLAGE"),
        ("EDGE_TOWNSHIP_REVIEW", "TOWNSHIP", "TOWNSHIP_GOVERNMENT", None),
        ("EDGE_SECOND_PUBLICITY", "TOWNSHIP", None, "VILLAGE"),
        ("EDGE_COUNTY_REVIEW", "COUNTY", "COUNTY_RECHECK_TEAM", None),
        ("EDGE_ANNOUNCEMENT", "COUNTY", None, "VILLAGE"),
        ("EDGE_RECORD", "TOWNSHIP", "TOWNSHIP_GOVERNMENT", None),
    ]
    assert GUARDED == ["EDGE_REVIEW", "EDGE_HOME_VISIT", "EDGE_COUNTY_REVIEW"]
    assert all(s.code.startswith("EDGE_") for s in EDGE_IDENTIFY.stages)
    assert EDGE_IDENTIFY.summary.startswith("农户申请、村民代表大会民主评议、入户核实、村内第一次公示")


@pytest.mark.parametrize("stage", DECIDED, ids=lambda s: s.code)
def test_the_stage_role_moves_the_household_on(world, stage):
    ids = apply_households(world)
    now = walk_to(world, ids, stage.code, T0)
    finish_stage(world, ids, now)
    following = EDGE_IDENTIFY.next_after(stage.code)
    got = case(world, ids[0])
    if following is None:
        assert got.status == Status.EXITED
    else:
        assert (got.stage, got.status) == (following.code, Status.ACTIVE)


def test_income_exactly_at_the_poverty_line_is_not_above_it(world):
    assert refusal_at_review(world, Applicant(0, 2, Decimal("6652"))) == (
        "不符合贫困边缘户识别标准：人均纯收入3326.00元，不符合下限“超过3326元”（建档立卡贫困户标准）")


def test_income_exactly_4000_has_reached_the_edge_line(world):
    assert refusal_at_review(world, Applicant(0, 4, Decimal("16000"))) == (
        "不符合贫困边缘户识别标准：人均纯收入4000.00元，不符合上限“低于4000元”")


@pytest.mark.parametrize("net", [Decimal("6652.02"), Decimal("11999.97")], ids=["3326.01", "3999.99"])
def test_a_cent_inside_either_bound_passes(world, net):
    ids = apply_households(world, Applicant(0, 2 if net < 10000 else 3, net))
    now = walk_to(world, ids, "EDGE_REVIEW", T0)
    approve(world, "EDGE_REVIEW", ids[0], actor_for(world, Role.VILLAGE_COMMITTEE, world.villages[0]), now)
    assert case(world, ids[0]).stage == "EDGE_HOME_VISIT"


def test_a_minimum_allowance_household_is_excluded_with_the_reason(world):
    assert refusal_at_review(world, Applicant(0, 3, Decimal("10500"), minimum_allowance=True)) == (
        "不符合贫困边缘户识别标准：属低保户，按规定暂不列入贫困边缘户")


def test_a_destitute_household_is_excluded_and_its_income_also_named(world):
    ids = apply_households(world, Applicant(0, 2, Decimal("6652")))
    household = world.session.get(Household, case(world, ids[0]).household_id)
    household.destitute = True
    world.session.commit()
    now = walk_to(world, ids, "EDGE_REVIEW", T0)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "EDGE_REVIEW", ids[0], actor_for(world, Role.VILLAGE_COMMITTEE, world.villages[0]), now)
    assert refused.value.reason == ("不符合贫困边缘户识别标准：属特困人员，按规定暂不列入贫困边缘户；"
                                    "人均纯收入3326.00元，不符合下限“超过3326元”（建档立卡贫困户标准）")


def test_a_registered_poor_household_is_not_an_edge_household(world):
    ids = apply_households(world)
    household = world.session.get(Household, case(world, ids[0]).household_id)
    household.registered_poor = True
    world.session.commit()
    assert refusal_at_review_existing(world, ids) == (
        "不符合贫困边缘户识别标准：属建档立卡贫困户，按规定暂不列入贫困边缘户")


def refusal_at_review_existing(world, ids: list[int]) -> str:
    now = walk_to(world, ids, "EDGE_REVIEW", T0)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "EDGE_REVIEW", ids[0], actor_for(world, Role.VILLAGE_COMMITTEE, world.villages[0]), now)
    return refused.value.reason


def test_a_household_with_no_income_record_of_the_year_is_refused(world):
    ids = apply_households(world)
    world.session.execute(Income.__table__.delete().where(Income.household_id == case(world, ids[0]).household_id))
    world.session.commit()
    assert refusal_at_review_existing(world, ids) == (
        "不符合贫困边缘户识别标准：尚无2026年度收入记录，无法计算人均纯收入")


def test_the_county_review_applies_the_standard_again(world):
    ids = apply_households(world)
    now = walk_to(world, ids, "EDGE_COUNTY_REVIEW", T0)
    income = world.session.scalars(select(Income).where(Income.household_id == case(world, ids[0]).household_id)).one()
    income.wages += Decimal("1200")  # 3600 + 400 a head: 4000.00
    world.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        approve(world, "EDGE_COUNTY_REVIEW", ids[0], world.actor(Role.COUNTY_RECHECK_TEAM), now)
    assert refused.value.reason == "不符合贫困边缘户识别标准：人均纯收入4000.00元，不符合上限“低于4000元”"


@pytest.mark.parametrize("stage", ["EDGE_FIRST_PUBLICITY", "EDGE_SECOND_PUBLICITY", "EDGE_ANNOUNCEMENT"])
def test_no_one_decides_a_window_by_hand_and_it_cannot_close_early(world, stage):
    ids = apply_households(world)
    now = walk_to(world, ids, stage, T0)
    with pytest.raises(TransitionRefused) as refused:
        approve(world, stage, ids[0], world.actor(Role.TOWNSHIP_GOVERNMENT, world.township), now)
    assert refused.value.reason == f"{EDGE_IDENTIFY.stage(stage).name}环节无需人工决定，公示期满且无异议后由系统流转"
    from models.core.actors import system_actor
    from models.door import machine

    system = system_actor(world.session)
    machine.post_notices(session=world.session, chain=CODE, stage=stage, scope="", year=2026, now=now, actor=system)
    world.session.commit()
    last_minute = now + timedelta(days=6, hours=14, minutes=59)  # posted 09:00 Shanghai: 23:59 of the seventh day
    with pytest.raises(TransitionRefused) as early:
        transition(session=world.session, chain=CODE, stage=stage, case_ids=ids, move=Move.ADVANCE, actor=system,
                   now=last_minute)
    assert early.value.reason.startswith("公示期未满")


@pytest.mark.parametrize(("stage", "back_to"), [("EDGE_FIRST_PUBLICITY", "EDGE_HOME_VISIT"),
                                                ("EDGE_SECOND_PUBLICITY", "EDGE_HOME_VISIT"),
                                                ("EDGE_ANNOUNCEMENT", "EDGE_COUNTY_REVIEW")])
def test_an_upheld_objection_sends_the_household_back(world, stage, back_to):
    from models.core.actors import system_actor
    from models.door import machine

    ids = apply_households(world, INSIDE_TWO[0], INSIDE_TWO[1])
    now = walk_to(world, ids, stage, T0)
    system = system_actor(world.session)
    machine.post_notices(session=world.session, chain=CODE, stage=stage, scope="", year=2026, now=now, actor=system)
    objection = raise_objection(session=world.session, case_id=ids[0], raised_by="村民丁", content="收入不实",
                                now=now + timedelta(days=1), actor=actor_for(world, Role.VILLAGE_COMMITTEE,
                                                                             world.villages[0]))
    world.session.commit()
    resolver = (world.actor(Role.COUNTY_GOVERNMENT) if stage == "EDGE_ANNOUNCEMENT"
                else world.actor(Role.TOWNSHIP_GOVERNMENT, world.township))
    resolve_objection(session=world.session, objection_id=objection.id, upheld=True, resolution="核实收入有误",
                      now=now + timedelta(days=2), actor=resolver)
    world.session.commit()
    assert case(world, ids[0]).stage == back_to
    assert case(world, ids[1]).stage == stage  # the other household of the list goes on


INSIDE_TWO = (Applicant(0, 3, Decimal("10800")), Applicant(0, 2, Decimal("7600")))


@pytest.mark.parametrize("stage", RETURNABLE, ids=lambda s: s.code)
def test_return_goes_to_the_stage_the_table_names(world, stage):
    ids = apply_households(world)
    now = walk_to(world, ids, stage.code, T0)
    actor = (world.actor(stage.role) if stage.level.value == "COUNTY"
             else actor_for(world, stage.role, world.villages[0]))
    transition(session=world.session, chain=CODE, stage=stage.code, case_ids=ids, move=Move.RETURN, actor=actor,
               now=now, reason="材料不全")
    assert case(world, ids[0]).stage == stage.sends_back_to
    record = world.session.scalars(select(StageRecord).where(
        StageRecord.case_id == ids[0], StageRecord.stage == stage.code)).one()
    assert (record.outcome, record.reason) == (Outcome.RETURNED, "材料不全")


@pytest.mark.parametrize("stage", ["EDGE_APPLICATION", "EDGE_RECORD"])
def test_the_first_and_last_stages_cannot_send_back(world, stage):
    ids = apply_households(world)
    now = walk_to(world, ids, stage, T0)
    role = EDGE_IDENTIFY.stage(stage).role
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage=stage, case_ids=ids, move=Move.RETURN,
                   actor=actor_for(world, role, world.villages[0]), now=now, reason="x")
    assert refused.value.reason == f"{EDGE_IDENTIFY.stage(stage).name}环节不能退回"


def test_a_rejection_needs_a_reason_and_ends_the_case(world):
    ids = apply_households(world)
    committee = actor_for(world, Role.VILLAGE_COMMITTEE, world.villages[0])
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CODE, stage="EDGE_APPLICATION", case_ids=ids, move=Move.REJECT,
                   actor=committee, now=T0, reason=" ")
    assert refused.value.reason == "不予通过须写明理由"
    transition(session=world.session, chain=CODE, stage="EDGE_APPLICATION", case_ids=ids, move=Move.REJECT,
               actor=committee, now=T0, reason="申请人撤回申请")
    assert case(world, ids[0]).status == Status.REJECTED


def test_stage_deadlines_come_from_the_policy(world):
    ids = apply_households(world)
    walk_to(world, ids, "EDGE_HOME_VISIT", T0)
    record = world.session.scalars(select(StageRecord).where(
        StageRecord.case_id == ids[0], StageRecord.stage == "EDGE_HOME_VISIT")).one()
    # Opened 2026-03-03 09:00 (Shanghai); 15 calendar days counted from 03-04, the last one 03-18: due at its 24:00.
    assert record.opened_at.isoformat() == "2026-03-03T01:00:00+00:00"
    assert record.due_at.isoformat() == "2026-03-18T16:00:00+00:00"
