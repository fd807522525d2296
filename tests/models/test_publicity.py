"""Publicity windows and objections: 7 days counting the posting day, Shanghai time; objections hold one case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models.core.actors import Role, system_actor
from models.core.case import Case, Status
from models.core.clock import parse
from models.core.errors import InvalidInput, TransitionRefused
from models.core.publicity import Objection, ObjectionStatus, Window
from models.door.engine import Move, transition
from models.door.objections import raise_objection, resolve_objection
from models.door.windows import close_due_windows, open_window
from tests.walk import CHAIN, open_all, walk_to

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)


@pytest.fixture
def posted(world):
    """The first village's cases posted on 2026-11-01 09:00 Shanghai time."""
    ids = [i for i in open_all(world, T0) if world.session.get(Case, i).village_code == world.villages[0]]
    walk_to(world, ids, "PUBLICITY", T0)
    system = system_actor(world.session)
    window = open_window(session=world.session, scope_code=world.villages[0], case_ids=ids,
                         now=parse("2026-11-01 09:00"), actor=system)
    world.session.commit()
    return world, ids, window, system


def advance(world, ids, system, when):
    return transition(session=world.session, chain=CHAIN, stage="PUBLICITY", case_ids=ids, move=Move.ADVANCE,
                      actor=system, now=parse(when))


def test_the_window_ends_at_midnight_after_day_7_shanghai_time(posted):
    _, _, window, _ = posted
    assert window.ends_at == datetime(2026, 11, 7, 16, 0, tzinfo=UTC)  # 2026-11-08 00:00 in Shanghai


def test_last_minute_of_day_7_is_still_open_and_first_minute_of_day_8_is_not(posted):
    world, ids, window, system = posted
    assert close_due_windows(session=world.session, now=parse("2026-11-07 23:59"), actor=system) == []
    with pytest.raises(TransitionRefused) as refused:
        advance(world, ids, system, "2026-11-07 23:59")
    assert "公示期未满（公示至2026年11月7日）" in refused.value.reason
    assert close_due_windows(session=world.session, now=parse("2026-11-08 00:00"), actor=system) == [window.id]
    world.session.commit()
    result = advance(world, ids, system, "2026-11-08 00:00")
    assert sorted(result.moved) == sorted(ids)


def test_a_window_cannot_be_closed_early_by_advancing(posted):
    world, ids, _, system = posted
    with pytest.raises(TransitionRefused) as refused:
        advance(world, ids[:1], system, "2026-11-08 09:00")
    assert "公示期尚未结束" in refused.value.reason


def test_counting_from_the_next_day_is_a_policy_choice():
    from models.core.clock import last_day, window_end

    posted_at = parse("2026-11-01 09:00")
    assert str(last_day(window_end(posted_at, 7, count_posting_day=True))) == "2026-11-07"
    assert str(last_day(window_end(posted_at, 7, count_posting_day=False))) == "2026-11-08"


def test_an_objection_holds_only_its_own_case(posted):
    world, ids, _, system = posted
    clerk = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    objection = raise_objection(session=world.session, case_id=ids[0], raised_by="村民甲", content="收入不实",
                                now=parse("2026-11-03 10:00"), actor=clerk)
    world.session.commit()
    assert objection.raised_by == "村民甲" and objection.raised_at == parse("2026-11-03 10:00")
    close_due_windows(session=world.session, now=parse("2026-11-08 00:00"), actor=system)
    result = transition(session=world.session, chain=CHAIN, stage="PUBLICITY", case_ids=ids, move=Move.ADVANCE,
                        actor=system, now=parse("2026-11-08 00:00"), strict=False)
    assert result.refused == {ids[0]: "有未处理的异议，须先核实处理"}
    assert sorted(result.moved) == sorted(ids[1:])


def test_a_dismissed_objection_lets_the_case_go_on(posted):
    world, ids, _, system = posted
    clerk = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    gov = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    o = raise_objection(session=world.session, case_id=ids[0], raised_by="村民甲", content="收入不实",
                        now=parse("2026-11-03 10:00"), actor=clerk)
    resolve_objection(session=world.session, objection_id=o.id, upheld=False, resolution="经核实收入属实",
                      now=parse("2026-11-05 10:00"), actor=gov)
    world.session.commit()
    close_due_windows(session=world.session, now=parse("2026-11-08 00:00"), actor=system)
    assert advance(world, ids[:1], system, "2026-11-08 00:00").moved == ids[:1]
    assert world.session.get(Objection, o.id).status == ObjectionStatus.DISMISSED


def test_an_upheld_objection_sends_the_case_back_with_the_reason(posted):
    world, ids, _, _ = posted
    clerk = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    gov = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    o = raise_objection(session=world.session, case_id=ids[0], raised_by="村民乙", content="住房为危房",
                        now=parse("2026-11-03 10:00"), actor=clerk)
    resolve_objection(session=world.session, objection_id=o.id, upheld=True, resolution="住房确为危房",
                      now=parse("2026-11-04 10:00"), actor=gov)
    world.session.commit()
    world.session.expire_all()
    back = world.session.get(Case, ids[0])
    assert back.stage == "HOME_CHECK" and back.status == Status.ACTIVE


def test_a_village_clerk_cannot_resolve_a_township_objection(posted):
    world, ids, _, _ = posted
    clerk = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    o = raise_objection(session=world.session, case_id=ids[0], raised_by="村民甲", content="收入不实",
                        now=parse("2026-11-03 10:00"), actor=clerk)
    with pytest.raises(TransitionRefused):
        resolve_objection(session=world.session, objection_id=o.id, upheld=True, resolution="x",
                          now=parse("2026-11-04 10:00"), actor=clerk)


@pytest.mark.parametrize("when", ["2026-10-31 23:59", "2026-11-08 00:00"])
def test_objections_outside_the_window_are_refused(posted, when):
    world, ids, _, _ = posted
    clerk = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    with pytest.raises(InvalidInput):
        raise_objection(session=world.session, case_id=ids[0], raised_by="村民甲", content="收入不实",
                        now=parse(when), actor=clerk)


def test_an_objection_needs_who_and_what(posted):
    world, ids, _, _ = posted
    clerk = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    with pytest.raises(InvalidInput) as error:
        raise_objection(session=world.session, case_id=ids[0], raised_by="", content="收入不实",
                        now=parse("2026-11-03 10:00"), actor=clerk)
    assert "异议人" in str(error.value)
    assert world.session.scalars(select(Objection)).all() == []


def test_a_case_is_posted_only_once_per_visit(posted):
    world, ids, _, system = posted
    with pytest.raises(TransitionRefused):
        open_window(session=world.session, scope_code=world.villages[0], case_ids=ids[:1],
                    now=parse("2026-11-02 09:00"), actor=system)
    assert len(world.session.scalars(select(Window)).all()) == 1
