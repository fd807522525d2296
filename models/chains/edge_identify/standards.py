"""The edge household standard 贫困边缘户 (seed 002): per-capita net income in the band above the poverty line and
below the edge line, with 低保户 and 特困人员 (and registered poor households) kept off the list, each with its reason.

The income is the household's yearly income record, computed exactly as the household exit check computes it
(models/home_checks); the comparison is made on the unrounded amount, read as DOMAIN §3 says: 高于 the poverty
line is strictly above it, 未达到4000元 is strictly below 4000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from models.chains.edge_identify.policy import EDGE_EXCLUSION_NAMES, EdgeHousehold
from models.door.chain import CaseRow
from models.home_checks.incomes import incomes_of_year
from models.home_checks.standards import round_yuan
from models.policy.loading import policy_for


@dataclass(frozen=True)
class Eligibility:
    """Whether a household may be listed as an edge household in a year, and every reason it may not."""

    household_id: int
    per_capita: Decimal | None
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def standard_for(region_code: str, year: int) -> EdgeHousehold | None:
    """The edge household standard of a region's province in a year; None where the policy sets none."""
    return policy_for(region_code, year).edge_household


def band(standard: EdgeHousehold) -> str:
    """The income band in words: 超过3326元且低于4000元."""
    return f"{standard.lower.describe('元')}且{standard.upper.describe('元')}"


def judge_edge(*, standard: EdgeHousehold, flags: dict[str, bool], per_capita: Decimal | None,
               missing_income: str = "") -> tuple[str, ...]:
    """Every reason a household fails the standard: its excluding statuses first, then the income band."""
    reasons = [f"属{EDGE_EXCLUSION_NAMES[flag]}，按规定暂不列入贫困边缘户"
               for flag in standard.excluded if flags.get(flag)]
    if per_capita is None:
        reasons.append(missing_income)
    else:
        shown = round_yuan(per_capita)
        if not standard.lower.met_by(per_capita):
            reasons.append(f"人均纯收入{shown}元，不符合下限“{standard.lower.describe('元')}”（建档立卡贫困户标准）")
        if not standard.upper.met_by(per_capita):
            reasons.append(f"人均纯收入{shown}元，不符合上限“{standard.upper.describe('元')}”")
    return tuple(reasons)


def eligibility(session: Session, household_ids: Sequence[int], year: int) -> dict[int, Eligibility]:
    """The verdict of each household on its income record of `year`, under its province's standard."""
    known = incomes_of_year(session, household_ids, year)
    found: dict[int, Eligibility] = {}
    for household_id in dict.fromkeys(household_ids):
        if household_id not in known:
            found[household_id] = Eligibility(household_id, None, (f"户ID{household_id}不存在",))
            continue
        household, per_capita = known[household_id].household, known[household_id].per_capita
        standard = standard_for(household.village_code, year)
        if standard is None:
            found[household_id] = Eligibility(household_id, None, (f"{year}年度政策未设定贫困边缘户识别标准",))
            continue
        flags = {flag: bool(getattr(household, flag)) for flag in EDGE_EXCLUSION_NAMES}
        reasons = judge_edge(standard=standard, flags=flags, per_capita=per_capita,
                             missing_income=known[household_id].missing)
        found[household_id] = Eligibility(household_id, per_capita, reasons)
    return found


def edge_standard_met(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Guard: the household of each case meets the edge household standard in the case's year."""
    reasons: dict[int, str] = {}
    for year in sorted({r.year for r in rows}):
        of_year = [r for r in rows if r.year == year]
        verdicts = eligibility(session, [r.household_id for r in of_year if r.household_id is not None], year)
        for row in of_year:
            verdict = verdicts.get(row.household_id) if row.household_id is not None else None
            if verdict is None:
                reasons[row.id] = "案件没有对应的农户"
            elif not verdict.passed:
                reasons[row.id] = f"不符合贫困边缘户识别标准：{verdict.reason}"
    return reasons
