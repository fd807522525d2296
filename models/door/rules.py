"""The door's own checks: an ordered list of small named rules, each stopping the cases it refuses with its reason.

In the spirit of Prefect's orchestration rules (server/orchestration/core_policy.py: one rule per concern, for the
moves it names, rejecting with a reason), run before a stage's own guards. A rule looks at every case of a move at
once, like a guard, so a bulk move of thousands of cases costs each rule one query (per 2,000 cases) at most.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlmodel import Session

from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.bulk import db_value, fetch_in, from_db
from models.core.case import STATUS_NAMES, TERMINAL, Outcome, Status
from models.core.clock import cn_date, last_day
from models.core.publicity import Objection, ObjectionStatus, Window, WindowCase
from models.core.regions import LEVEL_NAMES
from models.door.cases import RECORD
from models.door.chain import CaseRow, Chain, Guard, Stage
from models.door.moves import MOVE_NAMES, MOVE_OUTCOME, Move
from models.evidence.uploads import missing_required

WINDOW = Window.__table__  # type: ignore[attr-defined]
WINDOW_CASE = WindowCase.__table__  # type: ignore[attr-defined]
OBJECTION = Objection.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Attempt:
    """A move asked of the door: which move, at which stage of which chain, by whom (per case) and when."""

    chain: Chain
    stage: Stage
    move: Move
    actor_of: Mapping[int, Actor]
    now: datetime
    reason: str = ""
    objection: bool = False  # the move settles an objection (raised against a case in its window)


RuleCheck = Callable[[Session, Attempt, Sequence[CaseRow]], dict[int, str]]


@dataclass(frozen=True)
class Rule:
    """One concern of the door: for the moves it names, the cases it stops, each with the reason a cadre reads."""

    name: str
    check: RuleCheck
    moves: frozenset[Move] = frozenset(Move)
    retry: bool = False  # the cases it stops already made this very move: reported unchanged, never refused


@dataclass
class Ruling:
    """What the rules decided: refused cases with their reasons, retried ones, and the cases that passed."""

    refused: dict[int, str] = field(default_factory=dict)
    unchanged: list[int] = field(default_factory=list)
    passed: list[CaseRow] = field(default_factory=list)


def check_actor(actor: Actor, stage: Stage, move: Move, objection: bool) -> str | None:
    """Why this person may not make this move at this stage; None if they may."""
    if move is Move.ADVANCE:
        return None if actor.role is Role.SYSTEM else "公示期满后的流转由系统完成"
    if objection:
        if actor.level is not stage.level:
            return f"{stage.name}环节的异议须由{LEVEL_NAMES[stage.level]}处理，{actor.title()}无权处理"
        return None
    if stage.role is None:
        return f"{stage.name}环节无需人工决定，公示期满且无异议后由系统流转"
    if actor.role is not stage.role:
        return f"{stage.name}环节须由{ROLE_NAMES[stage.role]}决定，{actor.title()}无权决定"
    return None


def reason_given(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A case sent back or turned down is told why."""
    if attempt.reason.strip():
        return {}
    return dict.fromkeys((r.id for r in rows), f"{MOVE_NAMES[attempt.move]}须写明理由")


