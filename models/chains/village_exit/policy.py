"""Chain B's section of the policy file, [village_exit]: 一个确保、两个完善 and the county's limits on its check."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models.policy.reading import Table
from models.policy.thresholds import Sampling, Threshold

PERCENT = Decimal(100)


@dataclass(frozen=True)
class Indicator:
    """One of the scored indicators of village exit (两个完善) and the points it can earn at most."""

    code: str
    name: str
    points: int


@dataclass(frozen=True)
class VillageExit:
    """Village exit, 一个确保、两个完善, and the county's limits on its check (rates in percent)."""

    incidence: Threshold  # the veto: comprehensive poverty incidence, percent
    collective_income: Threshold  # yuan a year
    score: Threshold
    score_total: int
    indicators: tuple[Indicator, ...]
    wrong_exit_sampling: Sampling
    wrong_exit_rate: Threshold
    missed_rate: Threshold
    approval_rate: Threshold


def village_exit_section(raw: Table | None) -> VillageExit | None:
    """The [village_exit] section; the indicators' points must add up to the score total, their codes differ."""
    if raw is None:
        return None
    total = raw.integer("score_total", minimum=1)
    indicators = tuple(Indicator(i.text("code"), i.text("name"), i.integer("points", minimum=1))
                       for i in raw.tables("indicators"))
    if sum(i.points for i in indicators) != total:
        raise raw.refuse("indicators", sum(i.points for i in indicators), f"各评分指标分值之和须等于总分{total}")
    if len({i.code for i in indicators}) != len(indicators):
        raise raw.refuse("indicators", len(indicators), "评分指标代码不能重复")
    limits = raw.table("county_limits")
    return VillageExit(
        incidence=raw.threshold("incidence", high=PERCENT, unit="%"),
        collective_income=raw.threshold("collective_income"),
        score=raw.threshold("score", high=Decimal(total), unit="分"), score_total=total, indicators=indicators,
        wrong_exit_sampling=raw.sampling("wrong_exit_sample"),
        wrong_exit_rate=limits.threshold("wrong_exit_rate", high=PERCENT, unit="%"),
        missed_rate=limits.threshold("missed_rate", high=PERCENT, unit="%"),
        approval_rate=limits.threshold("approval_rate", high=PERCENT, unit="%"),
    )
