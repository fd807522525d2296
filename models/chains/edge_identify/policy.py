"""Chain C's section of the policy file, [edge_household]: the income band of 贫困边缘户 and the households the
standard keeps off the list (seed 002)."""

from __future__ import annotations

from dataclasses import dataclass

from models.policy.reading import Table
from models.policy.thresholds import Threshold

# Household flags that keep a household off the edge list (seed 002: 低保户、特困人员等群体暂不列入), by field name.
EDGE_EXCLUSION_NAMES = {"minimum_allowance": "低保户", "destitute": "特困人员", "registered_poor": "建档立卡贫困户"}


@dataclass(frozen=True)
class EdgeHousehold:
    """Edge household 贫困边缘户 (seed 002): per-capita net income in the band, and the households excluded."""

    lower: Threshold  # 高于建档立卡贫困户标准: strictly above the poverty line
    upper: Threshold  # 未达到4000元: strictly below
    excluded: tuple[str, ...]  # keys of EDGE_EXCLUSION_NAMES


def edge_household_section(raw: Table | None, poverty_line: Threshold) -> EdgeHousehold | None:
    """The [edge_household] section; its lower bound is the poverty line ([exit_income]) unless it sets its own."""
    if raw is None:
        return None
    excluded = raw.texts("excluded", default=("minimum_allowance", "destitute"))
    for flag in excluded:
        if flag not in EDGE_EXCLUSION_NAMES:
            raise raw.refuse("excluded", flag,
                             f"只能是{'、'.join(f'{k}（{v}）' for k, v in EDGE_EXCLUSION_NAMES.items())}之一")
    lower = raw.threshold("lower") if "lower" in raw else poverty_line
    upper = raw.threshold("upper")
    if upper.value <= lower.value:
        raise raw.refuse("upper.value", upper.value, f"收入上限须高于下限{lower.value.normalize():f}元")
    return EdgeHousehold(lower=lower, upper=upper, excluded=excluded)