def stage_sends_back(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Only a stage whose table names an earlier stage can send a case back."""
    if attempt.stage.sends_back_to is not None:
        return {}
    return dict.fromkeys((r.id for r in rows), f"{attempt.stage.name}环节不能退回")


def actor_active(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A deactivated person acts no more (what they decided before stays in the record)."""
    return {r.id: f"{actor.title()}已停用，不能办理" for r in rows if not (actor := attempt.actor_of[r.id]).active}


def in_actor_area(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A person acts only on cases of villages inside their region."""
    covered: dict[tuple[int, str], bool] = {}  # by (person, village): a bulk move has few of each
    refused: dict[int, str] = {}
    for row in rows:
        actor = attempt.actor_of[row.id]
        key = (id(actor), row.village_code)
        if key not in covered:
            covered[key] = actor.covers(row.village_code)
        if not covered[key]:
            refused[row.id] = f"案件不在{actor.title()}的辖区内"
    return refused


def actor_may_move(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The stage's role decides, the machine advances, the level of the stage settles an objection."""
    people = {id(a): a for a in attempt.actor_of.values()}
    problems = {key: check_actor(a, attempt.stage, attempt.move, attempt.objection) for key, a in people.items()}
    if not any(problems.values()):
        return {}
    return {r.id: problem for r in rows if (problem := problems[id(attempt.actor_of[r.id])])}


def not_retried(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A move that already happened (a retry, or a second clerk's click) is reported unchanged, not made twice.

    A case still at the stage has made it only if the stage is a window stage and its approval is recorded;
    a case that left the stage (or was finished at it) made it if its last visit there ended with this outcome.
    """
    stage, move = attempt.stage, attempt.move
    done = "已办理，同一决定不重复写入"
    retried: dict[int, str] = {}
    if move is Move.APPROVE and stage.window:
        retried = {r.id: done for r in rows if r.record_outcome == Outcome.APPROVED and r.stage == stage.code
                   and r.status == Status.ACTIVE}
    gone = [r.id for r in rows if r.stage != stage.code or r.status != Status.ACTIVE]
    if not gone:
        return retried
    latest: dict[int, str | None] = {}
    for case_id, outcome in fetch_in(
        session, "SELECT case_id, outcome FROM {record} WHERE stage = ? AND case_id IN ({ids}) ORDER BY id", gone,
        {"record": RECORD}, (stage.code,),
    ):
        latest[case_id] = outcome
    wanted = db_value(session, RECORD.c.outcome, MOVE_OUTCOME[move])
    retried.update((case_id, done) for case_id in gone if case_id in latest and latest[case_id] == wanted)
    return retried


def still_active(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A finished case (exited or turned down) moves no more."""
    return {r.id: f"案件已办结（{STATUS_NAMES[Status(r.status)]}）" for r in rows if r.status in TERMINAL}


def at_stage(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A move is made at the stage the case is at."""
    chain, stage = attempt.chain, attempt.stage
    return {r.id: f"案件当前处于“{chain.stage(r.stage).name}”环节，不在“{stage.name}”环节"
            for r in rows if r.stage != stage.code}


def no_open_objection(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """An objection raised against a case is settled before the case moves (settling it is the move itself)."""
    if attempt.objection:
        return {}
    objected = fetch_in(session, "SELECT case_id FROM {objection} WHERE status = ? AND case_id IN ({ids})",
                        [r.id for r in rows], {"objection": OBJECTION},
                        (db_value(session, OBJECTION.c.status, ObjectionStatus.OPEN),))
    return dict.fromkeys((case_id for case_id, in objected), "有未处理的异议，须先核实处理")


def window_allows(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A case in an open publicity window waits for its end (unless an objection is settled); the machine advances
    a window stage's case only once its window has been posted and closed."""
    stage, move = attempt.stage, attempt.move
    if not stage.window:
        return {}  # only a window stage's visits are ever posted (models/door/windows.py)
    ends, closed = cache(from_db(session, WINDOW.c.ends_at)), cache(from_db(session, WINDOW.c.closed_at))
    windows = {case_id: (ends(end), closed(shut)) for case_id, end, shut in fetch_in(
        session, "SELECT l.case_id, w.ends_at, w.closed_at FROM {link} AS l JOIN {window} AS w"
        " ON w.id = l.window_id WHERE l.stage_record_id IN ({ids})", [r.record_id for r in rows],
        {"window": WINDOW, "link": WINDOW_CASE})}
    refused: dict[int, str] = {}
    for row in rows:
        window = windows.get(row.id)
        if window is None:
            if move is Move.ADVANCE:
                refused[row.id] = "尚未张贴公示"
            continue
        ends_at, closed_at = window
        if closed_at is None and attempt.now < ends_at and not attempt.objection:
            refused[row.id] = f"公示期未满（公示至{cn_date(last_day(ends_at))}），不能流转"
        elif closed_at is None and move is Move.ADVANCE:
            refused[row.id] = "公示期尚未结束"
    return refused


def decided(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The machine advances a stage that has a deciding role only after that role approved."""
    role = attempt.stage.role
    if role is None:
        return {}
    return {r.id: f"尚待{ROLE_NAMES[role]}决定" for r in rows if r.record_outcome != Outcome.APPROVED}


def evidence_complete(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
    """A stage the policy says needs evidence completes only with a file of every kind it names."""
    return missing_required(session, attempt.chain.code, attempt.stage.code, rows)


FORWARD = frozenset({Move.APPROVE, Move.ADVANCE})

RULES: tuple[Rule, ...] = (
    Rule("reason_given", reason_given, frozenset({Move.RETURN, Move.REJECT})),
    Rule("stage_sends_back", stage_sends_back, frozenset({Move.RETURN})),
    Rule("actor_active", actor_active),
    Rule("in_actor_area", in_actor_area),
    Rule("actor_may_move", actor_may_move),
    Rule("not_retried", not_retried, retry=True),
    Rule("still_active", still_active),
    Rule("at_stage", at_stage),
    Rule("no_open_objection", no_open_objection),
    Rule("window_allows", window_allows),
    Rule("decided", decided, frozenset({Move.ADVANCE})),
    Rule("evidence_complete", evidence_complete, FORWARD),
)


def guard_rule(guard: Guard) -> Rule:
    """A stage's own guard as a rule: it judges the forward moves only."""

    def check(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
        return guard.check(session, rows)

    return Rule(guard.name, check, FORWARD)


def stage_rules(stage: Stage) -> tuple[Rule, ...]:
    """The door's rules, then the stage's own guards."""
    return RULES + tuple(guard_rule(g) for g in stage.guards)


def rule_on(session: Session, attempt: Attempt, rows: Sequence[CaseRow], rules: Sequence[Rule] = RULES) -> Ruling:
    """Run the rules in order; each sees only the cases no earlier rule stopped."""
    ruling = Ruling()
    left = list(rows)
    for rule in rules:
        if not left:
            break
        if attempt.move not in rule.moves:
            continue
        stopped = rule.check(session, attempt, left)
        if not stopped:
            continue
        if rule.retry:
            ruling.unchanged += [r.id for r in left if r.id in stopped]
        else:
            ruling.refused.update((r.id, stopped[r.id]) for r in left if r.id in stopped)
        left = [r for r in left if r.id not in stopped]
    ruling.passed = left
    return ruling
