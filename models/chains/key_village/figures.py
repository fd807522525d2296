"""Key-village identification 重点帮扶村确认 (seed 004): the figures a township or the county's survey team records
for an applying village, the application conditions, and the ranking by degree of relative poverty.

The ranking is a pure function of the stored figures, so anyone re-ranking the same villages gets the same order.
Poorer first, by these keys in turn (RANKING_RULE prints them on every ranked document):
1. villagers' per-capita net income (农民人均纯收入), lower first;
2. share of relative-poor households (相对贫困户占比), higher first, compared as exact fractions;
3. village collective income (村集体经济收入), lower first;
4. the 12-digit village code, smaller first: villages equal in every figure still get distinct, stable places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Numeric
from sqlmodel import Field, Session, SQLModel, col, select

from models.chains.key_village.policy import KeyVillage
from models.chains.village_exit.standards import percent, rate
from models.core import audit
from models.core.actors import Actor
from models.core.clock import to_db
from models.core.errors import InvalidInput, PolicyMissing, TransitionRefused
from models.door.chain import CaseRow, Input, chain_named
from models.door.inputs import admit
from models.door.sampling import SampleCase
from models.policy.loading import policy_for

RANKING_RULE = ("按相对贫困程度排序：农民人均纯收入由低到高；相同的，相对贫困户占比由高到低；仍相同的，"
                "村集体经济收入由低到高；各项均相同的，按村统计用区划代码由小到大")


class KeyVillageFacts(SQLModel, table=True):
    """One recording of an applying village's figures at a stage: 镇级核实, 县级审核 with the statistics bureau, or
    the city's spot-check and the province's field check of a drawn village (spot_checks.py)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    stage: str
    year: int
    households: int = Field(description="行政村农村总户数")
    relative_poor_households: int = Field(description="相对贫困户数")
    per_capita_income: Decimal = Field(sa_type=Numeric(12, 2), nullable=False, description="农民人均纯收入（元）")
    collective_income: Decimal = Field(sa_type=Numeric(14, 2), nullable=False, description="村集体经济年收入（元）")
    source: str = Field(description="数据来源（镇摸查核实、县统计局数据等）")
    actor_id: int = Field(foreign_key="actor.id")
    recorded_at: datetime


@dataclass(frozen=True)
class Figures:
    """What a clerk enters for a village."""

    households: int
    relative_poor_households: int
    per_capita_income: Decimal
    collective_income: Decimal
    source: str


@dataclass(frozen=True)
class RankInput:
    """The stored figures the ranking reads, with the village they belong to."""

    case_id: int
    village_code: str
    households: int
    relative_poor_households: int
    per_capita_income: Decimal
    collective_income: Decimal

    @property
    def poor_share(self) -> Fraction:
        return rate(self.relative_poor_households, self.households)


@dataclass(frozen=True)
class Ranked:
    place: int
    item: RankInput
    tied_with_previous: bool  # equal in every figure to the village ranked just above (placed by village code)


def key_village_policy(region_code: str, year: int) -> KeyVillage:
    """The application conditions in force for a region and year."""
    found = policy_for(region_code, year).key_village
    if found is None:
        raise PolicyMissing(f"{region_code[:2]}省（区划前两位）{year}年度的政策数据没有重点帮扶村申报条件")
    return found


def _key(item: RankInput) -> tuple[Decimal, Fraction, Decimal, str]:
    return (item.per_capita_income, -item.poor_share, item.collective_income, item.village_code)


def rank_villages(items: Sequence[RankInput]) -> list[Ranked]:
    """The villages ranked by degree of relative poverty (poorest first), places 1, 2, 3… (module docstring)."""
    ordered = sorted(items, key=_key)
    ranked: list[Ranked] = []
    for place, item in enumerate(ordered, start=1):
        tied = place > 1 and _key(ordered[place - 2])[:3] == _key(item)[:3]
        ranked.append(Ranked(place, item, tied))
    return ranked


def check_figures(figures: Figures, record: str) -> None:
    """Input rules: counts that make sense, amounts not negative, the source named."""
    if figures.households <= 0:
        raise InvalidInput(record, "农村总户数", figures.households, "须至少1户，相对贫困户占比才可计算")
    if not 0 <= figures.relative_poor_households <= figures.households:
        raise InvalidInput(record, "相对贫困户数", figures.relative_poor_households, "须在0与农村总户数之间")
    amounts = (("农民人均纯收入", figures.per_capita_income), ("村集体经济年收入", figures.collective_income))
    for label, amount in amounts:
        if amount < 0:
            raise InvalidInput(record, label, amount, "金额不能为负数")
    if not figures.source.strip():
        raise InvalidInput(record, "数据来源", figures.source, "须写明数据来源")


