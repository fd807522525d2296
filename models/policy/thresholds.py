"""Thresholds with their comparison, and sampling rules: the pieces every policy section is made of (read from a
file by models/policy/reading.py).

Every threshold carries its comparison, read as DOMAIN §3 says: 超过 is strictly above (gt),
以上 includes the number (ge), 以下 includes it (le), 低于/未达到 exclude it (lt).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class Comparison(StrEnum):
    gt = "gt"
    ge = "ge"
    lt = "lt"
    le = "le"


COMPARISON_WORDS = {Comparison.gt: "超过", Comparison.ge: "不低于", Comparison.lt: "低于", Comparison.le: "不超过"}


@dataclass(frozen=True)
class Threshold:
    value: Decimal
    comparison: Comparison

    def met_by(self, amount: Decimal | Fraction) -> bool:
        """Whether `amount` meets the threshold under its comparison; a Fraction (a rate) is compared exactly."""
        value: Decimal | Fraction = Fraction(self.value) if isinstance(amount, Fraction) else self.value
        match self.comparison:
            case Comparison.gt:
                return amount > value
            case Comparison.ge:
                return amount >= value
            case Comparison.lt:
                return amount < value
            case Comparison.le:
                return amount <= value

    def describe(self, unit: str = "") -> str:
        """The rule in words: 超过3326元."""
        return f"{COMPARISON_WORDS[self.comparison]}{self.value.normalize():f}{unit}"


@dataclass(frozen=True)
class Sampling:
    rate: Decimal
    full_coverage_below: int
    minimum: int = 0  # people drawn at least, whatever the rate (不少于30人)

    def describe(self) -> str:
        if not self.rate:
            return f"按村抽取不少于{self.minimum}名拟退出人口，不足{self.full_coverage_below}人的全部抽查"
        percent = (self.rate * 100).normalize()
        return f"按村抽取不低于{percent:f}%的拟脱贫人口（向上取整），不足{self.full_coverage_below}人的全部抽查"

