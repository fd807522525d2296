"""Chain E's section of the policy file, [relative_poor]: the income line of 相对贫困户, the houses that go first at
equal conditions, and the city's random-sample check (seed 004, Guangdong 双到)."""

from __future__ import annotations

from dataclasses import dataclass

from models.policy.reading import Table
from models.policy.thresholds import Sampling, Threshold

PRIORITY_HOUSES = ("泥砖房", "茅草房")  # seed 004's, where the section names none


@dataclass(frozen=True)
class RelativePoor:
    """Relative-poor household 相对贫困户 (seed 004, Guangdong 双到): the income line, the houses and members that go
    first at equal conditions, and the city's random-sample check."""

    income: Threshold  # 人均纯收入1500元以下: at most the line (以下 includes it)
    priority_houses: tuple[str, ...]  # 泥砖房、茅草房
    city_sample: Sampling


def relative_poor_section(raw: Table | None) -> RelativePoor | None:
    """The [relative_poor] section; the city sample's share is above 0 and at most 1."""
    if raw is None:
        return None
    return RelativePoor(income=raw.threshold("income"), priority_houses=raw.texts("priority_houses",
                                                                                  default=PRIORITY_HOUSES),
                        city_sample=raw.sampling("city_sample", share_above_zero=True))
