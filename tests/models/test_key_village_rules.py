"""The key-village chain's rules through the one door: every move of its table, allowed and refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.chains.key_village.figures import Figures
from models.chains.key_village.stages import CODE, KEY_VILLAGE
from models.core.actors import Role
from models.core.case import Case, StageRecord, Status
from models.core.errors import TransitionRefused
from models.core.regions import Level
from models.door.chain import Sampler
from models.door.engine import Move, transition
from tests.key_village_walk import T0, actor_for, finish_stage, open_villages, record, walk_to

DECIDED = list(KEY_VILLAGE.stages)
RETURNABLE = [s for s in DECIDED if s.sends_back_to]


def case(world, case_id: int) -> Case:
    world.session.expire_all()
    found = world.session.get(Case, case_id)
    assert isinstance(found, Case)
    return found


def move(world, stage: str, case_id: int, actor, now, kind: Move = Move.APPROVE, reason: str = ""):
    return transition(session=world.session, chain=CODE, stage=stage, case_ids=[case_id], move=kind, actor=actor,
                      now=now, reason=reason)


def refusal(world, stage: str, case_id: int, actor, now, kind: Move = Move.APPROVE, reason: str = "") -> str:
    with pytest.raises(TransitionRefused) as raised:
        move(world, stage, case_id, actor, now, kind, reason)
    return raised.value.reasons[case_id]


def test_the_table_reads_as_domain_section_4d():
    assert [(s.code, s.level.value, s.role.value if s.role else None) for s in KEY_VILLAGE.stages] == [
        ("KEY_APPLICATION", "VILLAGE", "VILLAGE_COMMITTEE"),
        ("KEY_TOWNSHIP_VERIFY", "TOWNSHIP", "TOWNSHIP_GOVERNMENT"),
        ("KEY_COUNTY_CHECK", "COUNTY", "COUNTY_RECHECK_TEAM"),
        ("KEY_COUNTY_CONFIRM", "COUNTY", "COUNTY_GOVERNMENT"),
        ("KEY_CITY_CHECK", "CITY", "CITY_CHECK_TEAM"),
        ("KEY_PROVINCE_CHECK", "PROVINCE", "PROVINCE_POVERTY_OFFICE"),
        ("KEY_PUBLICITY", "PROVINCE", "PROVINCE_POVERTY_OFFICE"),
    ]
    assert [s.code for s in KEY_VILLAGE.stages if s.window] == ["KEY_PUBLICITY"]
    assert KEY_VILLAGE.stage("KEY_PUBLICITY").window_scope == Level.PROVINCE
    assert [s.code for s in KEY_VILLAGE.stages if s.guards] == ["KEY_TOWNSHIP_VERIFY", "KEY_COUNTY_CHECK",
                                                               "KEY_CITY_CHECK", "KEY_PROVINCE_CHECK"]
    # The city's spot-check and the province's field check draw a sample per county (seed 004: 抽查核实).
    teams = [s.code for s in KEY_VILLAGE.stages if s.sampling is Sampler.TEAM]
    assert teams == ["KEY_CITY_CHECK", "KEY_PROVINCE_CHECK"]


@pytest.mark.parametrize("stage", DECIDED, ids=lambda s: s.code)
def test_the_stage_role_moves_the_village_on(world, stage):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, stage.code, T0)
    finish_stage(world, ids, now)
    following = KEY_VILLAGE.next_after(stage.code)
    got = case(world, ids[0])
    if following is None:
        assert (got.status, KEY_VILLAGE.status_name(got.status)) == (Status.EXITED, "已确认")
    else:
        assert (got.stage, got.status) == (following.code, Status.ACTIVE)


@pytest.mark.parametrize("stage", ["KEY_TOWNSHIP_VERIFY", "KEY_COUNTY_CHECK"])
def test_ranking_stages_need_their_own_figures(world, stage):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, stage, T0)
    role = KEY_VILLAGE.stage(stage).role
    assert role is not None
    actor = actor_for(world, role, world.villages[0])
    assert refusal(world, stage, ids[0], actor, now) == \
        "尚未登记本环节核实的村情数据（总户数、相对贫困户数、人均纯收入、集体经济收入）"


@pytest.mark.parametrize(("collective", "passes"), [("30000", False), ("29999.99", True)])
def test_collective_income_below_30000_yuan_is_the_condition(world, collective, passes):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "KEY_TOWNSHIP_VERIFY", T0)
    record(world, ids, now, Figures(300, 60, Decimal("2600"), Decimal(collective), "镇核实"))
    actor = actor_for(world, Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    if passes:
        move(world, "KEY_TOWNSHIP_VERIFY", ids[0], actor, now)
        assert case(world, ids[0]).stage == "KEY_COUNTY_CHECK"
    else:
        assert refusal(world, "KEY_TOWNSHIP_VERIFY", ids[0], actor, now) == \
            "不符合重点帮扶村申报条件：村集体经济年收入30000.00元，不符合“低于30000元”"


@pytest.mark.parametrize("stage", RETURNABLE, ids=lambda s: s.code)
def test_a_return_goes_to_the_stage_the_table_names_and_needs_a_reason(world, stage):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, stage.code, T0)
    actor = actor_for(world, stage.role, world.villages[0])
    assert refusal(world, stage.code, ids[0], actor, now, Move.RETURN, " ") == "退回须写明理由"
    move(world, stage.code, ids[0], actor, now, Move.RETURN, "数据与统计局不符")
    assert case(world, ids[0]).stage == stage.sends_back_to


def test_figures_from_before_a_return_do_not_count_again(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "KEY_CITY_CHECK", T0)
    city = actor_for(world, Role.CITY_CHECK_TEAM, world.villages[0])
    move(world, "KEY_CITY_CHECK", ids[0], city, now, Move.RETURN, "抽查发现账目不符")
    county = actor_for(world, Role.COUNTY_RECHECK_TEAM, world.villages[0])
    assert "尚未登记本环节核实的村情数据" in refusal(world, "KEY_COUNTY_CHECK", ids[0], county, now + timedelta(1))


def test_the_publicity_window_holds_the_villages_until_it_closes(world):
    from models.core.actors import system_actor
    from models.door import machine

    ids = open_villages(world, world.villages[:2])
    now = walk_to(world, ids, "KEY_PUBLICITY", T0)
    province = actor_for(world, Role.PROVINCE_POVERTY_OFFICE, world.villages[0])
    transition(session=world.session, chain=CODE, stage="KEY_PUBLICITY", case_ids=ids, move=Move.APPROVE,
               actor=province, now=now)
    system = system_actor(world.session)
    assert machine.post_notices(session=world.session, chain=CODE, stage="KEY_PUBLICITY", scope="", year=2026,
                                now=now, actor=system) == 2
    world.session.commit()
    with pytest.raises(TransitionRefused) as raised:
        transition(session=world.session, chain=CODE, stage="KEY_PUBLICITY", case_ids=ids, move=Move.ADVANCE,
                   actor=system, now=now + timedelta(days=3))
    assert raised.value.reasons[ids[0]].startswith("公示期未满")
    assert [case(world, i).status for i in ids] == [Status.ACTIVE, Status.ACTIVE]


def test_stage_deadlines_come_from_policy(world):
    ids = open_villages(world, world.villages[:1])
    record_row = world.session.scalars(select(StageRecord).where(col(StageRecord.case_id) == ids[0])).one()
    # Opened 2026-03-02 09:00 in Shanghai; 7 days from the next day, to 24:00 on 3-09 (16:00 UTC).
    assert record_row.due_at.astimezone(UTC) == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
