"""Opening and closing publicity windows: stored rows that a sweep closes when due (DESIGN decision 5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from models.core import audit
from models.core.actors import Actor
from models.core.case import Outcome, Status
from models.core.clock import window_end
from models.core.errors import InvalidInput, TransitionRefused
from models.core.publicity import Window, WindowCase
from models.door.cases import load_rows
from models.door.chain import CaseRow, chain_named
from models.policy.loading import policy_for

WINDOW = Window.__table__  # type: ignore[attr-defined]


def awaiting_window(session: Session, rows: Sequence[CaseRow]) -> list[CaseRow]:
    """Cases of a window stage that are ready to be posted: decided if the stage needs it, not yet posted."""
    if not rows:
        return []
    stage = chain_named(rows[0].chain).stage(rows[0].stage)
    posted = set(session.execute(
        select(col(WindowCase.case_id)).where(col(WindowCase.stage_record_id).in_([r.record_id for r in rows]))
    ).scalars())
    return [
        r for r in rows
        if r.id not in posted and r.status == Status.ACTIVE and stage.window
        and (stage.role is None or r.record_outcome == Outcome.APPROVED)
    ]


def open_window(
    *, session: Session, scope_code: str, case_ids: Sequence[int], now: datetime, actor: Actor
) -> Window:
    """Post one notice for these cases (all at one window stage): the window runs the policy's days."""
    rows = list(load_rows(session, case_ids).values())
    ready = {r.id for r in awaiting_window(session, rows)}
    refused = {i: "不在待公示状态（未到公示环节、尚未决定或已公示）" for i in case_ids if i not in ready}
    if not case_ids:
        raise InvalidInput(f"区划{scope_code}的公示", "公示案件", "无", "至少包含一个待公示的案件")
    if refused:
        raise TransitionRefused(refused)
    first = rows[0]
    if any((r.chain, r.year, r.stage) != (first.chain, first.year, first.stage) for r in rows):
        raise TransitionRefused({r.id: "同一公示只能包含同一环节的案件" for r in rows})
    policy = policy_for(scope_code, first.year)
    window = Window(
        chain=first.chain, year=first.year, stage=first.stage, scope_code=scope_code, opened_at=now,
        ends_at=window_end(now, policy.window_days, count_posting_day=policy.count_posting_day),
    )
    session.add(window)
    session.flush()
    session.execute(insert(WindowCase.__table__), [  # type: ignore[attr-defined]
        {"window_id": window.id, "case_id": r.id, "stage_record_id": r.record_id} for r in rows
    ])
    audit.append(session, [audit.Event(now, actor.name, "WINDOW.OPEN", None, {
        "window": window.id, "scope": scope_code, "stage": first.stage, "cases": len(rows),
        "ends_at": window.ends_at.isoformat(),
    })])
    return window


def close_due_windows(*, session: Session, now: datetime, actor: Actor, scope_prefix: str = "") -> list[int]:
    """Close every window whose last day has passed; returns their ids. Never closes one early."""
    due = session.execute(
        select(WINDOW.c.id).where(WINDOW.c.closed_at.is_(None), WINDOW.c.ends_at <= now,
                                  WINDOW.c.scope_code.startswith(scope_prefix)).order_by(WINDOW.c.id)
    ).scalars().all()
    if not due:
        return []
    # Only the windows this transaction closed: a concurrent sweep may have closed some since they were read.
    closed = sorted(session.execute(
        update(WINDOW).where(WINDOW.c.id.in_(due), WINDOW.c.closed_at.is_(None)).values(closed_at=now)
        .returning(WINDOW.c.id)
    ).scalars())
    audit.append(session, [audit.Event(now, actor.name, "WINDOW.CLOSE", None, {"window": w}) for w in closed])
    return closed


def posted_cases(session: Session, window_id: int) -> list[int]:
    """The cases posted in a window."""
    return list(session.execute(
        select(col(WindowCase.case_id)).where(col(WindowCase.window_id) == window_id).order_by(col(WindowCase.case_id))
    ).scalars())
