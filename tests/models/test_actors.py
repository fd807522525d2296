"""Registering the people who act: a role belongs to one level of region; a person is named by a unique login,
and a deactivated person acts no more while their past decisions stay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models.core.actors import SYSTEM_NAME, Role, actor_by_login, add_actor, system_actor
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.door.cases import open_cases
from models.door.chain import Input
from models.door.engine import Move, transition
from models.door.inputs import admit
from models.staff.people import Person, add_person, set_active

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)


def test_a_person_is_registered_in_a_region_of_their_roles_level(world):
    actor = add_actor(world.session, name="新组长", role=Role.GROUP_LEADER, region_code=world.villages[0])
    assert actor.covers(world.villages[0]) and not actor.covers(world.villages[1])
    assert actor.login == "新组长" and actor.active and actor.phone == ""
    assert actor_by_login(world.session, "新组长").id == actor.id


def test_two_people_may_share_a_name_but_never_a_login(world):
    first = add_actor(world.session, name="王伟", login="wangwei", role=Role.GROUP_LEADER,
                      region_code=world.villages[0])
    second = add_actor(world.session, name="王伟", login="wangwei2", role=Role.GROUP_LEADER,
                       region_code=world.villages[1])
    assert actor_by_login(world.session, "wangwei2").id == second.id != first.id
    with pytest.raises(InvalidInput, match="登录名.*wangwei.*已由王伟（村民小组长）使用"):
        add_actor(world.session, name="王伟", login="wangwei", role=Role.GROUP_LEADER, region_code=world.villages[2])


def test_a_person_is_found_by_number_as_well(world):
    actor = add_actor(world.session, name="李四", login="lisi", role=Role.GROUP_LEADER, region_code=world.villages[0])
    assert actor_by_login(world.session, f"#{actor.id}").id == actor.id
    assert actor_by_login(world.session, str(actor.id)).id == actor.id


@pytest.mark.parametrize(("role", "where"), [(Role.TOWNSHIP_CHECK_TEAM, "village"), (Role.GROUP_LEADER, "township")])
def test_a_role_in_a_region_of_another_level_is_refused(world, role, where):
    code = world.villages[0] if where == "village" else world.township
    with pytest.raises(InvalidInput, match="区划"):
        add_actor(world.session, name="某人", role=role, region_code=code)


def test_an_unknown_region_is_refused(world):
    with pytest.raises(InvalidInput, match="430121999999"):
        add_actor(world.session, name="某人", role=Role.GROUP_LEADER, region_code="430121999999")


def test_an_unknown_login_is_not_found(world):
    with pytest.raises(NotFound, match="没有登录名为“无名氏”的人员"):
        actor_by_login(world.session, "无名氏")
    with pytest.raises(NotFound, match="#99999"):
        actor_by_login(world.session, "#99999")


def test_the_system_person_is_found_whatever_its_login(world):
    system = system_actor(world.session)
    assert system.role is Role.SYSTEM and system.name == SYSTEM_NAME
    system.login = "machine"
    world.session.flush()
    assert system_actor(world.session).id == system.id


def test_a_deactivated_person_cannot_act_and_their_past_decisions_stay(world):
    session, village = world.session, world.villages[0]
    ids = open_cases(session=session, chain="HOUSEHOLD_EXIT", year=2026, household_ids=world.area.household_ids,
                     now=T0, actor=system_actor(session))
    session.commit()
    mine = [i for i in ids if session.get(Case, i).village_code == village]
    leader = world.actor(Role.GROUP_LEADER, village)
    transition(session=session, chain="HOUSEHOLD_EXIT", stage="GROUP_RECOMMEND", case_ids=mine[:1],
               move=Move.APPROVE, actor=leader, now=T0)
    before = session.scalars(select(AuditEvent).where(AuditEvent.actor == leader.name)).all()
    assert before
    admin = add_person(session=session, person=Person("管理员", "admin", "COUNTY_ADMIN", world.area.county_code),
                       by=None, now=T0)
    set_active(session=session, login=leader.login, active=False, by=admin, now=T0)
    session.commit()
    with pytest.raises(TransitionRefused) as raised:
        transition(session=session, chain="HOUSEHOLD_EXIT", stage="GROUP_RECOMMEND", case_ids=mine[1:2],
                   move=Move.APPROVE, actor=leader, now=T0)
    assert raised.value.reason == f"{leader.name}（村民小组长）已停用，不能办理"
    with pytest.raises(TransitionRefused, match="已停用，不能办理"):
        admit(session=session, case_ids=mine[1:2], actor=leader, stage=None, kind=Input.HOME_CHECK, now=T0)
    after = session.scalars(select(AuditEvent).where(AuditEvent.actor == leader.name)).all()
    assert [e.seq for e in after] == [e.seq for e in before]
    with pytest.raises(InvalidInput, match="已停用"):
        actor_by_login(session, leader.login)
    assert actor_by_login(session, leader.login, active=False).id == leader.id
