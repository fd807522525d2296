"""The relative-poor household standard 相对贫困户 (seed 004, Guangdong 双到; DOMAIN §3) and its priority rule.

A household is listed when its per-capita net income, computed exactly as the household exit check computes it
(models/home_checks), meets the policy's line read with its comparison (人均纯收入1500元以下: 以下 includes 1500);
the comparison is made on the unrounded amount. Priority (同等条件下优先) orders the list and never admits anyone:
households are ranked by per-capita net income from the lowest, and at an equal income (to the fen, as printed)
those living in a 泥砖房 or 茅草房 or with a disabled or chronically ill member come first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from models.chains.relative_identify.policy import RelativePoor
from models.core.case import Case
from models.core.household import Household
from models.door.chain import CaseRow
from models.home_checks.incomes import incomes_of_year
from models.home_checks.standards import round_yuan
from models.policy.loading import policy_for


@dataclass(frozen=True)
class Standing:
    """A household's verdict under the standard, and why it goes first at equal conditions (if it does)."""

    household_id: int
    per_capita: Decimal | None
    reasons: tuple[str, ...]
    priority: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.reasons


def standard_for(region_code: str, year: int) -> RelativePoor | None:
    """The relative-poor standard of a region's province in a year; None where the policy sets none."""
    return policy_for(region_code, year).relative_poor


def priority_reasons(household: Household, standard: RelativePoor) -> tuple[str, ...]:
    """Why a household goes first at equal conditions: its house, a disabled member, a chronically ill member."""
    found = []
    if household.house_type in standard.priority_houses:
        found.append(f"住{household.house_type}")
    if household.disabled_member:
        found.append("家庭成员有残疾人")
    if household.ill_member:
        found.append("家庭成员有长年患重病的")
    return tuple(found)


def judge_relative(standard: RelativePoor, per_capita: Decimal | None, missing_income: str = "") -> tuple[str, ...]:
    """Why a household's income does not meet the line; empty when it does."""
    if per_capita is None:
        return (missing_income,)
    if standard.income.met_by(per_capita):
        return ()
    return (f"人均纯收入{round_yuan(per_capita)}元，不符合“{standard.income.describe('元')}”",)


def standings(session: Session, household_ids: Sequence[int], year: int) -> dict[int, Standing]:
    """Each household's standing on its income record of `year`, under its province's standard."""
    known = incomes_of_year(session, household_ids, year)
    found: dict[int, Standing] = {}
    for household_id in dict.fromkeys(household_ids):
        if household_id not in known:
            found[household_id] = Standing(household_id, None, (f"户ID{household_id}不存在",))
            continue
        household, per_capita = known[household_id].household, known[household_id].per_capita
        standard = standard_for(household.village_code, year)
        if standard is None:
            found[household_id] = Standing(household_id, None, (f"{year}年度政策未设定相对贫困户识别标准",))
            continue
        found[household_id] = Standing(household_id, per_capita,
                                       judge_relative(standard, per_capita, known[household_id].missing),
                                       priority_reasons(household, standard))
    return found


def rank_key(standing: Standing, number: str) -> tuple[Decimal, int, str]:
    """Lowest income first; at an equal income to the fen, a priority household first; then the household number."""
    shown = round_yuan(standing.per_capita) if standing.per_capita is not None else Decimal("Infinity")
    return shown, 0 if standing.priority else 1, number


def ranked_cases(session: Session, case_ids: Sequence[int]) -> list[tuple[int, Standing]]:
    """The cases in list order under the priority rule, each with its household's standing in the case's year."""
    rows = session.execute(
        select(col(Case.id), col(Case.year), col(Household.id), col(Household.number))
        .join(Household, col(Household.id) == col(Case.household_id)).where(col(Case.id).in_(list(case_ids)))
    ).tuples().all()
    ranked: list[tuple[tuple[Decimal, int, str], int, Standing]] = []
    for year in sorted({r[1] for r in rows}):
        of_year = [r for r in rows if r[1] == year]
        found = standings(session, [r[2] for r in of_year], year)
        ranked += [(rank_key(found[hid], number), case_id, found[hid]) for case_id, _, hid, number in of_year]
    return [(case_id, standing) for _, case_id, standing in sorted(ranked, key=lambda r: r[0])]


def relative_standard_met(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Guard: the household of each case meets the relative-poor standard in the case's year."""
    reasons: dict[int, str] = {}
    for year in sorted({r.year for r in rows}):
        of_year = [r for r in rows if r.year == year]
        found = standings(session, [r.household_id for r in of_year if r.household_id is not None], year)
        for row in of_year:
            standing = found.get(row.household_id) if row.household_id is not None else None
            if standing is None:
                reasons[row.id] = "案件没有对应的农户"
            elif not standing.passed:
                reasons[row.id] = f"不符合相对贫困户识别标准：{'；'.join(standing.reasons)}"
    return reasons
