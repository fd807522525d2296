"""The household exit chain's rules through the one door, without Prefect: every move, allowed and refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.core.actors import Role
from models.core.audit import AuditEvent
from models.core.case import Case, Outcome, StageRecord, Status
from models.core.errors import TransitionRefused
from models.door.engine import Move, transition
from tests.walk import CHAIN, actor_for, finish_stage, open_all, walk_to

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
DECIDED = [s for s in HOUSEHOLD_EXIT.stages if s.role is not None]
RETURNABLE = [s for s in DECIDED if s.sends_back_to]


def first_village_cases(world) -> tuple[list[int], datetime]:
    ids = open_all(world, T0)
    village = world.villages[0]
    return [i for i in ids if world.session.get(Case, i).village_code == village], T0


def case(world, case_id: int) -> Case:
    world.session.expire_all()
    return world.session.get(Case, case_id)


@pytest.mark.parametrize("stage", DECIDED, ids=lambda s: s.code)
def test_the_stage_role_moves_the_case_on(world, stage):
    ids, now = first_village_cases(world)
    now = walk_to(world, ids, stage.code, now)
    finish_stage(world, ids, now)
    following = HOUSEHOLD_EXIT.next_after(stage.code)
    for case_id in ids:
        got = case(world, case_id)
        if following is None:
            assert got.status == Status.EXITED
        else:
            assert got.stage == following.code and got.status == Status.ACTIVE


@pytest.mark.parametrize("stage", RETURNABLE, ids=lambda s: s.code)
def test_return_goes_to_the_stage_the_table_names(world, stage):
    ids, now = first_village_cases(world)
    now = walk_to(world, ids, stage.code, now)
    actor = actor_for(world, stage.role, world.villages[0])
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage=stage.code, case_ids=ids[:1], move=Move.RETURN,
                   actor=actor, now=now, reason=" ")
    assert "须写明理由" in refused.value.reason
    transition(session=world.session, chain=CHAIN, stage=stage.code, case_ids=ids[:1], move=Move.RETURN,
               actor=actor, now=now, reason="材料不全")
    assert case(world, ids[0]).stage == stage.sends_back_to
    record = world.session.scalars(select(StageRecord).where(
        StageRecord.case_id == ids[0], StageRecord.stage == stage.code)).one()
    assert record.outcome == Outcome.RETURNED and record.reason == "材料不全"


def test_the_last_stage_cannot_send_back(world):
    ids, now = first_village_cases(world)
    now = walk_to(world, ids, "COUNTY_APPROVAL", now)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage="COUNTY_APPROVAL", case_ids=ids[:1], move=Move.RETURN,
                   actor=world.actor(Role.COUNTY_GOVERNMENT), now=now, reason="x")
    assert "不能退回" in refused.value.reason


def test_reject_ends_the_case_and_later_moves_are_refused(world):
    ids, now = first_village_cases(world)
    leader = actor_for(world, Role.GROUP_LEADER, world.villages[0])
    transition(session=world.session, chain=CHAIN, stage="GROUP_RECOMMEND", case_ids=ids[:1], move=Move.REJECT,
               actor=leader, now=now, reason="家庭收入不稳定，暂不推荐")
    assert case(world, ids[0]).status == Status.REJECTED
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage="GROUP_RECOMMEND", case_ids=ids[:1], move=Move.APPROVE,
                   actor=leader, now=now)
    assert "已办结" in refused.value.reason


def test_a_retried_decision_is_a_no_op(world):
    ids, now = first_village_cases(world)
    leader = actor_for(world, Role.GROUP_LEADER, world.villages[0])
    first = transition(session=world.session, chain=CHAIN, stage="GROUP_RECOMMEND", case_ids=ids, move=Move.APPROVE,
                       actor=leader, now=now)
    events = world.session.scalar(select(func.count()).select_from(AuditEvent))
    versions = [case(world, i).version for i in ids]
    again = transition(session=world.session, chain=CHAIN, stage="GROUP_RECOMMEND", case_ids=ids, move=Move.APPROVE,
                       actor=leader, now=now)
    assert first.moved == ids and again.moved == [] and again.unchanged == ids
    assert world.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert [case(world, i).version for i in ids] == versions
    assert all(case(world, i).stage == "COMMITTEE_REVIEW" for i in ids)


def test_a_refused_batch_writes_nothing(world):
    ids, now = first_village_cases(world)
    leader = actor_for(world, Role.GROUP_LEADER, world.villages[0])
    other = [i for i in world.session.scalars(select(Case.id)) if i not in ids][:1]
    events = world.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(TransitionRefused):
        transition(session=world.session, chain=CHAIN, stage="GROUP_RECOMMEND", case_ids=ids + other,
                   move=Move.APPROVE, actor=leader, now=now)
    assert all(case(world, i).stage == "GROUP_RECOMMEND" for i in ids)
    assert world.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_no_one_decides_the_publicity_stage_by_hand(world):
    ids, now = first_village_cases(world)
    now = walk_to(world, ids, "PUBLICITY", now)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=world.session, chain=CHAIN, stage="PUBLICITY", case_ids=ids[:1], move=Move.APPROVE,
                   actor=world.actor(Role.TOWNSHIP_GOVERNMENT, world.township), now=now)
    assert "无需人工决定" in refused.value.reason


def test_every_stage_visit_is_recorded_with_its_deadline(world):
    ids, now = first_village_cases(world)
    walk_to(world, ids, "COUNTY_APPROVAL", now)
    records = world.session.scalars(select(StageRecord).where(StageRecord.case_id == ids[0])
                                    .order_by(StageRecord.id)).all()
    assert [r.stage for r in records] == [s.code for s in HOUSEHOLD_EXIT.stages]
    assert all(r.due_at is not None and r.due_at > r.opened_at for r in records)
    assert all(r.left_at is not None for r in records[:-1]) and records[-1].left_at is None
