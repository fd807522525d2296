"""Policy as versioned data: one TOML file per province and year under the policy folder.

Every threshold carries its comparison, read as DOMAIN §3 says: 超过 is strictly above (gt),
以上 includes the number (ge), 以下 includes it (le), 低于/未达到 exclude it (lt).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
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
    edge_household: EdgeHousehold | None = None  # None: this province and year set no edge household standard
    monitoring: Monitoring | None = None  # None: this province and year set no monitoring campaign defaults
    rectification: Rectification | None = None  # None: this province and year set no rectification campaign
    relative_poor: RelativePoor | None = None  # None: this province and year set no relative-poor standard
    key_village: KeyVillage | None = None  # None: this province and year set no key-village application conditions


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
        deadline_workdays={**{str(k): int(v) for k, v in workdays.items()},
                           **_rectification_workdays(raw.get("rectification"), deadlines, workdays)},
        village_exit=_village_exit(raw.get("village_exit"), f"{province}/{year}.toml"),
        edge_household=_edge_household(raw.get("edge_household"), _threshold(exit_income),
                                       f"{province}/{year}.toml"),
        monitoring=_monitoring(raw.get("monitoring"), f"{province}/{year}.toml"),
        rectification=_rectification(raw.get("rectification"), f"{province}/{year}.toml"),
        relative_poor=_relative_poor(raw.get("relative_poor"), f"{province}/{year}.toml"),
        key_village=_key_village(raw.get("key_village")),
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


# Household flags that keep a household off the edge list (seed 002: 低保户、特困人员等群体暂不列入), by field name.
EDGE_EXCLUSION_NAMES = {"minimum_allowance": "低保户", "destitute": "特困人员", "registered_poor": "建档立卡贫困户"}


@dataclass(frozen=True)
class EdgeHousehold:
    """Edge household 贫困边缘户 (seed 002): per-capita net income in the band, and the households excluded."""

    lower: Threshold  # 高于建档立卡贫困户标准: strictly above the poverty line
    upper: Threshold  # 未达到4000元: strictly below
    excluded: tuple[str, ...]  # keys of EDGE_EXCLUSION_NAMES


def _edge_household(raw: object, poverty_line: Threshold, where: str) -> EdgeHousehold | None:
    """The [edge_household] section; its lower bound is the poverty line ([exit_income]) unless it sets its own."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    excluded = tuple(str(flag) for flag in raw.get("excluded", ("minimum_allowance", "destitute")))
    for flag in excluded:
        if flag not in EDGE_EXCLUSION_NAMES:
            raise InvalidInput(where, "edge_household.excluded", flag,
                               f"只能是{'、'.join(f'{k}（{v}）' for k, v in EDGE_EXCLUSION_NAMES.items())}之一")
    lower = _threshold(raw["lower"]) if "lower" in raw else poverty_line
    return EdgeHousehold(lower=lower, upper=_threshold(raw["upper"]), excluded=excluded)


@dataclass(frozen=True)
class PhaseDefault:
    """One dated phase of the yearly monitoring campaign (seed 003), as month and day; a campaign may move it."""

    code: str
    name: str
    start: tuple[int, int]  # (month, day), inclusive
    end: tuple[int, int]  # (month, day), inclusive
    monthly: bool  # the monthly dynamic monitoring rounds are held in this phase


@dataclass(frozen=True)
class Monitoring:
    """防止返贫监测和帮扶 (seed 003): the campaign's default phases, and the industry department of each guarantee."""

    phases: tuple[PhaseDefault, ...]
    departments: dict[str, str]  # guarantee code (models.standards.GUARANTEES) → department, without the county


def _month_day(raw: object, where: str, field_name: str) -> tuple[int, int]:
    text = str(raw)
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is a valid default
    except ValueError as exc:
        raise InvalidInput(where, field_name, text, "应为“月-日”，例如 03-20") from exc
    return month, day


