"""The home-verification registration forms (入户核实登记表) of the edge household and relative-poor household
identifications: one per village and day of verification, a page per household decided there, with its members, its
income computed from its parts against the chain's standard, the statuses that exclude it (贫困边缘户) or put it first
(相对贫困户), the result with its reason, and lines for the township cadre, the village committee, the work team and
the household head to sign. The page is the home-check form's (models/documents/household_sheet.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.edge_identify.policy import EDGE_EXCLUSION_NAMES
from models.chains.edge_identify.stages import CODE as EDGE_CODE
from models.chains.edge_identify.standards import band
from models.chains.edge_identify.standards import standard_for as edge_standard
from models.chains.relative_identify.policy import PRIORITY_HOUSES
from models.chains.relative_identify.stages import CODE as RELATIVE_CODE
from models.chains.relative_identify.standards import standard_for as relative_standard
from models.core.actors import Actor
from models.core.case import OUTCOME_NAMES, Case, Outcome
from models.core.clock import local_date
from models.core.document import Document
from models.core.household import Household, Income
from models.documents.common import Person, listed_households, parent, region, title_lines
from models.documents.decided import DayBatch, Decided, by_village_and_day
from models.documents.household_sheet import Line, income_lines, side_by_side, yes_no
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store, yuan
from models.door.chain import chain_named
from models.home_checks.incomes import year_income
from models.registry.revisions import households_as_of

KIND = "registration_form"


@dataclass(frozen=True)
class Reading:
    """How a chain's form reads a household: what it is identified as, its standard in words (village, year), and the
    items printed beside the income (household, year)."""

    subject: str
    items_title: str
    standard: Callable[[str, int], str]
    items: Callable[[Household, int], list[tuple[str, str]]]


def _edge_standard(village_code: str, year: int) -> str:
    standard = edge_standard(village_code, year)
    return band(standard) if standard is not None else f"{year}年度政策未设定贫困边缘户识别标准"


def _edge_items(household: Household, year: int) -> list[tuple[str, str]]:
    """Whether the household is one of those the standard keeps off the list (低保户, 特困人员, ...)."""
    standard = edge_standard(household.village_code, year)
    flags = standard.excluded if standard is not None else tuple(EDGE_EXCLUSION_NAMES)
    return [(EDGE_EXCLUSION_NAMES[flag], yes_no(bool(getattr(household, flag)))) for flag in flags]


def _relative_standard(village_code: str, year: int) -> str:
    standard = relative_standard(village_code, year)
    return standard.income.describe("元") if standard is not None else f"{year}年度政策未设定相对贫困户识别标准"


def _relative_items(household: Household, year: int) -> list[tuple[str, str]]:
    """The conditions that put a household first at equal income: its house, a disabled or chronically ill member."""
    standard = relative_standard(household.village_code, year)
    houses = standard.priority_houses if standard is not None else PRIORITY_HOUSES
    return [("住房类型", household.house_type or "未登记"),
            (f"住{'或'.join(houses)}", yes_no(household.house_type in houses)),
            ("家庭成员有残疾人", yes_no(household.disabled_member)),
            ("家庭成员有长年患重病的", yes_no(household.ill_member))]


READINGS = {
    EDGE_CODE: Reading("贫困边缘户", "排除情形（是否属于）", _edge_standard, _edge_items),
    RELATIVE_CODE: Reading("相对贫困户", "同等条件下优先情形", _relative_standard, _relative_items),
}


@dataclass(frozen=True)
class Registration:
    serial: int
    group: str
    number: str
    head: str
    members: tuple[Person, ...]
    lines: tuple[Line, ...]  # (item, answer, income part, amount) side by side
    per_capita: str  # the amount as printed, or why it cannot be computed
    result: str
    verified_by: str


@dataclass(frozen=True)
class RegistrationFormContext:
    title: str
    title_lines: tuple[str, ...]
    township: str
    village: str
    year: int
    stage: str
    subject: str
    items_title: str
    standard: str
    verified_on: date
    households: tuple[Registration, ...]


def _result(decided: Decided, subject: str) -> str:
    """The verification's result in words, with its reason."""
    if decided.outcome == Outcome.APPROVED:
        return f"核实通过，符合{subject}识别标准" + (f"（{decided.reason}）" if decided.reason else "")
    return f"{OUTCOME_NAMES[Outcome(decided.outcome)]}：{decided.reason or '未说明理由'}"


