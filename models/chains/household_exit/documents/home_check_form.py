"""The township's home-check forms (入户核查表, 四看一算) of one village: a page per household, with its members,
the four looks, the income computed from its parts, the conclusion, and lines for the team's and the head's
signatures. Rendered once the township has decided the village's checked households at the home-check stage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from models.core.actors import Actor
from models.core.clock import local_date
from models.core.document import Document
from models.documents.common import Person, cases_suffix, listed_households, parent, region, title_lines
from models.documents.decided import decided_without
from models.documents.household_sheet import Line, income_lines, side_by_side, yes_no
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import render, store
from models.home_checks.standards import GUARANTEES, Assessment
from models.policy.loading import policy_for

KIND = "home_check_form"
STAGE = "HOME_CHECK"
ASSESSMENT = Assessment.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class HouseholdCheck:
    serial: int
    group: str
    number: str
    head: str
    members: tuple[Person, ...]
    lines: tuple[Line, ...]  # (look, 是/否, income part, amount) side by side
    per_capita: Decimal
    conclusion: str
    head_signed: bool
    checked_by: str
    checked_on: date


@dataclass(frozen=True)
class HomeCheckFormContext:
    title: str
    title_lines: tuple[str, ...]
    township: str
    village: str
    year: int
    income_rule: str
    households: tuple[HouseholdCheck, ...]


def _latest_checks(session: Session, case_ids: list[int]) -> dict[int, tuple[Assessment, str]]:
    """The newest home check of each case, with the name of who made it."""
    found: dict[int, tuple[Assessment, str]] = {}
    for check, name in session.execute(
        select(Assessment, col(Actor.name)).join(Actor, col(Actor.id) == col(Assessment.actor_id))
        .where(col(Assessment.stage) == STAGE, col(Assessment.case_id).in_(case_ids))
        .order_by(col(Assessment.checked_at), col(Assessment.id))
    ).tuples():
        found[check.case_id] = (check, name)
    return found


def _lines(check: Assessment) -> tuple[Line, ...]:
    """四看 beside 一算: each yes/no item of the check next to one line of the income computation."""
    looks = [(label, yes_no(getattr(check, key))) for key, label in GUARANTEES.items()]
    return side_by_side(looks, income_lines(check, check.residents))


def build_home_check_form_context(session: Session, *, village_code: str, year: int,
                                  case_ids: list[int]) -> HomeCheckFormContext:
    """What the forms of these households of one village print (each household's newest home check)."""
    village = region(session, village_code)
    township = parent(session, village)
    checks = _latest_checks(session, case_ids)
    as_checked = {case_id: check.checked_at for case_id, (check, _) in checks.items()}
    households = listed_households(session, list(checks), as_of=as_checked)
    pages = []
    for serial, h in enumerate(households, start=1):
        check, checker = checks[h.case_id]
        pages.append(HouseholdCheck(
            serial=serial, group=h.group, number=h.number, head=h.head, members=h.members,
            lines=_lines(check), per_capita=check.per_capita,
            conclusion="达到退出标准" if check.passed else f"未达到退出标准：{check.failures}",
            head_signed=check.head_signed, checked_by=checker, checked_on=local_date(check.checked_at),
        ))
    lines = title_lines(village.name, f"{year}年度", "贫困户脱贫", "入户核查表")
    return HomeCheckFormContext(
        title="".join(lines), title_lines=lines, township=township.name, village=village.name, year=year,
        income_rule=policy_for(village_code, year).exit_income.describe("元"), households=tuple(pages),
    )


def render_home_check_form(session: Session, *, chain: str, village_code: str, year: int, case_ids: list[int],
                           now: datetime) -> Document:
    """Render and store one village's home-check forms (internal; the caller commits)."""
    context = build_home_check_form_context(session, village_code=village_code, year=year, case_ids=case_ids)
    return store(
        session, kind=KIND, chain=chain, year=year, stage=STAGE, scope_code=village_code, case_ids=case_ids,
        html=render(f"{KIND}.html.j2", context), public=False, number="", now=now, suffix=cases_suffix(case_ids),
    )


@dataclass(frozen=True)
class VillageBatch:
    """A village's checked households decided at the stage with no form since."""

    village_code: str
    case_ids: list[int]


def _ready(session: Session, run: Run) -> list[VillageBatch]:
    """Cases decided at the home check with a check recorded and no form since the decision, by village."""
    owed = decided_without(session, chain=run.chain, year=run.year, scope=run.scope, stage=run.stage, kind=KIND)
    checked = set(session.execute(select(ASSESSMENT.c.case_id).where(
        ASSESSMENT.c.stage == run.stage, ASSESSMENT.c.case_id.in_([d.case_id for d in owed]))).scalars())
    batches: dict[str, list[int]] = defaultdict(list)
    for decided in owed:
        if decided.case_id in checked:
            batches[decided.village_code].append(decided.case_id)
    return [VillageBatch(village, ids) for village, ids in sorted(batches.items())]


def _render(session: Session, run: Run, batch: VillageBatch, now: datetime) -> Document:
    return render_home_check_form(session, chain=run.chain, village_code=batch.village_code, year=run.year,
                                  case_ids=batch.case_ids, now=now)


register(Paper(KIND, "入户核查表", Trigger.DECIDED, Scope.VILLAGE, _ready, _render))
