"""Policy as versioned data: one TOML file per province and year under the policy folder.

Every threshold carries its comparison, read as DOMAIN §3 says: 超过 is strictly above (gt),
以上 includes the number (ge), 以下 includes it (le), 低于/未达到 exclude it (lt).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from models.errors import InvalidInput, PolicyMissing
from models.settings import get_settings


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


@dataclass(frozen=True)
class Masking:
    id_keep_start: int
    id_keep_end: int
    phone_keep_start: int
    phone_keep_end: int


@dataclass(frozen=True)
class PublicColumns:
    """Whether public notices show (masked) resident IDs and phone numbers; by default they show neither."""

    show_id: bool
    show_phone: bool


@dataclass(frozen=True)
class Policy:
    province: str
    year: int
    name: str
    source: str
    exit_income: Threshold
    recheck_sampling: Sampling
    window_days: int
    count_posting_day: bool
    deadlines: dict[str, int]
    masking: Masking
    public_columns: PublicColumns
    # Stage time limits in working days on the holiday calendar (DOMAIN §5), instead of calendar days.
    deadline_workdays: dict[str, int] = field(default_factory=dict)
    village_exit: VillageExit | None = None  # None: this province and year set no village exit standard


def _village_exit(raw: object, where: str) -> VillageExit | None:
    """The [village_exit] section; the indicators' points must add up to the score total."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    sample, limits, scored = raw["wrong_exit_sample"], raw["county_limits"], raw["indicators"]
    assert isinstance(sample, dict) and isinstance(limits, dict) and isinstance(scored, list)
    indicators = tuple(Indicator(str(i["code"]), str(i["name"]), int(i["points"])) for i in scored)
    total = int(raw["score_total"])
    if sum(i.points for i in indicators) != total:
        raise InvalidInput(where, "village_exit.indicators", sum(i.points for i in indicators),
                           f"各评分指标分值之和须等于总分{total}")
    if len({i.code for i in indicators}) != len(indicators):
        raise InvalidInput(where, "village_exit.indicators", len(indicators), "评分指标代码不能重复")
    return VillageExit(
        incidence=_threshold(raw["incidence"]), collective_income=_threshold(raw["collective_income"]),
        score=_threshold(raw["score"]), score_total=total, indicators=indicators,
        wrong_exit_sampling=Sampling(Decimal(str(sample["rate"])), int(sample["full_coverage_below"]),
                                     int(sample["minimum"])),
        wrong_exit_rate=_threshold(limits["wrong_exit_rate"]), missed_rate=_threshold(limits["missed_rate"]),
        approval_rate=_threshold(limits["approval_rate"]),
    )


def _threshold(raw: object) -> Threshold:
    assert isinstance(raw, dict)
    return Threshold(Decimal(str(raw["value"])), Comparison(str(raw["comparison"])))


def parse_policy(raw: dict[str, object], province: str, year: int) -> Policy:
    """A Policy from the parsed TOML of one file."""
    meta = raw["meta"]
    sampling = raw["recheck_sampling"]
    publicity = raw["publicity"]
    masking = raw["masking"]
    public = raw.get("public_notice", {})
    assert isinstance(public, dict)
    assert isinstance(meta, dict) and isinstance(sampling, dict)
    assert isinstance(publicity, dict) and isinstance(masking, dict)
    deadlines = raw["deadlines"]
    assert isinstance(deadlines, dict)
    exit_income = raw["exit_income"]
    assert isinstance(exit_income, dict)
    workdays = raw.get("deadline_workdays", {})
    assert isinstance(workdays, dict)
    for code in sorted(set(workdays) & set(deadlines)):
        raise InvalidInput(f"{province}/{year}.toml", "deadline_workdays", code,
                           "同一环节的时限只能按自然日（deadlines）或工作日（deadline_workdays）之一计算")
    return Policy(
        province=province,
        year=year,
        name=str(meta["name"]),
        source=str(meta["source"]),
        exit_income=_threshold(exit_income),
        recheck_sampling=Sampling(Decimal(str(sampling["rate"])), int(sampling["full_coverage_below"])),
        window_days=int(publicity["days"]),
        count_posting_day=bool(publicity["count_posting_day"]),
        deadlines={str(k): int(v) for k, v in deadlines.items()},
        masking=Masking(
            int(masking["id_keep_start"]),
            int(masking["id_keep_end"]),
            int(masking["phone_keep_start"]),
            int(masking["phone_keep_end"]),
        ),
        public_columns=PublicColumns(bool(public.get("show_id", False)), bool(public.get("show_phone", False))),
        deadline_workdays={str(k): int(v) for k, v in workdays.items()},
        village_exit=_village_exit(raw.get("village_exit"), f"{province}/{year}.toml"),
    )


@lru_cache(maxsize=64)
def _load(policy_dir: Path, province: str, year: int) -> Policy:
    path = policy_dir / province / f"{year}.toml"
    if not path.exists():
        raise PolicyMissing(f"没有{province}省（区划前两位）{year}年度的政策数据文件：{path}")
    with path.open("rb") as handle:
        return parse_policy(tomllib.load(handle), province, year)


def policy_for(region_code: str, year: int) -> Policy:
    """The policy in force for a region (by its province) in a year."""
    return _load(get_settings().policy_dir, region_code[:2], year)
