"""The door's own rules (models/door/rules.py): each refuses with its reason, they run in their order before a
stage's guards, and a retried bulk move is found with one query whatever its size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from models.chains.edge_identify.stages import CODE as EDGE
from models.chains.household_exit.stages import CODE as EXIT
from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.chains.village_exit.stages import VILLAGE_EXIT
from models.core.actors import Actor, Role, system_actor
from models.core.case import Case
from models.core.clock import cn_date, last_day
from models.core.errors import InvalidInput, TransitionRefused
from models.core.publicity import Window
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.chain import CaseRow
from models.door.engine import Move, Result, transition
from models.door.objections import raise_objection
from models.door.rules import RULES, Attempt, Rule, evidence_complete, rule_on, stage_rules
from models.door.windows import close_due_windows, open_window
from synthetic.clerks import Clerks
from tests.edge_walk import apply_households, walk_to

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
ORDER = ["reason_given", "stage_sends_back", "actor_active", "in_actor_area", "actor_may_move", "not_retried",
         "still_active", "at_stage", "no_open_objection", "window_allows", "decided", "evidence_complete"]


def village_cases(world) -> list[int]:
    """Household exit cases for every household; those of the first village, at its first stage."""
    ids = open_cases(session=world.session, chain=EXIT, year=2026, household_ids=world.area.household_ids, now=T0,
                     actor=system_actor(world.session))
    world.session.commit()
    return [i for i in ids if world.session.get(Case, i).village_code == world.villages[0]]


def person(world, role: Role, village: str) -> Actor:
    return Clerks(world.session, EXIT, 2026, "").actor(role, village)


def refused(world, stage: str, case_ids: list[int], move: Move, actor: Actor, now: datetime = T0, reason: str = "",
            chain: str = EXIT) -> dict[int, str]:
    """The reasons the door gives for refusing the move (it must refuse)."""
    with pytest.raises(TransitionRefused) as raised:
        transition(session=world.session, chain=chain, stage=stage, case_ids=case_ids, move=move, actor=actor,
                   now=now, reason=reason)
    return raised.value.reasons


def move(world, stage: str, case_ids: list[int], how: Move, actor: Actor, now: datetime = T0, reason: str = "",
         chain: str = EXIT) -> Result:
    return transition(session=world.session, chain=chain, stage=stage, case_ids=case_ids, move=how, actor=actor,
                      now=now, reason=reason)


def test_the_rules_run_in_their_order_and_the_stage_guards_after_them():
    assert [r.name for r in RULES] == ORDER
    home_check = HOUSEHOLD_EXIT.stage("HOME_CHECK")
    assert [r.name for r in stage_rules(home_check)] == [*ORDER, "home_check_passed"]
    assert {r.name: r.moves for r in stage_rules(home_check)}["home_check_passed"] == {Move.APPROVE, Move.ADVANCE}


# Each rule, with its reason.

def test_a_return_or_a_rejection_without_a_reason_is_refused(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    assert refused(world, "GROUP_RECOMMEND", ids, Move.REJECT, leader, reason="  ") == dict.fromkeys(
        ids, "不予通过须写明理由")
    move(world, "GROUP_RECOMMEND", ids, Move.APPROVE, leader)
    committee = person(world, Role.VILLAGE_COMMITTEE, world.villages[0])
    assert refused(world, "COMMITTEE_REVIEW", ids[:1], Move.RETURN, committee) == {ids[0]: "退回须写明理由"}


def test_a_stage_that_names_no_earlier_stage_cannot_send_back(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.RETURN, leader, reason="材料不全") == {
        ids[0]: "村民小组推荐环节不能退回"}


def test_a_person_acts_only_in_their_own_area(world):
    ids = village_cases(world)
    neighbour = person(world, Role.GROUP_LEADER, world.villages[1])
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, neighbour) == {
        ids[0]: f"案件不在{neighbour.title()}的辖区内"}


def test_the_stage_role_decides_and_the_machine_alone_advances(world):
    ids = village_cases(world)
    committee = person(world, Role.VILLAGE_COMMITTEE, world.villages[0])
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, committee) == {
        ids[0]: f"村民小组推荐环节须由村民小组长决定，{committee.title()}无权决定"}
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.ADVANCE, leader) == {ids[0]: "公示期满后的流转由系统完成"}


def test_a_retried_move_is_unchanged_and_writes_nothing(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    assert move(world, "GROUP_RECOMMEND", ids, Move.APPROVE, leader).moved == ids
    versions = [world.session.get(Case, i).version for i in ids]
    again = move(world, "GROUP_RECOMMEND", ids, Move.APPROVE, leader)
    assert (again.moved, again.unchanged, again.refused) == ([], ids, {})
    world.session.expire_all()
    assert [world.session.get(Case, i).version for i in ids] == versions


def test_another_move_at_a_stage_the_case_has_left_is_not_a_retry(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    move(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, leader)
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.REJECT, leader, reason="收入不实") == {
        ids[0]: "案件当前处于“村委会评议”环节，不在“村民小组推荐”环节"}


def test_a_finished_case_moves_no_more(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    move(world, "GROUP_RECOMMEND", ids[:1], Move.REJECT, leader, reason="家庭收入不稳定")
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, leader) == {ids[0]: "案件已办结（未通过）"}


def test_a_move_is_made_at_the_stage_the_case_is_at(world):
    ids = village_cases(world)
    committee = person(world, Role.VILLAGE_COMMITTEE, world.villages[0])
    assert refused(world, "COMMITTEE_REVIEW", ids[:1], Move.APPROVE, committee) == {
        ids[0]: "案件当前处于“村民小组推荐”环节，不在“村委会评议”环节"}


def test_a_case_that_does_not_exist_in_the_chain_is_not_found(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    assert refused(world, "EDGE_APPLICATION", ids[:1], Move.APPROVE, leader, chain=EDGE) == {ids[0]: "案件不存在"}
    assert refused(world, "GROUP_RECOMMEND", [ids[0], 999_999], Move.APPROVE, leader) == {999_999: "案件不存在"}


def test_the_machine_advances_a_decided_stage_only_once_its_role_decided(world):
    ids = village_cases(world)
    system = system_actor(world.session)
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.ADVANCE, system) == {ids[0]: "尚待村民小组长决定"}


@pytest.fixture
def publicity(world):
    """An edge household case at the first village publicity, not yet posted, and the machine's actor."""
    ids = apply_households(world)
    now = walk_to(world, ids, "EDGE_FIRST_PUBLICITY", datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    return ids, now, system_actor(world.session)


def post(world, now: datetime, system: Actor) -> Window:
    machine.post_notices(session=world.session, chain=EDGE, stage="EDGE_FIRST_PUBLICITY", scope="", year=2026,
                         now=now, actor=system)
    world.session.commit()
    window = world.session.scalars(select(Window).where(Window.chain == EDGE)).one()
    return window


def test_a_window_stage_advances_only_after_its_window_was_posted_and_closed(world, publicity):
    ids, now, system = publicity
    stage = "EDGE_FIRST_PUBLICITY"
    assert refused(world, stage, ids, Move.ADVANCE, system, now, chain=EDGE) == dict.fromkeys(ids, "尚未张贴公示")
    window = post(world, now, system)
    ends = cn_date(last_day(window.ends_at))
    assert refused(world, stage, ids, Move.ADVANCE, system, now + timedelta(days=1), chain=EDGE) == dict.fromkeys(
        ids, f"公示期未满（公示至{ends}），不能流转")
    # Past its last day but not yet closed by the sweep: still not over.
    assert refused(world, stage, ids, Move.ADVANCE, system, window.ends_at, chain=EDGE) == dict.fromkeys(
        ids, "公示期尚未结束")
    close_due_windows(session=world.session, now=window.ends_at, actor=system)
    assert move(world, stage, ids, Move.ADVANCE, system, window.ends_at, chain=EDGE).moved == ids


def test_an_open_objection_holds_the_case_and_is_named_before_the_window(world, publicity):
    ids, now, system = publicity
    window = post(world, now, system)
    raise_objection(session=world.session, case_id=ids[0], raised_by="张三", content="家中有车", now=now, actor=system)
    world.session.commit()
    stage = "EDGE_FIRST_PUBLICITY"
    objected = {ids[0]: "有未处理的异议，须先核实处理"}
    assert refused(world, stage, ids[:1], Move.ADVANCE, system, now, chain=EDGE) == objected
    close_due_windows(session=world.session, now=window.ends_at, actor=system)
    world.session.commit()
    assert refused(world, stage, ids[:1], Move.ADVANCE, system, window.ends_at, chain=EDGE) == objected


def test_a_stage_that_needs_evidence_completes_only_with_it(world):
    stage = VILLAGE_EXIT.stage("VILLAGE_REQUEST")
    row = CaseRow(id=1, chain=VILLAGE_EXIT.code, year=2026, stage=stage.code, status="ACTIVE", version=1,
                  village_code=world.villages[0], household_id=None, record_id=1, record_opened_at=T0,
                  record_outcome=None)
    attempt = Attempt(VILLAGE_EXIT, stage, Move.APPROVE, {1: system_actor(world.session)}, T0)
    assert evidence_complete(world.session, attempt, [row]) == {1: "“乡镇请示县验收”须先上传佐证材料：公示照片"}


# The order: a case that breaks several rules is told the first.

def test_the_area_is_named_before_the_role(world):
    ids = village_cases(world)
    stranger = person(world, Role.VILLAGE_COMMITTEE, world.villages[1])
    assert refused(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, stranger) == {
        ids[0]: f"案件不在{stranger.title()}的辖区内"}


def test_a_retry_by_the_wrong_role_is_refused_not_unchanged(world):
    ids = village_cases(world)
    move(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, person(world, Role.GROUP_LEADER, world.villages[0]))
    committee = person(world, Role.VILLAGE_COMMITTEE, world.villages[0])
    assert "无权决定" in refused(world, "GROUP_RECOMMEND", ids[:1], Move.APPROVE, committee)[ids[0]]


def test_a_retried_rejection_of_a_finished_case_is_unchanged_not_refused(world):
    ids = village_cases(world)
    leader = person(world, Role.GROUP_LEADER, world.villages[0])
    move(world, "GROUP_RECOMMEND", ids[:1], Move.REJECT, leader, reason="家庭收入不稳定")
    assert move(world, "GROUP_RECOMMEND", ids[:1], Move.REJECT, leader, reason="家庭收入不稳定").unchanged == ids[:1]


def test_a_finished_case_is_named_finished_before_its_stage(world):
    ids = village_cases(world)
    move(world, "GROUP_RECOMMEND", ids[:1], Move.REJECT, person(world, Role.GROUP_LEADER, world.villages[0]),
         reason="家庭收入不稳定")
    committee = person(world, Role.VILLAGE_COMMITTEE, world.villages[0])
    assert refused(world, "COMMITTEE_REVIEW", ids[:1], Move.APPROVE, committee) == {ids[0]: "案件已办结（未通过）"}


def test_each_rule_sees_only_the_cases_no_earlier_rule_stopped(world):
    rows = [CaseRow(id=i, chain=EXIT, year=2026, stage="GROUP_RECOMMEND", status="ACTIVE", version=1,
                    village_code=world.villages[0], household_id=None, record_id=i, record_opened_at=T0,
                    record_outcome=None) for i in (1, 2, 3, 4)]
    seen: list[list[int]] = []

    def stopping(case_id: int, why: str):
        def check(session: Session, attempt: Attempt, rows: list[CaseRow]) -> dict[int, str]:
            seen.append([r.id for r in rows])
            return {case_id: why} if any(r.id == case_id for r in rows) else {}
        return check

    rules = [Rule("first", stopping(2, "第一条")),
             Rule("only_returns", stopping(3, "只管退回"), frozenset({Move.RETURN})),
             Rule("retried", stopping(3, "已办理"), retry=True),
             Rule("last", stopping(4, "最后一条"))]
    attempt = Attempt(HOUSEHOLD_EXIT, HOUSEHOLD_EXIT.first, Move.APPROVE, {}, T0)
    ruling = rule_on(world.session, attempt, rows, rules)
    assert seen == [[1, 2, 3, 4], [1, 3, 4], [1, 4]]
    assert ruling.refused == {2: "第一条", 4: "最后一条"} and ruling.unchanged == [3]
    assert [r.id for r in ruling.passed] == [1]


# A retried bulk move costs one query, not one per case.

@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """Every SQL statement the session's connection runs inside the block (SQLite's trace hook)."""
    seen: list[str] = []
    connection = session.connection().connection.dbapi_connection
    assert connection is not None
    connection.set_trace_callback(seen.append)  # type: ignore[attr-defined]
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)  # type: ignore[attr-defined]


