"""Households' per-capita net income of a year, read as every chain's income standard reads it: the year's
income record and the household's resident members (models/home_checks/standards.py computes it from the two)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.core.household import Household, Income, IncomeBase, Member
from models.home_checks.standards import per_capita_net_income


@dataclass(frozen=True)
class YearIncome:
    """A household and its per-capita net income of the year; None with the reason when it cannot be computed."""

    household: Household
    per_capita: Decimal | None
    missing: str = ""


def resident_counts(session: Session, household_ids: Sequence[int]) -> dict[int, int]:
    """How many resident members each household has (a household with none is left out)."""
    return dict(session.execute(
        select(col(Member.household_id), func.count(col(Member.id)))
        .where(col(Member.household_id).in_(list(household_ids)), col(Member.resident).is_(True))
        .group_by(col(Member.household_id))
    ).tuples().all())


def incomes_of_year(session: Session, household_ids: Sequence[int], year: int) -> dict[int, YearIncome]:
    """Each existing household's per-capita net income of `year` (households that do not exist are left out)."""
    ids = list(dict.fromkeys(household_ids))
    if not ids:
        return {}
    households = {h.id: h for h in session.exec(select(Household).where(col(Household.id).in_(ids)))}
    incomes = {i.household_id: i for i in session.exec(
        select(Income).where(col(Income.household_id).in_(ids), col(Income.year) == year))}
    residents = resident_counts(session, ids)
    found: dict[int, YearIncome] = {}
    for household_id, household in households.items():
        assert household_id is not None
        found[household_id] = year_income(household, incomes.get(household_id), residents.get(household_id, 0), year)
    return found


def year_income(household: Household, income: IncomeBase | None, residents: int, year: int) -> YearIncome:
    """A household's per-capita net income of `year` from its income record and its resident members."""
    if income is None:
        return YearIncome(household, None, f"尚无{year}年度收入记录，无法计算人均纯收入")
    if residents == 0:
        return YearIncome(household, None, "无常住人口，无法计算人均纯收入")
    return YearIncome(household, per_capita_net_income(income, residents))