def build_registration_form_context(session: Session, *, chain: str, year: int, stage: str, village_code: str,
                                    decisions: list[Decided]) -> RegistrationFormContext:
    """What the forms of one village's verifications of a day print (each household's income record of `year`)."""
    reading = READINGS[chain]
    village = region(session, village_code)
    by_case = {d.case_id: d for d in decisions}
    household_of = dict(session.execute(select(col(Case.id), col(Case.household_id)).where(
        col(Case.id).in_(list(by_case)))).tuples().all())
    household_ids = [h for h in household_of.values() if h is not None]
    records = {r.household_id: r for r in session.scalars(select(Income).where(
        col(Income.household_id).in_(household_ids), col(Income.year) == year))}
    # the household, its flags and its resident members as they were when the verification was decided
    states = households_as_of(session, {household_of[d.case_id]: d.decided_at for d in decisions
                                        if household_of.get(d.case_id) is not None})
    names = dict(session.execute(select(col(Actor.id), col(Actor.name)).where(
        col(Actor.id).in_({d.actor_id for d in decisions if d.actor_id is not None}))).tuples().all())
    pages = []
    as_decided = {d.case_id: d.decided_at for d in decisions}
    for serial, h in enumerate(listed_households(session, list(by_case), as_of=as_decided), start=1):
        decided, household_id = by_case[h.case_id], household_of[h.case_id]
        assert household_id is not None  # listed_households found its household
        state, record = states[household_id], records.get(household_id)
        income = year_income(state.household, record, state.residents, year)
        pages.append(Registration(
            serial=serial, group=h.group, number=h.number, head=h.head, members=h.members,
            lines=side_by_side(reading.items(state.household, year), income_lines(record, state.residents)),
            per_capita=yuan(income.per_capita) if income.per_capita is not None else income.missing,
            result=_result(decided, reading.subject),
            verified_by=names.get(decided.actor_id, "") if decided.actor_id is not None else "",
        ))
    lines = title_lines(village.name, f"{year}年度", reading.subject, "入户核实登记表")
    return RegistrationFormContext(
        title="".join(lines), title_lines=lines, township=parent(session, village).name, village=village.name,
        year=year, stage=chain_named(chain).stage(stage).name, subject=reading.subject, items_title=reading.items_title,
        standard=reading.standard(village_code, year), verified_on=local_date(min(d.decided_at for d in decisions)),
        households=tuple(pages),
    )


def _suffix(stage: str, decisions: list[Decided]) -> str:
    """Names the same decisions the same way every time, and a later decision on the same households anew."""
    token = ",".join(f"{d.case_id}@{d.decided_at.isoformat()}" for d in sorted(decisions, key=lambda d: d.case_id))
    return f"{stage.lower()}-{hashlib.sha256(token.encode()).hexdigest()[:12]}"


def render_registration_form(session: Session, *, chain: str, year: int, stage: str, village_code: str,
                             decisions: list[Decided], now: datetime) -> Document:
    """Render and store one village's registration forms of a day (internal; the caller commits)."""
    context = build_registration_form_context(session, chain=chain, year=year, stage=stage,
                                              village_code=village_code, decisions=decisions)
    return store(
        session, kind=KIND, chain=chain, year=year, stage=stage, scope_code=village_code,
        case_ids=[d.case_id for d in decisions], html=render(f"{KIND}.html.j2", context), public=False, number="",
        now=now, suffix=_suffix(stage, decisions),
    )


def ready(session: Session, run: Run) -> list[DayBatch]:
    """The stage's verifications still without their form, by village and day."""
    return by_village_and_day(session, run, KIND)


def _render(session: Session, run: Run, batch: DayBatch, now: datetime) -> Document:
    return render_registration_form(session, chain=run.chain, year=run.year, stage=run.stage,
                                    village_code=batch.village_code, decisions=batch.decisions, now=now)


register(Paper(KIND, "入户核实登记表", Trigger.EACH_DAY, Scope.VILLAGE, ready, _render))
