"""The record card of a relative-poor household (贫困户帮扶记录簿, internal): the household and its members in full,
why it goes first at equal conditions, and its cause of poverty, helper, plans, funds, projects and labour capacity,
with signature lines for the village and the household head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from models.chains.relative_identify.record import LABOUR_NAMES, STAGE, RelativeRecord
from models.chains.relative_identify.standards import standings
from models.core.case import Case
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.documents.common import Person, listed_households, parent, region, title_lines
from models.documents.owed import linked_since
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store

KIND = "relative_record_card"


@dataclass(frozen=True)
class RecordCardContext:
    title: str
    title_lines: tuple[str, ...]
    township: str
    village: str
    group: str
    number: str
    head: str
    phone: str
    year: int
    members: tuple[Person, ...]
    per_capita: Decimal | None
    priority: str
    labour: str
    cause: str
    helper: str
    helper_unit: str
    three_year_plan: str
    yearly_plan: str
    funds: Decimal
    projects: str
    made_on: date


def build_record_card_context(session: Session, *, case_id: int, now: datetime) -> RecordCardContext:
    """What one household's card prints."""
    case = session.get(Case, case_id)
    card = session.exec(select(RelativeRecord).where(col(RelativeRecord.case_id) == case_id)).first()
    if case is None or card is None or case.household_id is None:
        raise NotFound(f"案件{case_id}尚无建档立卡内容")
    household = listed_households(session, [case_id])[0]
    village = region(session, household.village_code)
    standing = standings(session, [case.household_id], case.year)[case.household_id]
    lines = title_lines(f"{case.year}年度", "相对贫困户", "建档立卡登记表")
    return RecordCardContext(
        title="".join(lines), title_lines=lines, township=parent(session, village).name, village=village.name,
        group=household.group, number=household.number, head=household.head, phone=household.phone, year=case.year,
        members=household.members, per_capita=standing.per_capita, priority="、".join(standing.priority) or "无",
        labour=LABOUR_NAMES[card.has_labour], cause=card.cause, helper=card.helper, helper_unit=card.helper_unit,
        three_year_plan=card.three_year_plan, yearly_plan=card.yearly_plan, funds=card.funds,
        projects=card.projects, made_on=local_date(now),
    )


def render_record_card(session: Session, *, case_id: int, now: datetime) -> Document:
    """Render and store one household's record card (internal; the caller commits)."""
    context = build_record_card_context(session, case_id=case_id, now=now)
    case = session.get(Case, case_id)
    assert case is not None
    return store(
        session, kind=KIND, chain=case.chain, year=case.year, stage=STAGE, scope_code=case.village_code,
        case_ids=[case_id], html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=str(case_id),
    )


def _ready(session: Session, run: Run) -> list[int]:
    """The run's households whose card was filled in (or corrected) with no card printed since, in case order."""
    written = dict(session.execute(
        select(col(RelativeRecord.case_id), col(RelativeRecord.recorded_at))
        .join(Case, col(Case.id) == col(RelativeRecord.case_id))
        .where(col(Case.chain) == run.chain, col(Case.year) == run.year, col(Case.village_code).startswith(run.scope))
    ).tuples().all())
    made = linked_since(session, KIND, run.stage, written)
    return sorted(case_id for case_id in written if case_id not in made)


def _render(session: Session, run: Run, case_id: int, now: datetime) -> Document:
    return render_record_card(session, case_id=case_id, now=now)


register(Paper(KIND, "相对贫困户建档立卡登记表", Trigger.RECORDED, Scope.HOUSEHOLD, _ready, _render))
