"""One case as its page shows it: stage visits, the audit trail in words, the open window, objections,
documents and evidence; and which villages a document belongs to (for downloads)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlmodel import Session

from models.core.actors import Actor
from models.core.audit import AuditEvent
from models.core.case import OUTCOME_NAMES, Outcome
from models.core.clock import days_left
from models.core.document import Document, DocumentCase
from models.core.publicity import ObjectionStatus
from models.documents.registry import kind_named
from models.door.cases import CASE, RECORD
from models.door.chain import Chain, chain_named
from models.door.engine import MOVE_NAMES, OBJECTION, WINDOW, WINDOW_CASE, Move
from models.evidence.uploads import Proof, evidence_of
from models.policy.loading import policy_for
from models.reads.status import HOUSEHOLD, REGION

EVENT = AuditEvent.__table__  # type: ignore[attr-defined]
ACTOR = Actor.__table__  # type: ignore[attr-defined]
DOCUMENT = Document.__table__  # type: ignore[attr-defined]
DOCUMENT_CASE = DocumentCase.__table__  # type: ignore[attr-defined]
# Audit actions other than moves, in words.
ACTION_WORDS = {"EVIDENCE.UPLOAD": "上传佐证材料", "OBJECTION.RAISE": "登记异议", "OBJECTION.UPHELD": "异议成立",
                "OBJECTION.DISMISSED": "异议不成立", "CHECK.RECORD": "记录入户核查", "SAMPLE.DRAW": "抽取复核样本",
                "STAGE.OVERDUE": "环节超期", "VILLAGE.ASSESS": "记录验收指标", "VILLAGE.SAMPLE": "抽取核查样本",
                "VILLAGE.FINDINGS": "记录核查结果", "VILLAGE.SURVEY": "记录群众认可度调查",
                "REL_CITY_CHECK.RECORD": "记录市级抽查", "REL_RECORD.WRITE": "建立帮扶档案",
                "HOME_VISIT.RECORD": "记录入户核实",
                "KEY_VILLAGE.FIGURES": "记录村情数据"}
# Words of an action whatever chain records it (CHAIN.FIX_REPORT), by the part after the chain's code.
ACTION_TAIL_WORDS = {"FIX_REPORT": "报送整改情况"}


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
    name: str  # the kind as a cadre reads it (入户核查表), from the document registry
    number: str
    created_at: datetime
    pdf: bool
    docx: bool


@dataclass(frozen=True)
class Objected:
    id: int
    raised_by: str
    raised_at: datetime
    content: str
    open: bool
    resolution: str


@dataclass(frozen=True)
class CaseView:
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
    window_id: int | None  # the open window the case is posted in
    visits: list[Visit]
    events: list[Happening]
    papers: list[Paper]
    objections: list[Objected]
    proofs: list[Proof]
    evidence_kinds: dict[str, str]  # code -> name, for uploads


def _event_text(action: str, detail: str) -> str:
    """An audit event in words: the move and its reason where the detail names them."""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    move = str(data.get("move", ""))
    tail = ACTION_TAIL_WORDS.get(action.rpartition(".")[2], action)
    words = MOVE_NAMES[Move(move)] if move in Move.__members__ else ACTION_WORDS.get(action, tail)
    said = data.get("reason") or data.get("content") or data.get("resolution") or data.get("action")
    if action.endswith(".OPEN"):
        words = "立案"
        if data.get("found"):  # a finding opens its case: what was found, its item, unit and due date
            said = (f"{data['found']}（排查事项{data.get('item', '')}，交{data.get('unit', '')}整改，"
                    f"{data.get('due', '')}前完成）")
    if action == "EVIDENCE.UPLOAD":
        said = f"{data.get('name', '')} {data.get('file', '')}"
    if action == "VILLAGE.ASSESS" and "score" in data:
        verdict = "通过" if data.get("passed") else f"未通过（{data.get('failures', '')}）"
        said = f"贫困发生率{data.get('incidence', '')}，得分{data['score']}，{verdict}"
    if action == "CHECK.RECORD" and "per_capita" in data:
        verdict = "达标" if data.get("passed") else f"未达标（{data.get('failures', '')}）"
        said = f"人均纯收入{data['per_capita']}元，{verdict}"
    return f"{words}{'：' + str(said) if said else ''}"


def case_view(session: Session, case_id: int, now: datetime) -> CaseView | None:
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
        Paper(r[0], r[1], _kind_name(chain, r[1]), r[2], r[3], bool(r[4]), bool(r[5]))
        for r in session.execute(
            select(DOCUMENT.c.id, DOCUMENT.c.kind, DOCUMENT.c.number, DOCUMENT.c.created_at, DOCUMENT.c.pdf_path,
                   DOCUMENT.c.docx_path)
            .join(DOCUMENT_CASE, DOCUMENT_CASE.c.document_id == DOCUMENT.c.id)
            .where(DOCUMENT_CASE.c.case_id == case_id).order_by(DOCUMENT.c.created_at, DOCUMENT.c.id)
        ).tuples()
    ]
    objections = [
        Objected(r[0], r[1], r[2], r[3], r[4] == ObjectionStatus.OPEN, r[5])
        for r in session.execute(
            select(OBJECTION.c.id, OBJECTION.c.raised_by, OBJECTION.c.raised_at, OBJECTION.c.content,
                   OBJECTION.c.status, OBJECTION.c.resolution)
            .where(OBJECTION.c.case_id == case_id).order_by(OBJECTION.c.raised_at)
        ).tuples()
    ]
    current = session.execute(
        select(RECORD.c.due_at, WINDOW.c.ends_at, WINDOW.c.id).outerjoin(
            WINDOW_CASE, WINDOW_CASE.c.stage_record_id == RECORD.c.id
        ).outerjoin(WINDOW, and_(WINDOW.c.id == WINDOW_CASE.c.window_id, WINDOW.c.closed_at.is_(None)))
        .where(RECORD.c.case_id == case_id, RECORD.c.left_at.is_(None))
    ).first()
    due_at, ends_at, window_id = (current[0], current[1], current[2]) if current else (None, None, None)
    kinds = policy_for(row[3], row[2]).evidence.kinds
    return CaseView(
        id=row[0], chain=chain.code, chain_name=chain.name, year=row[2], village_code=row[3], village=row[4],
        household=row[5] or "", head=row[6] or "", stage=stage.code, stage_name=stage.name,
        stage_role=stage.role.value if stage.role else None, status=row[8], status_name=chain.status_name(row[8]),
        due_at=due_at, window_ends_at=ends_at, window_days_left=days_left(ends_at, now) if ends_at else None,
        window_id=window_id, visits=visits, events=events, papers=papers, objections=objections,
        proofs=evidence_of(session, case_id, kinds), evidence_kinds=kinds,
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


def _kind_name(chain: Chain, kind: str) -> str:
    """A document kind's name as its registry declares it (the code itself for a kind no longer declared)."""
    found = kind_named(chain, kind)
    return found.name if found is not None else kind