# SQLite only: the statements are counted with SQLite's trace hook (the door writes through the DB-API cursor).
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("how_many", [1, 24])
def test_a_retried_bulk_move_costs_the_same_queries_for_one_case_or_many(world, database, how_many):
    open_cases(session=world.session, chain=EXIT, year=2026, household_ids=world.area.household_ids, now=T0,
               actor=system_actor(world.session))
    world.session.commit()
    clerks = Clerks(world.session, EXIT, 2026, "")
    actors = clerks.assign("GROUP_RECOMMEND")
    chosen = dict(list(actors.items())[:how_many])
    clerks.decide("GROUP_RECOMMEND", T0, list(chosen))
    with statements(world.session) as seen:
        again = transition(session=world.session, chain=EXIT, stage="GROUP_RECOMMEND", case_ids=list(chosen),
                           move=Move.APPROVE, actor=chosen, now=T0)
    assert again.unchanged == list(chosen)
    # Loading the cases, and the one look at their last visit to the stage.
    assert [s.split()[0] for s in seen if not s.startswith(("BEGIN", "COMMIT"))] == ["SELECT", "SELECT"]
    assert len(load_rows(world.session, list(chosen))) == how_many


# Refusals about no case at all are not TransitionRefused.

def test_a_refusal_names_the_cases_it_refuses():
    with pytest.raises(ValueError, match="names the cases"):
        TransitionRefused({})


def test_posting_no_case_is_bad_input_not_a_refused_case(world):
    with pytest.raises(InvalidInput) as error:
        open_window(session=world.session, scope_code=world.villages[0], case_ids=[], now=T0,
                    actor=system_actor(world.session))
    assert error.value.rule == "至少包含一个待公示的案件"
