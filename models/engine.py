"""The one door for every move of a case (DESIGN decision 3).

`transition` checks, for a set of cases at once, that the actor may act on the stage and the
region, that no window or objection holds the case, and the stage's own guards; then it writes
the new state, the stage records and one audit event per case in the caller's transaction.
A single decision is a set of one; the flows' bulk moves use the same door.
A retried move that already happened is reported as unchanged, never applied twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, bindparam, insert, select, update
from sqlmodel import Session, col

from models import audit
from models.actors import ROLE_NAMES, Actor, Role
from models.case import OUTCOME_NAMES, STATUS_NAMES, TERMINAL, Case, Outcome, StageRecord, Status
from models.chain import CaseRow, Chain, Stage, chain_named
from models.clock import cn_date, deadline, last_day
from models.errors import Conflict, InvalidInput, TransitionRefused
from models.policy import Policy, policy_for
from models.publicity import Objection, ObjectionStatus, Window, WindowCase
from models.regions import LEVEL_NAMES

CASE = Case.__table__  # type: ignore[attr-defined]
RECORD = StageRecord.__table__  # type: ignore[attr-defined]
WINDOW = Window.__table__  # type: ignore[attr-defined]
WINDOW_CASE = WindowCase.__table__  # type: ignore[attr-defined]
OBJECTION = Objection.__table__  # type: ignore[attr-defined]
CHUNK = 5000


class Move(StrEnum):
    APPROVE = "APPROVE"  # the stage's role decides yes
    RETURN = "RETURN"  # back to the stage the table names, with a reason
    REJECT = "REJECT"  # out of the chain, with a reason
    ADVANCE = "ADVANCE"  # the machine moves a case whose window has closed


MOVE_NAMES = {Move.APPROVE: "通过", Move.RETURN: "退回", Move.REJECT: "不予通过", Move.ADVANCE: "公示期满进入下一环节"}
MOVE_OUTCOME = {Move.APPROVE: Outcome.APPROVED, Move.ADVANCE: Outcome.APPROVED,
                Move.RETURN: Outcome.RETURNED, Move.REJECT: Outcome.REJECTED}


@dataclass
class Result:
    moved: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def load_rows(session: Session, case_ids: Iterable[int]) -> dict[int, CaseRow]:
    """Cases with their open stage record, read in chunks."""
    ids = list(dict.fromkeys(case_ids))
    rows: dict[int, CaseRow] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(CASE, RECORD.c.id.label("record_id"), RECORD.c.opened_at.label("record_opened_at"),
                   RECORD.c.outcome.label("record_outcome"))
            .select_from(CASE.outerjoin(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None))))
            .where(CASE.c.id.in_(ids[start:start + CHUNK]))
        )
        for r in session.execute(query).mappings():
            rows[r["id"]] = CaseRow(
                id=r["id"], chain=r["chain"], year=r["year"], stage=r["stage"], status=r["status"],
                version=r["version"], village_code=r["village_code"], household_id=r["household_id"],
                record_id=r["record_id"], record_opened_at=r["record_opened_at"], record_outcome=r["record_outcome"],
            )
    return rows


@dataclass(frozen=True)
class Posting:
    """The window a case's current stage visit was posted in."""

    ends_at: datetime
    closed_at: datetime | None


