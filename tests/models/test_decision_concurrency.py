"""Clerks deciding the same case at the same moment, each in a thread with its own session: exactly one decision
lands and every other clerk is told why theirs did not; two sweeps at once close each window and move each case once.

With the gate (tests/models/gate.py) every clerk has read the case before any of them writes, so all but one act on
a stale reading and must get the one door's Conflict. Without it the threads only start together on a barrier, and a
clerk who reads after the winner committed is refused (the case has moved on) or, repeating the winner's very move,
told it was already done. A raw database error (deadlock, lock timeout) is never an acceptable answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.core.actors import Role, actor_by_login, add_actor
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case, StageRecord, Status
from models.core.clock import parse
from models.core.db import session_scope
from models.core.errors import Conflict, TransitionRefused
from models.door.engine import MOVE_OUTCOME, Move, Result, transition
from synthetic.clerks import Clerks
from tests.models.gate import Gate, together
from tests.walk import CHAIN, open_all

STAGE = "COMMITTEE_REVIEW"
OPENED, DECIDED = parse("2026-10-08 09:00"), parse("2026-10-12 10:00")
CONFLICT = "案件已被他人修改，请刷新后重试；本次未写入任何内容"
CLERKS = 4
SAME = [Move.APPROVE] * CLERKS
MIXED = [Move.APPROVE, Move.RETURN, Move.REJECT, Move.RETURN]
REASONS = {Move.APPROVE: "", Move.RETURN: "评议未达三分之二多数，退回重新推荐", Move.REJECT: "家庭收入不实，不予通过"}

Outcome = tuple[str, Move, Result | BaseException]


@pytest.fixture
def committee(world) -> tuple[list[int], list[str]]:
    """The first village's cases at the committee review, and the names of its committee's clerks."""
    village = world.villages[0]
    open_all(world, OPENED)
    clerks = Clerks(world.session, CHAIN, 2026, village)
    cases = clerks.cases("GROUP_RECOMMEND")
    clerks.decide("GROUP_RECOMMEND", OPENED + timedelta(days=1), cases)
    names = [f"{village}村委会文书{n}" for n in range(CLERKS)]
    for name in names:
        add_actor(world.session, name=name, role=Role.VILLAGE_COMMITTEE, region_code=village)
    world.session.commit()
    return cases, names


def _race(database: str, jobs: list[tuple[str, Decide]], gate: Gate | None, staggered: bool = False) -> list[Outcome]:
    """Each clerk (name, decision) in a thread of their own, all at once (see `together`)."""
    def call(name: str, decide: Decide) -> Callable[[Session], Result]:
        return lambda session: decide(session=session, actor=actor_by_login(session, name))

    results = together(database, [call(name, decide) for name, decide in jobs], gate, staggered)
    return [(name, decide.move, result) for (name, decide), result in zip(jobs, results, strict=True)]


class Decide:
    """One clerk's decision on cases at the committee review."""

    def __init__(self, case_ids: list[int], move: Move) -> None:
        self.case_ids, self.move = case_ids, move

    def __call__(self, **kwargs: object) -> Result:
        return transition(chain=CHAIN, stage=STAGE, case_ids=self.case_ids, move=self.move, now=DECIDED,
                          reason=REASONS[self.move], **kwargs)


def _state(database: str, case_id: int) -> tuple[Case, list[StageRecord], list[AuditEvent]]:
    with session_scope(database) as session:
        case = session.get(Case, case_id)
        assert case is not None
        records = list(session.scalars(select(StageRecord).where(col(StageRecord.case_id) == case_id)
                                       .order_by(col(StageRecord.id))))
        events = list(session.scalars(select(AuditEvent).where(col(AuditEvent.case_id) == case_id)
                                      .order_by(col(AuditEvent.seq))))
        assert first_broken(session) is None
        return case, records, events