def _monitoring(raw: object, where: str) -> Monitoring | None:
    """The [monitoring] section: phases in order, each with its dates; a department for guarantees."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    phases = raw["phases"]
    departments = raw["departments"]
    assert isinstance(phases, list) and isinstance(departments, dict)
    found = tuple(
        PhaseDefault(str(p["code"]), str(p["name"]), _month_day(p["start"], where, f"monitoring.phases.{p['code']}"),
                     _month_day(p["end"], where, f"monitoring.phases.{p['code']}"), bool(p.get("monthly", False)))
        for p in phases
    )
    if len({p.code for p in found}) != len(found):
        raise InvalidInput(where, "monitoring.phases", len(found), "阶段代码不能重复")
    return Monitoring(found, {str(k): str(v) for k, v in departments.items()})


@dataclass(frozen=True)
class Rectification:
    """大排查大整改 (seeds 000, 001; DOMAIN §4 G): the campaign's checklist file, and the defaults of an item that
    sets no due date or no responsible unit of its own."""

    checklist: str  # file name beside this year's policy file, e.g. rectification-2026.toml
    default_due_workdays: int  # working days from the finding, where the checklist gives no date
    default_unit: str  # where the checklist names no responsible unit
    stage_workdays: dict[str, int]  # RECT_* stage time limits in working days (merged into deadline_workdays)


def _rectification(raw: object, where: str) -> Rectification | None:
    """The [rectification] section; its time limits are whole working days, at least 1."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    stages = raw.get("deadline_workdays", {})
    assert isinstance(stages, dict)
    days = int(raw["default_due_workdays"])
    if days < 1:
        raise InvalidInput(where, "rectification.default_due_workdays", days, "整改时限须至少1个工作日")
    for code, value in stages.items():
        if not str(code).startswith("RECT_") or int(value) < 1:
            raise InvalidInput(where, f"rectification.deadline_workdays.{code}", value,
                               "只能为RECT_开头的整改环节设定至少1个工作日的时限")
    return Rectification(str(raw["checklist"]), days, str(raw["default_unit"]),
                         {str(k): int(v) for k, v in stages.items()})


def _rectification_workdays(raw: object, deadlines: dict[str, object], workdays: dict[str, object]) -> dict[str, int]:
    """The rectification stages' working-day limits, for the policy's deadline_workdays; none set twice."""
    if not isinstance(raw, dict):
        return {}
    stages = raw.get("deadline_workdays", {})
    assert isinstance(stages, dict)
    for code in sorted(set(stages) & (set(deadlines) | set(workdays))):
        raise InvalidInput("rectification.deadline_workdays", "环节", code, "该环节的时限已在其他位置设定")
    return {str(k): int(v) for k, v in stages.items()}


@dataclass(frozen=True)
class KeyVillage:
    """重点帮扶村 (seed 004, Guangdong 双到): the condition a village must meet to apply."""

    collective_income: Threshold  # village collective income a year, yuan


def _key_village(raw: object) -> KeyVillage | None:
    """The [key_village] section."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    return KeyVillage(collective_income=_threshold(raw["collective_income"]))


@dataclass(frozen=True)
class RelativePoor:
    """Relative-poor household 相对贫困户 (seed 004, Guangdong 双到): the income line, the houses and members that go
    first at equal conditions, and the city's random-sample check."""

    income: Threshold  # 人均纯收入1500元以下: at most the line (以下 includes it)
    priority_houses: tuple[str, ...]  # 泥砖房、茅草房
    city_sample: Sampling


def _relative_poor(raw: object, where: str) -> RelativePoor | None:
    """The [relative_poor] section; the city sample's rate is a share between 0 and 1."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    sample = raw["city_sample"]
    assert isinstance(sample, dict)
    rate = Decimal(str(sample["rate"]))
    if not 0 < rate <= 1:
        raise InvalidInput(where, "relative_poor.city_sample.rate", rate, "抽样比例须大于0且不超过1")
    houses = tuple(str(h) for h in raw.get("priority_houses", ("泥砖房", "茅草房")))
    return RelativePoor(income=_threshold(raw["income"]), priority_houses=houses,
                        city_sample=Sampling(rate, int(sample["full_coverage_below"]), int(sample.get("minimum", 0))))
