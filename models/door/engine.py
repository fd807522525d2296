"""The one door for every move of a case (DESIGN decision 3).

`apply` rules on a set of cases at once, with the door's own rules in their order (models/door/rules.py) and then
the stage's own guards; it writes the new state, the stage records and one audit event per case in the caller's
transaction, and `transition` commits it. A single decision is a set of one; bulk moves use the same door, with one
actor for all cases or one per case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TypeVar

from sqlmodel import Session

from models.core import audit
from models.core.actors import Actor
from models.core.bulk import db_value, execute_in, executemany
from models.core.case import Status
from models.core.errors import Conflict, TransitionRefused
from models.door.cases import CASE, RECORD, load_rows, lock_in_order, new_records
from models.door.chain import CaseRow, Chain, Stage, chain_named
from models.door.moves import MOVE_NAMES, MOVE_OUTCOME, Move
from models.door.rules import OBJECTION, WINDOW, WINDOW_CASE, Attempt, check_actor, rule_on, stage_rules

# The door's public names, some defined beside it: callers import them all from here.
__all__ = ["MOVE_NAMES", "MOVE_OUTCOME", "OBJECTION", "WINDOW", "WINDOW_CASE", "Move", "Result", "apply",
           "check_actor", "transition"]

NOT_FOUND = "案件不存在"

K = TypeVar("K")


@dataclass
class Result:
    """What a move did: the cases it moved, the retried ones it left unchanged, the refused ones and why."""

    moved: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def apply(
    *, session: Session, chain: str, stage: str, case_ids: Sequence[int], move: Move,
    actor: Actor | Mapping[int, Actor], now: datetime, reason: str = "", strict: bool = True,
    objection_id: int | None = None,
) -> Result:
    """Check and write a move for many cases in the caller's transaction (no commit).

    `actor` is the one person acting on every case, or a mapping from case id to its person.
    strict: any refusal raises TransitionRefused and nothing is written; otherwise the refused
    cases are reported and the others move.
    """
    the_chain = chain_named(chain)
    the_stage = the_chain.stage(stage)
    ids = list(dict.fromkeys(case_ids))
    actor_of = actor if isinstance(actor, Mapping) else dict.fromkeys(ids, actor)
    loaded = load_rows(session, ids)
    rows = [loaded[i] for i in ids if i in loaded and loaded[i].chain == the_chain.code]
    known = {r.id for r in rows}
    attempt = Attempt(the_chain, the_stage, move, actor_of, now, reason, objection_id is not None)
    ruling = rule_on(session, attempt, rows, stage_rules(the_stage))
    # In the order asked, so the first reason is the first case's.
    refused = {i: ruling.refused[i] if i in known else NOT_FOUND for i in ids
               if i not in known or i in ruling.refused}
    if refused and strict:
        raise TransitionRefused(refused)
    if ruling.passed:
        _write(session, the_chain, the_stage, ruling.passed, move, actor_of, now, reason, objection_id)
    return Result(moved=[r.id for r in ruling.passed], unchanged=ruling.unchanged, refused=refused)


def transition(
    *, session: Session, chain: str, stage: str, case_ids: Sequence[int], move: Move,
    actor: Actor | Mapping[int, Actor], now: datetime, reason: str = "", strict: bool = True,
    objection_id: int | None = None,
) -> Result:
    """`apply` in a transaction of its own: committed when it succeeds, rolled back when refused."""
    try:
        result = apply(session=session, chain=chain, stage=stage, case_ids=case_ids, move=move, actor=actor,
                       now=now, reason=reason, strict=strict, objection_id=objection_id)
        session.commit()
        return result
    except Exception:
        session.rollback()
        raise


def _write(
    session: Session, chain: Chain, stage: Stage, rows: Sequence[CaseRow], move: Move,
    actor_of: Mapping[int, Actor], now: datetime, reason: str, objection_id: int | None,
) -> None:
    rows = sorted(rows, key=lambda r: r.id)
    stays = move is Move.APPROVE and stage.window  # decided, waiting for its window
    target: Stage | None = None
    if move is Move.RETURN:
        assert stage.sends_back_to is not None
        target = chain.stage(stage.sends_back_to)
    elif move in (Move.APPROVE, Move.ADVANCE) and not stays:
        target = chain.next_after(stage.code)
    status = Status.REJECTED if move is Move.REJECT else Status.ACTIVE
    if target is None and move in (Move.APPROVE, Move.ADVANCE) and not stays:
        status = Status.EXITED
    new_stage = target.code if target else stage.code

    value = partial(db_value, session)
    people = {id(a): a for a in actor_of.values()}  # a bulk move has few people: read each one's row once
    person = {key: (a.id, a.name) for key, a in people.items()}
    # Two batches over the same cases queue on these locks (taken in id order, never in opposite orders, which
    # would deadlock); the later one then finds its versions stale and gets Conflict.
    lock_in_order(session, [r.id for r in rows])
    changed = sum(
        execute_in(session, "UPDATE {case} SET stage = ?, status = ?, version = version + 1"
                   " WHERE version = ? AND id IN ({ids})", ids, {"case": CASE},
                   (new_stage, value(CASE.c.status, status), version))
        for version, ids in _grouped((r.version, r.id) for r in rows).items()
    )
    if changed != len(rows):
        raise Conflict("案件已被他人修改，请刷新后重试；本次未写入任何内容")
    when = value(RECORD.c.left_at, now)
    if move is Move.ADVANCE and stage.role is not None:
        # The person's decision was recorded at APPROVE; the machine only ends the visit.
        execute_in(session, "UPDATE {record} SET left_at = ? WHERE id IN ({ids})", [r.record_id for r in rows],
                   {"record": RECORD}, (when,))
    else:
        decided = (when, value(RECORD.c.outcome, MOVE_OUTCOME[move]), reason)
        for actor_id, ids in _grouped((person[id(actor_of[r.id])][0], r.record_id) for r in rows).items():
            execute_in(session, "UPDATE {record} SET decided_at = ?, outcome = ?, reason = ?, actor_id = ?,"
                       " left_at = ? WHERE id IN ({ids})", ids, {"record": RECORD},
                       (*decided, actor_id, None if stays else when))
    if target is not None:
        records = new_records(rows, target, now)
        dues = {due: value(RECORD.c.due_at, due) for due in {r["due_at"] for r in records}}
        executemany(
            session, RECORD, "INSERT INTO {table} (case_id, stage, opened_at, due_at, reason) VALUES (?, ?, ?, ?, ?)",
            [(r["case_id"], r["stage"], when, dues[r["due_at"]], "") for r in records],
        )
    detail = {"stage": stage.code, "move": move.value, "to": new_stage, "status": status.value}
    if reason:
        detail["reason"] = reason
    if objection_id is not None:
        detail["objection"] = str(objection_id)
    action = f"{chain.code}.{move.value}"
    # One canonical text per version for the batch; "version", the only per-case key, sorts last.
    head = audit.canonical(detail)[:-1]
    texts = {v: f'{head},"version":{v + 1}}}' for v in {r.version for r in rows}}
    audit.append(session, [audit.Event(now, person[id(actor_of[r.id])][1], action, r.id, texts[r.version])
                           for r in rows])


def _grouped(pairs: Iterable[tuple[K, int | None]]) -> dict[K, list[int | None]]:
    """Ids grouped by a key (a version, a person), so one statement writes each group; ids in their given order."""
    groups: dict[K, list[int | None]] = {}
    for key, row_id in pairs:
        groups.setdefault(key, []).append(row_id)
    return groups
