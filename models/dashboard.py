"""Reads for the dashboard beyond `models.status`: the area's totals, and one case with its stage visits, audit
events, window, objections and documents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from models.actors import Actor
from models.audit import AuditEvent
from models.case import OUTCOME_NAMES, Outcome, Status
from models.cases import CASE, RECORD
from models.chain import chain_named
from models.clock import days_left
from models.document import Document, DocumentCase
from models.engine import MOVE_NAMES, OBJECTION, WINDOW, WINDOW_CASE, Move
from models.publicity import ObjectionStatus
from models.status import HOUSEHOLD, REGION, Filters, where_filters

EVENT = AuditEvent.__table__  # type: ignore[attr-defined]
ACTOR = Actor.__table__  # type: ignore[attr-defined]
DOCUMENT = Document.__table__  # type: ignore[attr-defined]
DOCUMENT_CASE = DocumentCase.__table__  # type: ignore[attr-defined]


def case_count(session: Session, filters: Filters) -> int:
    """How many cases the filters select."""
    return int(session.scalar(where_filters(select(func.count()).select_from(CASE), filters)) or 0)


def overdue_count(session: Session, region: str, now: datetime) -> int:
    """Active cases of the area whose current stage is past its due time."""
    query = (select(func.count()).select_from(CASE)
             .join(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.left_at.is_(None)))
             .where(CASE.c.village_code.startswith(region), CASE.c.status == Status.ACTIVE, RECORD.c.due_at <= now))
    return int(session.scalar(query) or 0)


def open_objection_count(session: Session, region: str) -> int:
    """Objections of the area's cases still waiting for verification."""
    query = (select(func.count()).select_from(OBJECTION).join(CASE, CASE.c.id == OBJECTION.c.case_id)
             .where(CASE.c.village_code.startswith(region), OBJECTION.c.status == ObjectionStatus.OPEN))
    return int(session.scalar(query) or 0)


@dataclass(frozen=True)
class Visit:
    stage: str
    opened_at: datetime
    due_at: datetime | None
    decided_at: datetime | None
    outcome: str
    actor: str
    reason: str
    left_at: datetime | None


@dataclass(frozen=True)
class Happening:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class Paper:
    id: int
    kind: str
    number: str
    created_at: datetime
    pdf: bool
    docx: bool


@dataclass(frozen=True)
class Objected:
    raised_by: str
    raised_at: datetime
    content: str
    open: bool
    resolution: str


@dataclass(frozen=True)
class CaseFile:
    id: int
    chain: str  # the chain's code
    chain_name: str
    year: int
    village_code: str
    village: str
    household: str
    head: str
    stage: str  # the current stage's code
    stage_name: str
    stage_role: str | None
    status: str
    status_name: str
    due_at: datetime | None
    window_ends_at: datetime | None
    window_days_left: int | None
    visits: list[Visit]
    events: list[Happening]
    papers: list[Paper]
    objections: list[Objected]


def _event_text(action: str, detail: str) -> str:
    """An audit event in words: the move and its reason where the detail names them."""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    move = str(data.get("move", ""))
    words = MOVE_NAMES[Move(move)] if move in Move.__members__ else action
    reason = data.get("reason")
    return f"{words}{'：' + str(reason) if reason else ''}"


def case_file(session: Session, case_id: int, now: datetime) -> CaseFile | None:
    """One case with everything the case page shows; None when there is no such case."""
    row = session.execute(
        select(CASE.c.id, CASE.c.chain, CASE.c.year, CASE.c.village_code, REGION.c.name, HOUSEHOLD.c.number,
               HOUSEHOLD.c.head_name, CASE.c.stage, CASE.c.status)
        .join(REGION, REGION.c.code == CASE.c.village_code)
        .outerjoin(HOUSEHOLD, HOUSEHOLD.c.id == CASE.c.household_id).where(CASE.c.id == case_id)
    ).first()
    if row is None:
        return None
    chain = chain_named(row[1])
    stage = chain.stage(row[7])
    stage_name = {s.code: s.name for s in chain.stages}
    visits = [
        Visit(stage_name.get(r[0], r[0]), r[1], r[2], r[3], OUTCOME_NAMES[Outcome(r[4])] if r[4] else "", r[5] or "",
              r[6], r[7])
        for r in session.execute(
            select(RECORD.c.stage, RECORD.c.opened_at, RECORD.c.due_at, RECORD.c.decided_at, RECORD.c.outcome,
                   ACTOR.c.name, RECORD.c.reason, RECORD.c.left_at)
            .outerjoin(ACTOR, ACTOR.c.id == RECORD.c.actor_id).where(RECORD.c.case_id == case_id)
            .order_by(RECORD.c.opened_at, RECORD.c.id)
        ).tuples()
    ]
    events = [
        Happening(r[0], r[1], r[2], _event_text(r[2], r[3]))
        for r in session.execute(select(EVENT.c.at, EVENT.c.actor, EVENT.c.action, EVENT.c.detail)
                                 .where(EVENT.c.case_id == case_id).order_by(EVENT.c.seq)).tuples()
    ]
    papers = [
        Paper(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]))
        for r in session.execute(
            select(DOCUMENT.c.id, DOCUMENT.c.kind, DOCUMENT.c.number, DOCUMENT.c.created_at, DOCUMENT.c.pdf_path,
                   DOCUMENT.c.docx_path)
            .join(DOCUMENT_CASE, DOCUMENT_CASE.c.document_id == DOCUMENT.c.id)
            .where(DOCUMENT_CASE.c.case_id == case_id).order_by(DOCUMENT.c.created_at, DOCUMENT.c.id)
        ).tuples()
    ]
    objections = [
        Objected(r[0], r[1], r[2], r[3] == ObjectionStatus.OPEN, r[4])
        for r in session.execute(
            select(OBJECTION.c.raised_by, OBJECTION.c.raised_at, OBJECTION.c.content, OBJECTION.c.status,
                   OBJECTION.c.resolution).where(OBJECTION.c.case_id == case_id).order_by(OBJECTION.c.raised_at)
        ).tuples()
    ]
    current = session.execute(
        select(RECORD.c.due_at, WINDOW.c.ends_at).outerjoin(
            WINDOW_CASE, WINDOW_CASE.c.stage_record_id == RECORD.c.id
        ).outerjoin(WINDOW, and_(WINDOW.c.id == WINDOW_CASE.c.window_id, WINDOW.c.closed_at.is_(None)))
        .where(RECORD.c.case_id == case_id, RECORD.c.left_at.is_(None))
    ).first()
    due_at, ends_at = (current[0], current[1]) if current else (None, None)
    return CaseFile(
        id=row[0], chain=chain.code, chain_name=chain.name, year=row[2], village_code=row[3], village=row[4],
        household=row[5] or "", head=row[6] or "", stage=stage.code, stage_name=stage.name,
        stage_role=stage.role.value if stage.role else None, status=row[8], status_name=chain.status_name(row[8]),
        due_at=due_at, window_ends_at=ends_at, window_days_left=days_left(ends_at, now) if ends_at else None,
        visits=visits, events=events, papers=papers, objections=objections,
    )


def document_cases(session: Session, document_id: int) -> tuple[Document, list[str]] | None:
    """A document and the village codes of the cases it belongs to; None when there is no such document."""
    document = session.get(Document, document_id)
    if document is None:
        return None
    villages = session.execute(
        select(CASE.c.village_code).distinct().join(DOCUMENT_CASE, DOCUMENT_CASE.c.case_id == CASE.c.id)
        .where(DOCUMENT_CASE.c.document_id == document_id)
    ).scalars().all()
    return document, list(villages)
