"""Meeting minutes (会议记录) of a deciding stage: the village group's recommendation meeting, the committee's
review, the township's meeting on a village's exit. One per village, stage and day of decision: time, place,
chair, the agenda, each household's (or the village's) result with its reason, the vote's tally, and an
attendance list to sign (who attended is written by hand at the meeting)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.core.actors import Actor
from models.core.case import OUTCOME_NAMES, Case, Outcome
from models.core.clock import local_date
from models.core.document import Document
from models.documents.common import cases_suffix, listed_households, parent, region, title_lines
from models.documents.decided import DayBatch, Decided, by_village_and_day
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.door.chain import chain_named

KIND = "minutes"
ATTENDANCE_LINES = 15  # rows to sign on the attendance list


@dataclass(frozen=True)
class Item:
    serial: int
    group: str
    head: str
    size: int
    result: str
    reason: str


@dataclass(frozen=True)
class MinutesContext:
    title: str
    title_lines: tuple[str, ...]
    village: str
    township: str
    meeting: str
    held_on: date
    place: str
    chair: str
    agenda: str
    items: tuple[Item, ...]
    tally: str
    attendance_lines: int


def subjects(session: Session, case_ids: list[int]) -> list[tuple[int, str, str, int]]:
    """(case, group, name, household size) of each case: its household, or for a village's case the village
    itself (no group, size 0); households first, in village and household-number order."""
    village_cases = dict(session.execute(select(col(Case.id), col(Case.village_code)).where(
        col(Case.id).in_(case_ids), col(Case.household_id).is_(None))).tuples().all())
    households = listed_households(session, [c for c in case_ids if c not in village_cases])
    found = [(h.case_id, h.group, h.head, h.size) for h in households]
    return found + [(c, "", region(session, code).name, 0) for c, code in sorted(village_cases.items())]


def build_minutes_context(session: Session, *, chain: str, year: int, stage: str, village_code: str,
                          decisions: list[Decided]) -> MinutesContext:
    """What the minutes of one meeting print."""
    the_chain, the_stage = chain_named(chain), chain_named(chain).stage(stage)
    village = region(session, village_code)
    township = parent(session, village)
    by_case = {d.case_id: d for d in decisions}
    actor_ids = {d.actor_id for d in decisions if d.actor_id is not None}
    chairs = sorted(session.scalars(select(col(Actor.name)).where(col(Actor.id).in_(actor_ids))).all())
    items = tuple(
        Item(serial, group, name, size, OUTCOME_NAMES[Outcome(by_case[case_id].outcome)], by_case[case_id].reason)
        for serial, (case_id, group, name, size) in enumerate(subjects(session, list(by_case)), start=1)
    )
    counts = Counter(item.result for item in items)
    lines = title_lines(village.name, f"{year}年度", the_chain.name, the_stage.name, "会议记录")
    return MinutesContext(
        title="".join(lines), title_lines=lines, village=village.name, township=township.name,
        meeting=the_stage.name, held_on=local_date(min(d.decided_at for d in decisions)),
        place=f"{village.name}村民委员会会议室", chair="、".join(chairs),
        agenda=f"{year}年度{the_chain.name}：{the_stage.name}",
        items=items, tally="，".join(f"{result}{count}户" for result, count in sorted(counts.items())),
        attendance_lines=ATTENDANCE_LINES,
    )


def render_minutes(session: Session, *, chain: str, year: int, stage: str, village_code: str,
                   decisions: list[Decided], now: datetime) -> Document:
    """Render and store the minutes of one meeting (internal; the caller commits)."""
    context = build_minutes_context(session, chain=chain, year=year, stage=stage, village_code=village_code,
                                    decisions=decisions)
    case_ids = [d.case_id for d in decisions]
    return store(
        session, kind=KIND, chain=chain, year=year, stage=stage, scope_code=village_code, case_ids=case_ids,
        html=render(f"{KIND}.html.j2", context), public=False, number="", now=now,
        suffix=f"{stage.lower()}-{cases_suffix(case_ids)}",
    )


def _ready(session: Session, run: Run) -> list[DayBatch]:
    """The stage's decisions owed minutes, by village and day of decision (office time)."""
    return by_village_and_day(session, run, KIND)


def _render(session: Session, run: Run, batch: DayBatch, now: datetime) -> Document:
    return render_minutes(session, chain=run.chain, year=run.year, stage=run.stage, village_code=batch.village_code,
                          decisions=batch.decisions, now=now)


register(Paper(KIND, "会议记录", Trigger.EACH_DAY, Scope.VILLAGE, _ready, _render))
