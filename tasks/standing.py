"""Where a scope's cases of one chain and year stand, stage by stage: waiting on a person, in a publicity window,
overdue, and past the stage; and that standing as the rows of a Prefect table artifact."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, select
from sqlmodel import Session

from models.core.case import Status
from models.core.publicity import WindowCase
from models.door.cases import CASE, RECORD
from models.door.chain import Chain
from models.door.engine import WINDOW

WINDOW_CASE = WindowCase.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Standing:
    """The cases of one stage: those at it (waiting on a person, or in an open window), how many of those are past
    their due moment undecided, and how many have gone past it (at a later stage, or finished)."""

    stage: str
    name: str
    waiting: int
    in_window: int
    overdue: int
    done: int


def _counts(session: Session, chain: str, year: int, scope: str, now: datetime,
            stage: str | None) -> list[tuple[str, str, int, int, int]]:
    """(stage, status, cases, in an open window, overdue) of the chain's cases of the year in the scope."""
    in_window = exists(
        select(WINDOW_CASE.c.case_id).join(WINDOW, WINDOW.c.id == WINDOW_CASE.c.window_id)
        .where(WINDOW_CASE.c.stage_record_id == RECORD.c.id, WINDOW.c.closed_at.is_(None))
    )
    # The rule flag_overdue applies (models/door/overdue.py): undecided when its due moment passed.
    overdue = and_(RECORD.c.decided_at.is_(None), RECORD.c.due_at <= now)
    query = (
        select(CASE.c.stage, CASE.c.status, func.count(), func.sum(case((in_window, 1), else_=0)),
               func.sum(case((overdue, 1), else_=0)))
        .select_from(CASE)
        .outerjoin(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None)))
        .where(CASE.c.chain == chain, CASE.c.year == year, CASE.c.village_code.startswith(scope))
        .group_by(CASE.c.stage, CASE.c.status)
    )
    if stage is not None:
        query = query.where(CASE.c.stage == stage, CASE.c.status == Status.ACTIVE)
    return [(s, str(status), int(n), int(w or 0), int(o or 0)) for s, status, n, w, o in session.execute(query)]


def stage_standing(session: Session, *, chain: Chain, year: int, scope: str, stage: str,
                   now: datetime) -> tuple[int, int, int]:
    """The active cases at one stage in the scope: (waiting on a person, in an open window, overdue)."""
    rows = _counts(session, chain.code, year, scope, now, stage)
    cases, in_window, overdue = sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows)
    return cases - in_window, in_window, overdue


def standings(session: Session, *, chain: Chain, year: int, scope: str, now: datetime) -> list[Standing]:
    """Every stage of the chain in table order, with its cases in the scope. A finished case is done at every stage;
    a rejected one (which stays at the stage that refused it) at the stages before that one."""
    at: dict[str, tuple[int, int, int]] = {}
    refused: dict[str, int] = {}
    finished = 0
    for code, status, cases, in_window, overdue in _counts(session, chain.code, year, scope, now, None):
        if status == Status.ACTIVE:
            at[code] = (cases, in_window, overdue)
        elif status == Status.EXITED:
            finished += cases
        else:
            refused[code] = cases
    result: list[Standing] = []
    later = finished
    for stage in reversed(chain.stages):
        cases, in_window, overdue = at.get(stage.code, (0, 0, 0))
        result.append(Standing(stage.code, stage.name, cases - in_window, in_window, overdue, later))
        later += cases + refused.get(stage.code, 0)
    return result[::-1]


def standing_table(rows: list[Standing], limits: Mapping[str, object]) -> list[dict[str, object]]:
    """The rows of the run's table artifact, in Chinese as a cadre reads them; `limits`: each stage's time limit."""
    return [{"环节": f"{r.stage} {r.name}", "时限": str(limits.get(r.stage, "")), "待办理": r.waiting,
             "公示中": r.in_window, "超期": r.overdue, "已完成": r.done} for r in rows]
