"""The minutes of a village's democratic review (村民代表大会民主评议会议记录, seed 002): time, place, chair, the
attendees' signature column, and every applicant with the result, the households kept off the list with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from models.chains.edge_identify.policy import EDGE_EXCLUSION_NAMES
from models.chains.edge_identify.standards import band, eligibility, standard_for
from models.core.actors import Actor
from models.core.case import Case, Outcome, StageRecord
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.documents.common import listed_households, parent, region, title_lines
from models.documents.decided import DayBatch, by_village_and_day
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store

KIND = "edge_review_minutes"
STAGE = "EDGE_REVIEW"
RESULTS = {Outcome.APPROVED: "列入拟定名单", Outcome.REJECTED: "不予列入", Outcome.RETURNED: "退回补充申请材料"}
SIGNATURE_LINES = 12


@dataclass(frozen=True)
class ReviewRow:
    serial: int
    group: str
    head: str
    size: int
    per_capita: Decimal | None
    result: str
    reason: str


@dataclass(frozen=True)
class EdgeReviewMinutesContext:
    title: str
    title_lines: tuple[str, ...]
    township: str
    village: str
    year: int
    held_on: date
    place: str
    chair: str
    standard: str
    excluded: str
    rows: tuple[ReviewRow, ...]
    listed: int
    refused: int
    signature_lines: int
    village_office: str


def _decisions(session: Session, chain: str, year: int, village_code: str, day: date | None) -> dict[int, StageRecord]:
    """The newest decided review of each case of the village (of those decided on `day`, when given)."""
    found: dict[int, StageRecord] = {}
    for record in session.exec(
        select(StageRecord).join(Case, col(Case.id) == col(StageRecord.case_id))
        .where(col(Case.chain) == chain, col(Case.year) == year, col(Case.village_code) == village_code,
               col(StageRecord.stage) == STAGE, col(StageRecord.outcome).is_not(None))
        .order_by(col(StageRecord.decided_at), col(StageRecord.id))
    ):
        if day is None or (record.decided_at is not None and local_date(record.decided_at) == day):
            found[record.case_id] = record
    return found


def build_edge_review_minutes_context(session: Session, *, chain: str, year: int, village_code: str,
                                      day: date | None = None) -> EdgeReviewMinutesContext:
    """What the minutes of one village's review meeting print (the meeting of `day`; without one, every review
    decided there): each applicant decided, in household order."""
    village = region(session, village_code)
    township = parent(session, village)
    standard = standard_for(village.code, year)
    if standard is None:
        raise NotFound(f"{year}年度政策未设定贫困边缘户识别标准")
    decisions = _decisions(session, chain, year, village_code, day)
    if not decisions:
        raise NotFound(f"{village.name}{year}年度尚无民主评议结果")
    households = listed_households(session, list(decisions), stage=STAGE)
    household_of = dict(session.execute(
        select(col(Case.id), col(Case.household_id)).where(col(Case.id).in_(list(decisions)))).tuples().all())
    verdicts = eligibility(session, [h for h in household_of.values() if h is not None], year)
    rows = []
    for serial, h in enumerate(households, 1):
        record = decisions[h.case_id]
        verdict = verdicts.get(household_of[h.case_id] or 0)
        outcome = Outcome(record.outcome) if record.outcome else Outcome.APPROVED
        rows.append(ReviewRow(serial, h.group, h.head, h.size, verdict.per_capita if verdict else None,
                              RESULTS[outcome], record.reason if outcome is not Outcome.APPROVED else ""))
    latest = max(decisions.values(), key=lambda r: (r.decided_at or r.opened_at, r.id or 0))
    chair = session.get(Actor, latest.actor_id) if latest.actor_id else None
    lines = title_lines(village.name, f"{year}年度", "贫困边缘户", "民主评议", "会议记录")
    return EdgeReviewMinutesContext(
        title="".join(lines), title_lines=lines, township=township.name, village=village.name, year=year,
        held_on=local_date(latest.decided_at or latest.opened_at), place=f"{village.office_name}会议室",
        chair=chair.name if chair else "", standard=band(standard),
        excluded="、".join(EDGE_EXCLUSION_NAMES[flag] for flag in standard.excluded), rows=tuple(rows),
        listed=sum(r.result == RESULTS[Outcome.APPROVED] for r in rows),
        refused=sum(r.result != RESULTS[Outcome.APPROVED] for r in rows),
        signature_lines=SIGNATURE_LINES, village_office=village.office_name,
    )


def render_edge_review_minutes(session: Session, *, chain: str, year: int, village_code: str, now: datetime,
                               day: date | None = None) -> Document:
    """Render and store the minutes of a village's review meeting (internal: incomes shown; the caller commits)."""
    context = build_edge_review_minutes_context(session, chain=chain, year=year, village_code=village_code, day=day)
    return store(
        session, kind=KIND, chain=chain, year=year, stage=STAGE, scope_code=village_code,
        case_ids=list(_decisions(session, chain, year, village_code, day)), html=render(f"{KIND}.html.j2", context),
        public=False, number="", now=now, suffix=f"{village_code}-{context.held_on:%Y%m%d}",
    )


def _ready(session: Session, run: Run) -> list[DayBatch]:
    """The review's decisions still without their minutes, by village and day of the meeting."""
    return by_village_and_day(session, run, KIND)


def _render(session: Session, run: Run, batch: DayBatch, now: datetime) -> Document:
    return render_edge_review_minutes(session, chain=run.chain, year=run.year, village_code=batch.village_code,
                                      now=now, day=batch.day)


register(Paper(KIND, "贫困边缘户民主评议会议记录", Trigger.EACH_DAY, Scope.VILLAGE, _ready, _render))