def _held(session: Session, rows: Sequence[CaseRow], now: datetime) -> tuple[dict[int, Posting], set[int], set[int]]:
    """Windows of the current visits (by case), the cases whose window is open, those with an open objection."""
    record_ids = [r.record_id for r in rows]
    windows: dict[int, Posting] = {}
    for start in range(0, len(record_ids), CHUNK):
        query = (
            select(WINDOW_CASE.c.case_id, WINDOW.c.ends_at, WINDOW.c.closed_at)
            .join(WINDOW, WINDOW.c.id == WINDOW_CASE.c.window_id)
            .where(WINDOW_CASE.c.stage_record_id.in_(record_ids[start:start + CHUNK]))
        )
        windows.update({case_id: Posting(ends, closed) for case_id, ends, closed in session.execute(query)})
    case_ids = [r.id for r in rows]
    objected: set[int] = set()
    for start in range(0, len(case_ids), CHUNK):
        query2 = select(OBJECTION.c.case_id).where(
            OBJECTION.c.case_id.in_(case_ids[start:start + CHUNK]), OBJECTION.c.status == ObjectionStatus.OPEN
        )
        objected.update(session.execute(query2).scalars())
    open_now = {case_id for case_id, w in windows.items() if w.closed_at is None and now < w.ends_at}
    return windows, open_now, objected


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
    actor: Actor, now: datetime, reason: str, objection: bool,
) -> tuple[dict[int, str], list[int], list[CaseRow]]:
    refused: dict[int, str] = {}
    unchanged: list[int] = []
    candidates: list[CaseRow] = []
    if move in (Move.RETURN, Move.REJECT) and not reason.strip():
        return dict.fromkeys(ids, f"{MOVE_NAMES[move]}须写明理由"), [], []
    if move is Move.RETURN and stage.sends_back_to is None:
        return dict.fromkeys(ids, f"{stage.name}环节不能退回"), [], []
    actor_problem = check_actor(actor, stage, move, objection)
    for case_id in ids:
        row = rows.get(case_id)
        if row is None or row.chain != chain.code:
            refused[case_id] = "案件不存在"
        elif not actor.covers(row.village_code):
            refused[case_id] = f"案件不在{actor.title()}的辖区内"
        elif actor_problem:
            refused[case_id] = actor_problem
        elif _already_done(session, row, stage, move):
            unchanged.append(case_id)
        elif row.status in TERMINAL:
            refused[case_id] = f"案件已办结（{STATUS_NAMES[Status(row.status)]}）"
        elif row.stage != stage.code:
            refused[case_id] = f"案件当前处于“{chain.stage(row.stage).name}”环节，不在“{stage.name}”环节"
        else:
            candidates.append(row)
    if not candidates:
        return refused, unchanged, candidates
    windows, open_now, objected = _held(session, candidates, now)
    for row in candidates:
        window = windows.get(row.id)
        if row.id in objected and not objection:
            refused[row.id] = "有未处理的异议，须先核实处理"
        elif row.id in open_now and not objection:
            refused[row.id] = f"公示期未满（公示至{cn_date(last_day(windows[row.id].ends_at))}），不能流转"
        elif move is Move.ADVANCE and stage.window and (window is None or window.closed_at is None):
            refused[row.id] = "公示期尚未结束" if window else "尚未张贴公示"
        elif move is Move.ADVANCE and stage.role is not None and row.record_outcome != Outcome.APPROVED:
            refused[row.id] = f"尚待{ROLE_NAMES[stage.role]}决定"
    checked = [r for r in candidates if r.id not in refused]
    if move in (Move.APPROVE, Move.ADVANCE):
        for guard in stage.guards:
            for case_id, why in guard.check(session, [r for r in checked if r.id not in refused]).items():
                refused.setdefault(case_id, why)
    return refused, unchanged, [r for r in checked if r.id not in refused]


def apply(
    *, session: Session, chain: str, stage: str, case_ids: Sequence[int], move: Move, actor: Actor,
    now: datetime, reason: str = "", strict: bool = True, objection_id: int | None = None,
) -> Result:
    """Check and write a move for many cases in the caller's transaction (no commit).

    strict: any refusal raises TransitionRefused and nothing is written.
    Otherwise the refused cases are reported and the others move.
    """
    the_chain = chain_named(chain)
    the_stage = the_chain.stage(stage)
    rows = load_rows(session, case_ids)
    refused, unchanged, movers = _refusals(
        session, rows, list(dict.fromkeys(case_ids)), the_chain, the_stage, move, actor, now, reason,
        objection_id is not None,
    )
    if refused and strict:
        raise TransitionRefused(refused)
    result = Result(moved=[r.id for r in movers], unchanged=unchanged, refused=refused)
    if movers:
        _write(session, the_chain, the_stage, movers, move, actor, now, reason, objection_id)
    return result


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


def _policies(rows: Sequence[CaseRow]) -> dict[tuple[str, int], Policy]:
    return {(r.village_code[:2], r.year): policy_for(r.village_code, r.year) for r in rows}


