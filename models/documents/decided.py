"""Which cases a stage's paper is still owed for: those decided at the stage with no document of the kind, for that
stage, linked to them since the decision (so a case decided again after a return is owed a new one)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, select
from sqlmodel import Session

from models.core.clock import local_date
from models.core.document import Document, DocumentCase
from models.documents.registry import Run
from models.door.cases import CASE, RECORD

DOCUMENT = Document.__table__  # type: ignore[attr-defined]
LINK = DocumentCase.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Decided:
    case_id: int
    village_code: str
    decided_at: datetime
    actor_id: int | None
    outcome: str
    reason: str


def decided_without(session: Session, *, chain: str, year: int, scope: str, stage: str, kind: str) -> list[Decided]:
    """The stage's decided visits in the scope whose case has no `kind` document made since, in case order."""
    paper = (
        select(LINK.c.case_id).join(DOCUMENT, DOCUMENT.c.id == LINK.c.document_id)
        .where(DOCUMENT.c.kind == kind, DOCUMENT.c.stage == stage, LINK.c.case_id == RECORD.c.case_id,
               DOCUMENT.c.created_at >= RECORD.c.decided_at)
    )
    rows = session.execute(
        select(CASE.c.id, CASE.c.village_code, RECORD.c.decided_at, RECORD.c.actor_id, RECORD.c.outcome,
               RECORD.c.reason)
        .join(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.stage == stage, RECORD.c.outcome.is_not(None)))
        .where(CASE.c.chain == chain, CASE.c.year == year, CASE.c.village_code.startswith(scope), ~exists(paper))
        .order_by(CASE.c.id, RECORD.c.id)
    ).tuples().all()
    latest: dict[int, Decided] = {}
    for case_id, village, decided_at, actor_id, outcome, reason in rows:  # the newest visit of each case
        latest[case_id] = Decided(case_id, village, decided_at, actor_id, str(outcome), reason or "")
    return list(latest.values())


@dataclass(frozen=True)
class DayBatch:
    """One village's decisions of one day (office time) at a stage: one paper's worth."""

    village_code: str
    day: date
    decisions: list[Decided]


def by_village_and_day(session: Session, run: Run, kind: str) -> list[DayBatch]:
    """The run's decisions owed a `kind` paper, by village and day of decision: one paper each, in that order."""
    batches: dict[tuple[str, date], list[Decided]] = defaultdict(list)
    for decided in decided_without(session, chain=run.chain, year=run.year, scope=run.scope, stage=run.stage,
                                   kind=kind):
        batches[(decided.village_code, local_date(decided.decided_at))].append(decided)
    return [DayBatch(village, day, decisions) for (village, day), decisions in sorted(batches.items())]
