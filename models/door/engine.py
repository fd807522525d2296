"""The one door for every move of a case (DESIGN decision 3).

`apply` checks, for a set of cases at once, that each case's actor may act on the stage and in the
case's region, that no window or objection holds the case, and the stage's own guards; then it
writes the new state, the stage records and one audit event per case in the caller's transaction
(`transition` commits it). A single decision is a set of one; bulk moves use the same door, with
one actor for all cases or one per case. A retried move that already happened is reported as
unchanged, never applied twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial

from sqlalchemy import select
from sqlmodel import Session

from models.core import audit
from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.bulk import db_value, executemany, fetch_in, from_db
from models.core.case import STATUS_NAMES, TERMINAL, Outcome, Status
from models.core.clock import cn_date, last_day
from models.core.errors import Conflict, TransitionRefused
from models.core.publicity import Objection, ObjectionStatus, Window, WindowCase
from models.core.regions import LEVEL_NAMES
from models.door.cases import CASE, RECORD, load_rows, new_records
from models.door.chain import CaseRow, Chain, Stage, chain_named
from models.evidence.uploads import missing_required

WINDOW = Window.__table__  # type: ignore[attr-defined]
WINDOW_CASE = WindowCase.__table__  # type: ignore[attr-defined]
OBJECTION = Objection.__table__  # type: ignore[attr-defined]


class Move(StrEnum):
    APPROVE = "APPROVE"  # the stage's role decides yes
    RETURN = "RETURN"  # back to the stage the table names, with a reason
    REJECT = "REJECT"  # out of the chain, with a reason
    ADVANCE = "ADVANCE"  # the machine moves a case whose window has closed


MOVE_NAMES = {Move.APPROVE: "通过", Move.RETURN: "退回", Move.REJECT: "不予通过", Move.ADVANCE: "公示期满流转"}
MOVE_OUTCOME = {Move.APPROVE: Outcome.APPROVED, Move.ADVANCE: Outcome.APPROVED,
                Move.RETURN: Outcome.RETURNED, Move.REJECT: Outcome.REJECTED}


@dataclass
class Result:
    moved: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Posting:
    """The window a case's current stage visit was posted in."""

    ends_at: datetime
    closed_at: datetime | None


def _postings(session: Session, rows: Sequence[CaseRow]) -> tuple[dict[int, Posting], set[int]]:
    """Windows of the current visits (by case), and the cases with an open objection."""
    ends, closed = from_db(session, WINDOW.c.ends_at), from_db(session, WINDOW.c.closed_at)
    tables = {"window": WINDOW, "link": WINDOW_CASE, "objection": OBJECTION}
    windows = {
        case_id: Posting(ends(end), closed(shut))
        for case_id, end, shut in fetch_in(
            session, "SELECT l.case_id, w.ends_at, w.closed_at FROM {link} AS l JOIN {window} AS w"
            " ON w.id = l.window_id WHERE l.stage_record_id IN ({ids})", [r.record_id for r in rows], tables)
    }
    open_status = db_value(session, OBJECTION.c.status, ObjectionStatus.OPEN)
    objected = {
        case_id for case_id, status in fetch_in(
            session, "SELECT case_id, status FROM {objection} WHERE case_id IN ({ids})", [r.id for r in rows], tables)
        if status == open_status
    }
    return windows, objected


def _already_done(session: Session, row: CaseRow, stage: Stage, move: Move) -> bool:
    """Whether this exact move was already made (a retry), so it must not be applied again."""
    if row.stage == stage.code and row.status == Status.ACTIVE:
        # Still at the stage: only a window stage's recorded approval can have happened already.
        return move is Move.APPROVE and stage.window and row.record_outcome == Outcome.APPROVED
    latest = session.execute(
        select(RECORD.c.outcome).where(RECORD.c.case_id == row.id, RECORD.c.stage == stage.code)
        .order_by(RECORD.c.id.desc()).limit(1)
    ).scalar()
    return bool(latest == MOVE_OUTCOME[move])


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


