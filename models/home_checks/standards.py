"""The household exit standard 一超过、两不愁、三保障、一安全 and the home checks (四看一算) that apply it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Numeric
from sqlmodel import Field

from models.core.household import IncomeBase
from models.policy.loading import Threshold

# The six yes/no items of 两不愁三保障一安全, in the order the forms print them.
GUARANTEES = {
    "food": "吃不愁",
    "clothing": "穿不愁",
    "housing": "住房安全有保障",
    "medical": "基本医疗有保障",
    "education": "义务教育有保障",
    "water": "饮水安全",
}


class Assessment(IncomeBase, table=True):
    """One home check (四看一算) of a household at a stage: the income computed and the six items."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    stage: str
    residents: int
    per_capita: Decimal = Field(sa_type=Numeric(14, 2), nullable=False)
    food: bool
    clothing: bool
    housing: bool
    medical: bool
    education: bool
    water: bool
    head_signed: bool = Field(default=False, description="户主签字确认脱贫 (贫困户脱贫签字表)")
    passed: bool
    failures: str = ""
    actor_id: int = Field(foreign_key="actor.id")
    checked_at: datetime


@dataclass(frozen=True)
class Verdict:
    per_capita: Decimal
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def per_capita_net_income(income: IncomeBase, residents: int) -> Decimal:
    """(wages + operating + property + transfer − production expenses) ÷ resident members, unrounded."""
    if residents <= 0:
        raise ValueError("常住人口须至少1人")
    total = income.wages + income.operating + income.property_income + income.transfer
    return (total - income.expenses) / Decimal(residents)


def round_yuan(amount: Decimal) -> Decimal:
    """Money as printed: two decimals, half up."""
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def judge(
    *, income: IncomeBase, residents: int, guarantees: dict[str, bool], line: Threshold
) -> Verdict:
    """Apply 一超过两不愁三保障一安全: every failed standard is named; any failure fails the household."""
    missing = set(GUARANTEES) - set(guarantees)
    if missing:
        raise ValueError(f"核查项未填写：{'、'.join(GUARANTEES[m] for m in sorted(missing))}")
    per_capita = per_capita_net_income(income, residents)
    failures: list[str] = []
    if not line.met_by(per_capita):
        failures.append(f"人均纯收入{round_yuan(per_capita)}元，未{line.describe('元')}")
    failures.extend(f"{label}未达标" for key, label in GUARANTEES.items() if not guarantees[key])
    return Verdict(per_capita, tuple(failures))