def _write(
    session: Session, chain: Chain, stage: Stage, rows: Sequence[CaseRow], move: Move, actor: Actor,
    now: datetime, reason: str, objection_id: int | None,
) -> None:
    stays = move is Move.APPROVE and stage.window  # decided, waiting for its window
    target: Stage | None
    if move is Move.RETURN:
        assert stage.sends_back_to is not None
        target = chain.stage(stage.sends_back_to)
    elif move is Move.REJECT or stays:
        target = None
    else:
        target = chain.next_after(stage.code)
    status = Status.REJECTED if move is Move.REJECT else Status.ACTIVE
    if target is None and move in (Move.APPROVE, Move.ADVANCE) and not stays:
        status = Status.EXITED
    new_stage = target.code if target else stage.code
    outcome = MOVE_OUTCOME[move]

    versions = [{"b_id": r.id, "b_version": r.version, "stage": new_stage, "status": status} for r in rows]
    changed = session.execute(
        update(CASE).where(CASE.c.id == bindparam("b_id"), CASE.c.version == bindparam("b_version"))
        .values(stage=bindparam("stage"), status=bindparam("status"), version=CASE.c.version + 1),
        versions,
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed != len(rows):
        raise Conflict("案件已被他人修改，请刷新后重试；本次未写入任何内容")

    record_values: dict[str, object]
    if move is Move.ADVANCE and stage.role is not None:
        # The person's decision was recorded at APPROVE; the machine only ends the visit.
        record_values = {"left_at": now}
    else:
        record_values = {"decided_at": now, "outcome": outcome, "reason": reason, "actor_id": actor.id}
        if not stays:
            record_values["left_at"] = now
    session.execute(
        update(RECORD).where(RECORD.c.id == bindparam("b_record")).values(**record_values),
        [{"b_record": r.record_id} for r in rows],
        execution_options={"synchronize_session": False},
    )
    if target is not None:
        policies = _policies(rows)
        session.execute(
            insert(RECORD),
            [
                {"case_id": r.id, "stage": target.code, "opened_at": now,
                 "due_at": _due(policies[(r.village_code[:2], r.year)], target, now), "reason": ""}
                for r in rows
            ],
        )
    detail_base = {"stage": stage.code, "move": move.value, "to": new_stage, "status": status.value}
    if reason:
        detail_base["reason"] = reason
    if objection_id is not None:
        detail_base["objection"] = str(objection_id)
    audit.append(
        session,
        [audit.Event(now, actor.name, f"{chain.code}.{move.value}", r.id, {**detail_base, "version": r.version + 1})
         for r in rows],
    )


def _due(policy: Policy, stage: Stage, now: datetime) -> datetime | None:
    days = policy.deadlines.get(stage.code)
    return deadline(now, days) if days is not None else None


def open_case_rows(session: Session, chain: str, year: int | None, stage: str, scope_prefix: str) -> list[CaseRow]:
    """Active cases at a stage (of one year, or every year) whose village code starts with the scope's prefix."""
    query = select(CASE.c.id).where(
        CASE.c.chain == chain, CASE.c.stage == stage, CASE.c.status == Status.ACTIVE,
        CASE.c.village_code.startswith(scope_prefix),
    )
    if year is not None:
        query = query.where(CASE.c.year == year)
    ids = session.execute(query.order_by(CASE.c.id)).scalars().all()
    return list(load_rows(session, ids).values())


def open_cases(*, session: Session, chain: str, year: int, household_ids: Sequence[int], now: datetime,
               actor: Actor) -> list[int]:
    """Open a case in the chain's first stage for each household (the caller commits)."""
    from models.household import Household

    the_chain = chain_named(chain)
    first = the_chain.first
    households = session.scalars(select(Household).where(col(Household.id).in_(household_ids))).all()
    if len(households) != len(set(household_ids)):
        missing = set(household_ids) - {h.id for h in households}
        raise InvalidInput("立案", "户ID", sorted(missing)[0], "没有这一户")
    existing = set(session.execute(
        select(CASE.c.household_id).where(CASE.c.chain == chain, CASE.c.year == year,
                                          CASE.c.household_id.in_(list(household_ids)))
    ).scalars())
    fresh = [h for h in households if h.id not in existing]
    for h in fresh:
        if not actor.covers(h.village_code):
            raise InvalidInput(f"户{h.number}", "村", h.village_code, f"不在{actor.title()}的辖区内")
    if not fresh:
        return []
    session.execute(insert(CASE), [
        {"chain": chain, "year": year, "household_id": h.id, "village_code": h.village_code, "stage": first.code,
         "status": Status.ACTIVE, "version": 1, "opened_at": now} for h in fresh
    ])
    ids = dict(session.execute(
        select(CASE.c.household_id, CASE.c.id).where(CASE.c.chain == chain, CASE.c.year == year,
                                                     CASE.c.household_id.in_([h.id for h in fresh]))
    ).tuples().all())
    policy = policy_for(fresh[0].village_code, year)
    session.execute(insert(RECORD), [
        {"case_id": ids[h.id], "stage": first.code, "opened_at": now, "due_at": _due(policy, first, now),
         "reason": ""} for h in fresh
    ])
    audit.append(session, [audit.Event(now, actor.name, f"{chain}.OPEN", ids[h.id], {"stage": first.code})
                           for h in fresh])
    return [ids[h.id] for h in fresh]


def describe_outcome(outcome: str | None) -> str:
    return OUTCOME_NAMES[Outcome(outcome)] if outcome else ""