def _refusals(
    session: Session, rows: dict[int, CaseRow], ids: Sequence[int], chain: Chain, stage: Stage, move: Move,
    actor_of: Mapping[int, Actor], now: datetime, reason: str, objection: bool,
) -> tuple[dict[int, str], list[int], list[CaseRow]]:
    """Refused cases with their reasons, retried ones, and the cases that may move."""
    if move in (Move.RETURN, Move.REJECT) and not reason.strip():
        return dict.fromkeys(ids, f"{MOVE_NAMES[move]}须写明理由"), [], []
    if move is Move.RETURN and stage.sends_back_to is None:
        return dict.fromkeys(ids, f"{stage.name}环节不能退回"), [], []
    refused: dict[int, str] = {}
    unchanged: list[int] = []
    candidates: list[CaseRow] = []
    problems = {a.id: check_actor(a, stage, move, objection) for a in {a.id: a for a in actor_of.values()}.values()}
    for case_id in ids:
        row, actor = rows.get(case_id), actor_of[case_id]
        if row is None or row.chain != chain.code:
            refused[case_id] = "案件不存在"
        elif not actor.covers(row.village_code):
            refused[case_id] = f"案件不在{actor.title()}的辖区内"
        elif problems[actor.id]:
            refused[case_id] = str(problems[actor.id])
        elif row.stage != stage.code or row.status != Status.ACTIVE or row.record_outcome is not None:
            if _already_done(session, row, stage, move):
                unchanged.append(case_id)
            elif row.status in TERMINAL:
                refused[case_id] = f"案件已办结（{STATUS_NAMES[Status(row.status)]}）"
            elif row.stage != stage.code:
                refused[case_id] = f"案件当前处于“{chain.stage(row.stage).name}”环节，不在“{stage.name}”环节"
            else:
                candidates.append(row)
        else:
            candidates.append(row)
    if not candidates:
        return refused, unchanged, candidates
    windows, objected = _postings(session, candidates)
    for row in candidates:
        window = windows.get(row.id)
        is_open = window is not None and window.closed_at is None and now < window.ends_at
        if row.id in objected and not objection:
            refused[row.id] = "有未处理的异议，须先核实处理"
        elif is_open and not objection:
            assert window is not None
            refused[row.id] = f"公示期未满（公示至{cn_date(last_day(window.ends_at))}），不能流转"
        elif move is Move.ADVANCE and stage.window and (window is None or window.closed_at is None):
            refused[row.id] = "公示期尚未结束" if window else "尚未张贴公示"
        elif move is Move.ADVANCE and stage.role is not None and row.record_outcome != Outcome.APPROVED:
            refused[row.id] = f"尚待{ROLE_NAMES[stage.role]}决定"
    if move in (Move.APPROVE, Move.ADVANCE):
        for guard in stage.guards:
            for case_id, why in guard.check(session, [r for r in candidates if r.id not in refused]).items():
                refused.setdefault(case_id, why)
        lacking = missing_required(session, chain.code, stage.code, [r for r in candidates if r.id not in refused])
        for case_id, why in lacking.items():
            refused.setdefault(case_id, why)
    return refused, unchanged, [r for r in candidates if r.id not in refused]


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
    rows = load_rows(session, ids)
    refused, unchanged, movers = _refusals(session, rows, ids, the_chain, the_stage, move, actor_of, now, reason,
                                           objection_id is not None)
    if refused and strict:
        raise TransitionRefused(refused)
    if movers:
        _write(session, the_chain, the_stage, movers, move, actor_of, now, reason, objection_id)
    return Result(moved=[r.id for r in movers], unchanged=unchanged, refused=refused)


def transition(**kwargs: object) -> Result:
    """`apply` in a transaction of its own: committed when it succeeds, rolled back when refused."""
    session = kwargs["session"]
    assert isinstance(session, Session)
    try:
        result = apply(**kwargs)  # type: ignore[arg-type]
        session.commit()
        return result
    except Exception:
        session.rollback()
        raise


def _write(
    session: Session, chain: Chain, stage: Stage, rows: Sequence[CaseRow], move: Move,
    actor_of: Mapping[int, Actor], now: datetime, reason: str, objection_id: int | None,
) -> None:
    # In id order: two batches over the same cases then lock them in the same order, so one waits for the other
    # and gets Conflict, where opposite orders would deadlock (PostgreSQL locks each row as it updates it).
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
    status_value = value(CASE.c.status, status)
    changed = executemany(
        session, CASE, "UPDATE {table} SET stage = ?, status = ?, version = version + 1 WHERE id = ? AND version = ?",
        [(new_stage, status_value, r.id, r.version) for r in rows],
    )
    if changed != len(rows):
        raise Conflict("案件已被他人修改，请刷新后重试；本次未写入任何内容")
    when = value(RECORD.c.left_at, now)
    if move is Move.ADVANCE and stage.role is not None:
        # The person's decision was recorded at APPROVE; the machine only ends the visit.
        executemany(session, RECORD, "UPDATE {table} SET left_at = ? WHERE id = ?", [(when, r.record_id) for r in rows])
    else:
        outcome = value(RECORD.c.outcome, MOVE_OUTCOME[move])
        executemany(
            session, RECORD,
            "UPDATE {table} SET decided_at = ?, outcome = ?, reason = ?, actor_id = ?, left_at = ? WHERE id = ?",
            [(when, outcome, reason, actor_of[r.id].id, None if stays else when, r.record_id) for r in rows],
        )
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
    # One canonical text for the batch; "version", the only per-case key, sorts last.
    head = audit.canonical(detail)[:-1]
    audit.append(session, [audit.Event(now, actor_of[r.id].name, action, r.id, f'{head},"version":{r.version + 1}}}')
                           for r in rows])
