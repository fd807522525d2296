"""Policy as versioned data: one TOML file per province and year under the policy folder.

Its thresholds carry their comparisons (models/policy/thresholds.py); the chains' own sections are parsed in
models/policy/sections.py.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from models.core.errors import InvalidInput, PolicyMissing
from models.core.settings import get_settings
from models.evidence.policy import EvidencePolicy, evidence_section
from models.policy.sections import (
    EDGE_EXCLUSION_NAMES,
    EdgeHousehold,
    Indicator,
    KeyVillage,
    Monitoring,
    PhaseDefault,
    Rectification,
    RelativePoor,
    VillageExit,
    edge_household_section,
    key_village_section,
    monitoring_section,
    rectification_section,
    rectification_workdays,
    relative_poor_section,
    village_exit_section,
)
from models.policy.thresholds import COMPARISON_WORDS, Comparison, Sampling, Threshold, threshold

__all__ = [
    "COMPARISON_WORDS", "EDGE_EXCLUSION_NAMES", "Comparison", "EdgeHousehold", "Indicator", "KeyVillage", "Masking",
    "Monitoring", "PhaseDefault", "Policy", "PublicColumns", "Rectification", "RelativePoor", "Sampling", "Threshold",
    "VillageExit", "parse_policy", "policy_for",
]


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
    evidence: EvidencePolicy = field(default_factory=EvidencePolicy)  # evidence kinds, required uploads, case files


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
        exit_income=threshold(exit_income),
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
                           **rectification_workdays(raw.get("rectification"), deadlines, workdays)},
        village_exit=village_exit_section(raw.get("village_exit"), f"{province}/{year}.toml"),
        edge_household=edge_household_section(raw.get("edge_household"), threshold(exit_income),
                                       f"{province}/{year}.toml"),
        monitoring=monitoring_section(raw.get("monitoring"), f"{province}/{year}.toml"),
        rectification=rectification_section(raw.get("rectification"), f"{province}/{year}.toml"),
        relative_poor=relative_poor_section(raw.get("relative_poor"), f"{province}/{year}.toml"),
        key_village=key_village_section(raw.get("key_village")),
        evidence=evidence_section(raw.get("evidence"), raw.get("case_file"), f"{province}/{year}.toml"),
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
