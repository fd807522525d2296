"""Flagging stage visits that passed their deadline without a decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from models.core import audit
from models.core.actors import Actor
from models.core.case import Case, StageRecord, Status

RECORD = StageRecord.__table__  # type: ignore[attr-defined]
CASE = Case.__table__  # type: ignore[attr-defined]


def flag_overdue(*, session: Session, now: datetime, actor: Actor, scope_prefix: str = "", chain: str | None = None,
                 stage: str | None = None, year: int | None = None) -> int:
    """Mark every open, undecided stage visit whose due moment has passed (of one chain, stage and year if given);
    each is flagged once."""
    query = (
        select(RECORD.c.id, RECORD.c.case_id, RECORD.c.stage, RECORD.c.due_at)
        .join(CASE, CASE.c.id == RECORD.c.case_id)
        .where(RECORD.c.left_at.is_(None), RECORD.c.decided_at.is_(None), RECORD.c.overdue_at.is_(None),
               RECORD.c.due_at <= now, CASE.c.status == Status.ACTIVE,
               CASE.c.village_code.startswith(scope_prefix))
    )
    for column, value in ((CASE.c.chain, chain), (RECORD.c.stage, stage), (CASE.c.year, year)):
        if value is not None:
            query = query.where(column == value)
    found = session.execute(query.order_by(RECORD.c.id)).all()
    if not found:
        return 0
    # Only the visits this transaction flagged: since they were read, a concurrent sweep may have flagged some
    # and a clerk may have decided some.
    flagged = set(session.execute(
        update(RECORD).where(RECORD.c.id.in_([r.id for r in found]), RECORD.c.overdue_at.is_(None),
                             RECORD.c.left_at.is_(None), RECORD.c.decided_at.is_(None))
        .values(overdue_at=now).returning(RECORD.c.id)
    ).scalars())
    audit.append(session, [
        audit.Event(now, actor.name, "STAGE.OVERDUE", r.case_id, {"stage": r.stage, "due_at": r.due_at.isoformat()})
        for r in found if r.id in flagged
    ])
    return len(flagged)