def shortfalls(collective_income: Decimal, standard: KeyVillage) -> list[str]:
    """Which application conditions the figures miss, each in words; none: the village may be listed."""
    found: list[str] = []
    if not standard.collective_income.met_by(collective_income):
        found.append(f"村集体经济年收入{collective_income:.2f}元，不符合“{standard.collective_income.describe('元')}”")
    return found


def record_figures(*, session: Session, case_id: int, stage: str, figures: Figures, actor: Actor,
                   now: datetime) -> KeyVillageFacts:
    """Store a village's figures at a stage that ranks (the caller commits); the stage's person records them."""
    row = admit(session=session, case_ids=[case_id], actor=actor, stage=stage, kind=Input.VILLAGE_FIGURES,
                now=now)[case_id]
    if row.household_id is not None:
        raise InvalidInput(f"案件{case_id}", "村", "无", "重点帮扶村确认只适用于村级案件")
    the_stage = chain_named(row.chain).stage(stage)
    if the_stage.sampling is not None:
        problem = _not_drawn(session, row.record_id, the_stage.name)
        if problem:
            raise TransitionRefused({case_id: problem})
    check_figures(figures, f"案件{case_id}")
    facts = KeyVillageFacts(
        case_id=case_id, stage=stage, year=row.year, households=figures.households,
        relative_poor_households=figures.relative_poor_households, per_capita_income=figures.per_capita_income,
        collective_income=figures.collective_income, source=figures.source.strip(), actor_id=actor.id or 0,
        recorded_at=now,
    )
    session.add(facts)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "KEY_VILLAGE.FIGURES", case_id, {
        "stage": stage, "households": figures.households, "poor": figures.relative_poor_households,
        "income": str(figures.per_capita_income), "collective": str(figures.collective_income)})])
    return facts


def _not_drawn(session: Session, record_id: int | None, stage_name: str) -> str | None:
    """Why a spot-check stage takes no figures in this visit: its county's sample is not drawn, or the village was
    not drawn; None when it was."""
    drawn = session.scalars(select(col(SampleCase.drawn)).where(col(SampleCase.stage_record_id) == record_id)).first()
    if drawn is None:
        return f"本县尚未抽取“{stage_name}”样本"
    return None if drawn else f"该村未被抽中，“{stage_name}”不登记其村情数据"


def newest_figures(session: Session, case_ids: Sequence[int], stage: str) -> dict[int, KeyVillageFacts]:
    """Each case's newest figures recorded at a stage (in recording order, the id breaking equal times)."""
    found: dict[int, KeyVillageFacts] = {}
    for facts in session.exec(select(KeyVillageFacts).where(
            col(KeyVillageFacts.case_id).in_(list(case_ids)), col(KeyVillageFacts.stage) == stage)
            .order_by(col(KeyVillageFacts.recorded_at), col(KeyVillageFacts.id))):
        found[facts.case_id] = facts
    return found


def rank_inputs(session: Session, case_ids: Sequence[int], stage: str) -> list[RankInput]:
    """The ranking's inputs for these cases from their newest figures at the stage; cases without any are left out."""
    from models.core.case import Case

    villages = dict(session.exec(select(Case.id, Case.village_code).where(
        col(Case.id).in_(list(case_ids)))).all())
    return [RankInput(f.case_id, villages[f.case_id], f.households, f.relative_poor_households, f.per_capita_income,
                      f.collective_income) for f in newest_figures(session, case_ids, stage).values()]


def visit_figures(session: Session, rows: Sequence[CaseRow]) -> dict[int, KeyVillageFacts]:
    """Each case's newest figures at its stage, when recorded during this visit."""
    found: dict[int, KeyVillageFacts] = {}
    by_stage: dict[str, list[CaseRow]] = {}
    for row in rows:
        by_stage.setdefault(row.stage, []).append(row)
    for stage, group in by_stage.items():
        newest = newest_figures(session, [r.id for r in group], stage)
        for row in group:
            facts, start = newest.get(row.id), row.record_opened_at
            if facts is not None and start is not None and to_db(facts.recorded_at) >= to_db(start):
                found[row.id] = facts
    return found


def figures_ready(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The stage's figures are recorded during this visit and meet the application conditions."""
    reasons: dict[int, str] = {}
    found = visit_figures(session, rows)
    for row in rows:
        facts = found.get(row.id)
        if facts is None:
            reasons[row.id] = "尚未登记本环节核实的村情数据（总户数、相对贫困户数、人均纯收入、集体经济收入）"
            continue
        missing = shortfalls(facts.collective_income, key_village_policy(row.village_code, row.year))
        if missing:
            reasons[row.id] = f"不符合重点帮扶村申报条件：{'；'.join(missing)}"
    return reasons


def share_text(item: RankInput) -> str:
    return percent(item.poor_share)
