"""Applications (申请书) recorded at a chain's application stage: a page per applicant to sign — a household's
application with its members, or a village committee's — one document per village and day the applications were
taken, so the village keeps the signed papers in its case files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.core.clock import local_date
from models.core.document import Document
from models.documents.common import Person, cases_suffix, listed_households, parent, region, title_lines
from models.documents.decided import DayBatch, Decided, by_village_and_day
from models.documents.minutes import subjects
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.chain import chain_named

KIND = "application"


@dataclass(frozen=True)
class Applicant:
    group: str
    name: str  # the household head, or the village
    members: tuple[Person, ...]  # none for a village's application


@dataclass(frozen=True)
class ApplicationContext:
    title: str
    title_lines: tuple[str, ...]
    purpose: str
    township: str
    village: str
    committee: str
    year: int
    taken_on: date
    applicants: tuple[Applicant, ...]


def build_application_context(session: Session, *, chain: str, year: int, village_code: str,
                              decisions: list[Decided]) -> ApplicationContext:
    the_chain = chain_named(chain)
    village = region(session, village_code)
    ids = [d.case_id for d in decisions]
    found = subjects(session, ids)
    households = [case_id for case_id, _, _, size in found if size]  # a village's case has size 0
    as_decided = {d.case_id: d.decided_at for d in decisions}  # the members as they were when each applied
    members = {h.case_id: h.members for h in listed_households(session, households, as_of=as_decided)}
    applicants = tuple(Applicant(group, name, members.get(case_id, ())) for case_id, group, name, _ in found)
    lines = title_lines(village.name, f"{year}年度", the_chain.name, "申请书")
    return ApplicationContext(
        title="".join(lines), title_lines=lines, purpose=f"{year}年度{the_chain.name}",
        township=parent(session, village).name, village=village.name, committee=village.office_name, year=year,
        taken_on=local_date(min(d.decided_at for d in decisions)), applicants=applicants,
    )


def render_application(session: Session, *, chain: str, year: int, stage: str, village_code: str,
                       decisions: list[Decided], now: datetime) -> Document:
    """Render and store one village's applications of a day (internal; the caller commits)."""
    context = build_application_context(session, chain=chain, year=year, village_code=village_code,
                                        decisions=decisions)
    case_ids = [d.case_id for d in decisions]
    return store(
        session, kind=KIND, chain=chain, year=year, stage=stage, scope_code=village_code, case_ids=case_ids,
        html=render(f"{KIND}.html.j2", context), public=False, number="", now=now, suffix=cases_suffix(case_ids),
    )


def _ready(session: Session, run: Run) -> list[DayBatch]:
    """The stage's recorded applications still without their paper, by village and day."""
    return by_village_and_day(session, run, KIND)


def _render(session: Session, run: Run, batch: DayBatch, now: datetime) -> Document:
    return render_application(session, chain=run.chain, year=run.year, stage=run.stage, village_code=batch.village_code,
                              decisions=batch.decisions, now=now)


register(Paper(KIND, "申请书", Trigger.EACH_DAY, Scope.VILLAGE, _ready, _render))
