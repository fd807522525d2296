"""Policy as versioned data: one TOML file per province and year under the policy folder.

Its thresholds carry their comparisons (models/policy/thresholds.py); each chain's own section is parsed in its
package (models/chains/<chain>/policy.py); a bad file is refused with the file, the key and the rule
(models/policy/reading.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from models.chains.edge_identify.policy import EdgeHousehold, edge_household_section
from models.chains.key_village.policy import KeyVillage, key_village_section
from models.chains.monitoring.policy import Monitoring, monitoring_section
from models.chains.rectification.policy import Rectification, rectification_section, rectification_workdays
from models.chains.relative_identify.policy import RelativePoor, relative_poor_section
from models.chains.village_exit.policy import VillageExit, village_exit_section
from models.core.errors import PolicyInvalid, PolicyMissing
from models.core.settings import get_settings
from models.evidence.policy import EvidencePolicy, evidence_section
from models.policy.reading import Table
from models.policy.thresholds import COMPARISON_WORDS, Comparison, Sampling, Threshold

__all__ = ["COMPARISON_WORDS", "Comparison", "Masking", "Policy", "PublicColumns", "Sampling", "Threshold",
           "parse_policy", "policy_for"]


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


def _masking(raw: Table) -> Masking:
    return Masking(*(raw.integer(key, minimum=0) for key in
                     ("id_keep_start", "id_keep_end", "phone_keep_start", "phone_keep_end")))


def parse_policy(raw: dict[str, object], province: str, year: int, file: str | None = None) -> Policy:
    """A Policy from the parsed TOML of one file (`file`: its path, named when the file is refused)."""
    top = Table(raw, file or f"{province}/{year}.toml")
    meta, publicity, public = top.table("meta"), top.table("publicity"), top.table("public_notice", may_be_absent=True)
    deadlines = top.table("deadlines").integers(minimum=1)
    workdays = top.table("deadline_workdays", may_be_absent=True).integers(minimum=1)
    for code in sorted(set(workdays) & set(deadlines)):
        raise top.refuse(f"deadline_workdays.{code}", workdays[code],
                         "同一环节的时限只能按自然日（deadlines）或工作日（deadline_workdays）之一计算")
    rectification = top.optional_table("rectification")
    exit_income = top.threshold("exit_income")
    return Policy(
        province=province,
        year=year,
        name=meta.text("name"),
        source=meta.text("source"),
        exit_income=exit_income,
        recheck_sampling=top.sampling("recheck_sampling"),
        window_days=publicity.integer("days", minimum=1),
        count_posting_day=publicity.flag("count_posting_day"),
        deadlines=deadlines,
        masking=_masking(top.table("masking")),
        public_columns=PublicColumns(public.flag("show_id", default=False), public.flag("show_phone", default=False)),
        deadline_workdays={**workdays, **rectification_workdays(rectification, set(deadlines) | set(workdays))},
        village_exit=village_exit_section(top.optional_table("village_exit")),
        edge_household=edge_household_section(top.optional_table("edge_household"), exit_income),
        monitoring=monitoring_section(top.optional_table("monitoring")),
        rectification=rectification_section(rectification),
        relative_poor=relative_poor_section(top.optional_table("relative_poor")),
        key_village=key_village_section(top.optional_table("key_village")),
        evidence=evidence_section(top),
    )


@lru_cache(maxsize=64)
def _load(policy_dir: Path, province: str, year: int) -> Policy:
    path = policy_dir / province / f"{year}.toml"
    if not path.exists():
        raise PolicyMissing(f"没有{province}省（区划前两位）{year}年度的政策数据文件：{path}")
    with path.open("rb") as handle:
        try:
            raw = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise _unreadable(path, error) from error
    return parse_policy(raw, province, year, str(path))


def _unreadable(path: Path, error: tomllib.TOMLDecodeError) -> PolicyInvalid:
    """A file that is not TOML, refused at the line tomllib stopped at (its message says "at line 3, column 5")."""
    found = re.search(r"at line (\d+)", str(error))
    number = int(found.group(1)) if found else 0
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    line = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return PolicyInvalid(str(path), f"第{number}行" if number else "文件", line or "（空）",
                         f"须符合TOML写法，例如 days = 7、name = \"文字\"（{error}）")


def policy_for(region_code: str, year: int) -> Policy:
    """The policy in force for a region (by its province) in a year."""
    return _load(get_settings().policy_dir, region_code[:2], year)
