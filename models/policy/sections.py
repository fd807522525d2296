"""The chains' own sections of a policy file (village exit, edge households, monitoring, rectification, key
villages, relative-poor households): each a dataclass and the parser of its TOML table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.core.errors import InvalidInput
from models.policy.thresholds import Sampling, Threshold, threshold


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


def village_exit_section(raw: object, where: str) -> VillageExit | None:
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
        incidence=threshold(raw["incidence"]), collective_income=threshold(raw["collective_income"]),
        score=threshold(raw["score"]), score_total=total, indicators=indicators,
        wrong_exit_sampling=Sampling(Decimal(str(sample["rate"])), int(sample["full_coverage_below"]),
                                     int(sample["minimum"])),
        wrong_exit_rate=threshold(limits["wrong_exit_rate"]), missed_rate=threshold(limits["missed_rate"]),
        approval_rate=threshold(limits["approval_rate"]),
    )


# Household flags that keep a household off the edge list (seed 002: 低保户、特困人员等群体暂不列入), by field name.
EDGE_EXCLUSION_NAMES = {"minimum_allowance": "低保户", "destitute": "特困人员", "registered_poor": "建档立卡贫困户"}


@dataclass(frozen=True)
class EdgeHousehold:
    """Edge household 贫困边缘户 (seed 002): per-capita net income in the band, and the households excluded."""

    lower: Threshold  # 高于建档立卡贫困户标准: strictly above the poverty line
    upper: Threshold  # 未达到4000元: strictly below
    excluded: tuple[str, ...]  # keys of EDGE_EXCLUSION_NAMES


def edge_household_section(raw: object, poverty_line: Threshold, where: str) -> EdgeHousehold | None:
    """The [edge_household] section; its lower bound is the poverty line ([exit_income]) unless it sets its own."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    excluded = tuple(str(flag) for flag in raw.get("excluded", ("minimum_allowance", "destitute")))
    for flag in excluded:
        if flag not in EDGE_EXCLUSION_NAMES:
            raise InvalidInput(where, "edge_household.excluded", flag,
                               f"只能是{'、'.join(f'{k}（{v}）' for k, v in EDGE_EXCLUSION_NAMES.items())}之一")
    lower = threshold(raw["lower"]) if "lower" in raw else poverty_line
    return EdgeHousehold(lower=lower, upper=threshold(raw["upper"]), excluded=excluded)


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
    departments: dict[str, str]  # guarantee code (home_checks.standards.GUARANTEES) → department, without the county


def _month_day(raw: object, where: str, field_name: str) -> tuple[int, int]:
    text = str(raw)
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is a valid default
    except ValueError as exc:
        raise InvalidInput(where, field_name, text, "应为“月-日”，例如 03-20") from exc
    return month, day


def monitoring_section(raw: object, where: str) -> Monitoring | None:
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


def rectification_section(raw: object, where: str) -> Rectification | None:
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


def rectification_workdays(raw: object, deadlines: dict[str, object], workdays: dict[str, object]) -> dict[str, int]:
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
    """重点帮扶村 (seed 004, Guangdong 双到): the condition a village must meet to apply, and the shares of each
    county's villages the city's spot-check (地市抽查) and the province's field check (实地抽查核实) draw."""

    collective_income: Threshold  # village collective income a year, yuan
    city_sample: Sampling  # counted in villages, not people
    province_sample: Sampling


def _village_sample(raw: dict[str, object], name: str) -> Sampling:
    """A sample rule counted in villages: a share between 0 and 1, whole numbers not below 0."""
    sample = raw.get(name)
    if not isinstance(sample, dict):
        raise InvalidInput("key_village", name, sample, "须设定抽样规则：{ rate, full_coverage_below, minimum }")
    rate = Decimal(str(sample["rate"]))
    if not 0 < rate <= 1:
        raise InvalidInput("key_village", f"{name}.rate", rate, "抽样比例须大于0且不超过1")
    below, minimum = int(sample["full_coverage_below"]), int(sample.get("minimum", 0))
    if below < 0 or minimum < 0:
        raise InvalidInput("key_village", name, f"{below}/{minimum}", "全覆盖村数和最少抽取村数不能为负数")
    return Sampling(rate, below, minimum)


def key_village_section(raw: object) -> KeyVillage | None:
    """The [key_village] section."""
    if raw is None:
        return None
    assert isinstance(raw, dict)
    return KeyVillage(collective_income=threshold(raw["collective_income"]),
                      city_sample=_village_sample(raw, "city_sample"),
                      province_sample=_village_sample(raw, "province_sample"))


@dataclass(frozen=True)
class RelativePoor:
    """Relative-poor household 相对贫困户 (seed 004, Guangdong 双到): the income line, the houses and members that go
    first at equal conditions, and the city's random-sample check."""

    income: Threshold  # 人均纯收入1500元以下: at most the line (以下 includes it)
    priority_houses: tuple[str, ...]  # 泥砖房、茅草房
    city_sample: Sampling


def relative_poor_section(raw: object, where: str) -> RelativePoor | None:
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
    return RelativePoor(income=threshold(raw["income"]), priority_houses=houses,
                        city_sample=Sampling(rate, int(sample["full_coverage_below"]), int(sample.get("minimum", 0))))