def _landed_once(database: str, case_id: int, before: tuple[Case, list[StageRecord], list[AuditEvent]],
                 winner: Move, winner_name: str) -> None:
    """The case moved once, by the winner's move: one decided visit, one audit event, version + 1."""
    case_before, records_before, events_before = before
    case, records, events = _state(database, case_id)
    nxt = HOUSEHOLD_EXIT.next_after(STAGE)
    assert nxt is not None
    expected = {Move.APPROVE: (nxt.code, Status.ACTIVE), Move.RETURN: ("GROUP_RECOMMEND", Status.ACTIVE),
                Move.REJECT: (STAGE, Status.REJECTED)}[winner]
    assert (case.stage, case.status, case.version) == (*expected, case_before.version + 1)
    assert len(records) == len(records_before) + (0 if winner is Move.REJECT else 1)
    decided = [r for r in records if r.stage == STAGE and r.decided_at is not None]
    assert [r.outcome for r in decided] == [MOVE_OUTCOME[winner]]
    with session_scope(database) as session:
        assert decided[0].actor_id == actor_by_login(session, winner_name).id
    new = events[len(events_before):]
    assert [e.action for e in new] == [f"{CHAIN}.{winner.value}"]
    assert json.loads(new[0].detail)["version"] == case_before.version + 1


def _judge(outcomes: list[Outcome], case_ids: list[int], gated: bool) -> tuple[str, Move]:
    """The one clerk whose decision landed; every other clerk got a clear answer."""
    landed = [(name, move) for name, move, result in outcomes
              if isinstance(result, Result) and sorted(result.moved) == sorted(case_ids)]
    assert len(landed) == 1, outcomes
    winner = landed[0]
    for name, move, result in outcomes:
        if (name, move) == winner:
            continue
        if isinstance(result, Conflict):
            assert str(result) == CONFLICT
        elif gated:
            pytest.fail(f"{name} got {result!r}; behind the gate every other clerk must get Conflict")
        elif isinstance(result, Result):
            assert move is winner[1] and sorted(result.unchanged) == sorted(case_ids) and not result.moved, result
        else:
            assert isinstance(result, TransitionRefused), repr(result)
            assert any(part in result.reason for part in ("不在“村委会评议”环节", "案件已办结")), result.reason
    return winner


@pytest.mark.parametrize("moves", [SAME, MIXED], ids=["same", "different"])
def test_clerks_deciding_one_case_behind_a_gate_one_lands_the_rest_get_conflict(database, committee, moves):
    cases, names = committee
    case_id = cases[0]
    before = _state(database, case_id)
    with Gate(database, "case") as gate:
        outcomes = _race(database, [(n, Decide([case_id], m)) for n, m in zip(names, moves, strict=True)], gate)
    winner, move = _judge(outcomes, [case_id], gated=True)
    assert sum(isinstance(r, Conflict) for _, _, r in outcomes) == CLERKS - 1
    _landed_once(database, case_id, before, move, winner)


@pytest.mark.parametrize("moves", [SAME, MIXED], ids=["same", "different"])
def test_clerks_deciding_each_case_at_once_one_decision_lands(database, committee, moves):
    cases, names = committee
    for case_id in cases:
        before = _state(database, case_id)
        outcomes = _race(database, [(n, Decide([case_id], m)) for n, m in zip(names, moves, strict=True)], None)
        winner, move = _judge(outcomes, [case_id], gated=False)
        _landed_once(database, case_id, before, move, winner)


def test_bulk_decisions_over_the_same_cases_in_opposite_orders_do_not_deadlock(database, committee):
    cases, names = committee
    pair = cases[:2]
    befores = {c: _state(database, c) for c in pair}
    jobs = [(names[0], Decide(pair, Move.APPROVE)), (names[1], Decide(pair[::-1], Move.APPROVE))]
    # PostgreSQL: the gate holds the first case only, so the second clerk queues there after taking the other one.
    with Gate(database, "case", ids=pair[:1]) as gate:
        outcomes = _race(database, jobs, gate, staggered=True)
    winner, _ = _judge(outcomes, pair, gated=True)
    for case_id in pair:
        _landed_once(database, case_id, befores[case_id], Move.APPROVE, winner)
