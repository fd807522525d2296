"""The monitoring chain's rules through the one door: every move of its table, allowed and refused, and its guards."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.chains.monitoring.assist import assign_departments, request_closeout, verify_closeout
from models.chains.monitoring.stages import CODE, MONITORING
from models.core.actors import ROLE_NAMES, Role
from models.core.case import Status
from models.core.errors import InvalidInput, TransitionRefused
from models.door.cases import open_cases
from models.door.engine import Move
from tests.monitoring_walk import CONFIRM_AT, case, finish, households, move, setup, walk_to, warn

DECIDED = list(MONITORING.stages)


def test_the_table_reads_as_domain_section_4f():
    assert [(s.code, s.level.value, s.role.value if s.role else None, s.sends_back_to) for s in MONITORING.stages] == [
        ("MON_FLAG", "VILLAGE", "VILLAGE_COMMITTEE", None),
        ("MON_CONFIRM", "TOWNSHIP", "TOWNSHIP_GOVERNMENT", "MON_FLAG"),
        ("MON_ASSIST", "COUNTY", "INDUSTRY_DEPARTMENT", None),
        ("MON_CLOSEOUT", "TOWNSHIP", "TOWNSHIP_GOVERNMENT", "MON_ASSIST"),
    ]
    assert [[g.name for g in s.guards] for s in MONITORING.stages] == [
        ["warning_raised"], ["departments_assigned"], ["closeout_requested"], ["closeout_verified"]]
    assert not any(s.window for s in MONITORING.stages)
    assert MONITORING.summary.startswith("动态监测发现缺项")
    assert ROLE_NAMES[Role.INDUSTRY_DEPARTMENT] == "行业部门"


@pytest.fixture
def warned(world):
    s = setup(world)
    village = world.villages[0]
    first = households(s, village)[0]
    cases = warn(s, village, {first: ["housing"]})
    return s, cases[first]


@pytest.mark.parametrize("stage", DECIDED, ids=lambda s: s.code)
def test_the_stage_role_moves_the_case_on(warned, stage):
    s, case_id = warned
    walk_to(s, case_id, stage.code)
    finish(s, case_id, CONFIRM_AT)
    following = MONITORING.next_after(stage.code)
    got = case(s, case_id)
    if following is None:
        assert (got.stage, got.status) == ("MON_CLOSEOUT", Status.EXITED)
    else:
        assert (got.stage, got.status) == (following.code, Status.ACTIVE)


def test_a_case_without_a_warning_cannot_be_flagged(world):
    s = setup(world)
    household = world.area.household_ids[0]
    committee = s.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    [case_id] = open_cases(session=world.session, chain=CODE, year=2026, household_ids=[household], now=CONFIRM_AT,
                           actor=committee)
    world.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_FLAG", case_id, committee, CONFIRM_AT)
    assert refused.value.reason == "尚未标注预警（动态监测未发现两不愁三保障缺项）"


def test_confirming_needs_every_missing_item_handed_to_a_department(world):
    s = setup(world)
    first = households(s, world.villages[0])[0]
    case_id = warn(s, world.villages[0], {first: ["housing", "water"]})[first]
    walk_to(s, case_id, "MON_CONFIRM")
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_CONFIRM", case_id, government, CONFIRM_AT)
    assert refused.value.reason == "缺项“住房安全有保障、饮水安全”尚未交办行业部门"
    assign_departments(session=world.session, case_id=case_id, liaisons={"housing": s.liaisons["housing"]},
                       actor=government, now=CONFIRM_AT)
    world.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_CONFIRM", case_id, government, CONFIRM_AT)
    assert refused.value.reason == "缺项“饮水安全”尚未交办行业部门"
    assign_departments(session=world.session, case_id=case_id, liaisons=s.liaisons, actor=government, now=CONFIRM_AT)
    world.session.commit()
    move(s, "MON_CONFIRM", case_id, government, CONFIRM_AT)
    assert case(s, case_id).stage == "MON_ASSIST"

    request_closeout(session=world.session, case_id=case_id, actor=s.liaisons["housing"], measures="危房改造",
                     now=CONFIRM_AT)
    world.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_ASSIST", case_id, s.liaisons["housing"], CONFIRM_AT)
    assert refused.value.reason == "长沙县水利局尚未提出销号申请"


def test_an_item_found_not_met_goes_back_and_needs_a_new_request(warned):
    s, case_id = warned
    walk_to(s, case_id, "MON_CLOSEOUT")
    later = CONFIRM_AT + timedelta(days=1)
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, s.world.villages[0])
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_CLOSEOUT", case_id, government, later)
    assert refused.value.reason == "乡镇尚未核实：住房安全有保障"
    verify_closeout(session=s.session, case_id=case_id, actor=government, results={"housing": False},
                    note="屋面未更换", now=later)
    s.session.commit()
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_CLOSEOUT", case_id, government, later)
    assert refused.value.reason == "核实未达标：住房安全有保障（长沙县住房和城乡建设局）"
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_CLOSEOUT", case_id, government, later, Move.RETURN)
    assert refused.value.reason == "退回须写明理由"
    move(s, "MON_CLOSEOUT", case_id, government, later, Move.RETURN, "核实未达标：屋面未更换")
    assert case(s, case_id).stage == "MON_ASSIST"
    with pytest.raises(TransitionRefused) as refused:  # the request of the first visit does not count again
        move(s, "MON_ASSIST", case_id, s.liaisons["housing"], later)
    assert refused.value.reason == "长沙县住房和城乡建设局尚未提出销号申请"


def test_assistance_cannot_be_sent_back_but_a_warning_can_be_rejected(warned):
    s, case_id = warned
    walk_to(s, case_id, "MON_ASSIST")
    with pytest.raises(TransitionRefused) as refused:
        move(s, "MON_ASSIST", case_id, s.liaisons["housing"], CONFIRM_AT, Move.RETURN, "非本部门职责")
    assert refused.value.reason == "行业部门补短帮扶并申请销号环节不能退回"


def test_the_township_may_reject_a_warning_it_does_not_confirm(warned):
    s, case_id = warned
    walk_to(s, case_id, "MON_CONFIRM")
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, s.world.villages[0])
    move(s, "MON_CONFIRM", case_id, government, CONFIRM_AT, Move.REJECT, "经核实住房已鉴定为安全住房")
    assert case(s, case_id).status == Status.REJECTED


def test_only_the_assigned_department_asks_for_close_out_and_says_what_it_did(warned):
    s, case_id = warned
    walk_to(s, case_id, "MON_ASSIST")
    with pytest.raises(InvalidInput) as wrong:
        request_closeout(session=s.session, case_id=case_id, actor=s.liaisons["water"], measures="供水", now=CONFIRM_AT)
    assert wrong.value.rule == "不是本案交办的行业部门责任人"
    with pytest.raises(InvalidInput) as empty:
        request_closeout(session=s.session, case_id=case_id, actor=s.liaisons["housing"], measures=" ",
                         now=CONFIRM_AT)
    assert empty.value.field == "帮扶措施"


def test_verification_must_cover_exactly_the_assigned_items(warned):
    s, case_id = warned
    walk_to(s, case_id, "MON_CLOSEOUT")
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, s.world.villages[0])
    with pytest.raises(InvalidInput) as extra:
        verify_closeout(session=s.session, case_id=case_id, actor=government, results={"housing": True, "water": True},
                        note="", now=CONFIRM_AT)
    assert (extra.value.value, extra.value.rule) == ("饮水安全", "不是本案交办的缺项")
