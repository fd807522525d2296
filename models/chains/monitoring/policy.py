"""Chain F's section of the policy file, [monitoring]: the yearly campaign's default phases and the industry
department that fixes each missing guarantee (seed 003)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.policy.reading import Table


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


def _month_day(raw: Table, key: str) -> tuple[int, int]:
    rule = "应为“月-日”，例如 03-20"
    text = raw.text(key)
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is a valid default
    except ValueError as exc:
        raise raw.refuse(key, text, rule) from exc
    return month, day


def _phase(raw: Table) -> PhaseDefault:
    start, end = _month_day(raw, "start"), _month_day(raw, "end")
    if end < start:
        raise raw.refuse("end", raw.text("end"), f"结束日期不能早于开始日期{raw.text('start')}")
    return PhaseDefault(raw.text("code"), raw.text("name"), start, end, raw.flag("monthly", default=False))


def monitoring_section(raw: Table | None) -> Monitoring | None:
    """The [monitoring] section: phases in order, each with its dates; a department for guarantees."""
    if raw is None:
        return None
    found = tuple(_phase(p) for p in raw.tables("phases"))
    if len({p.code for p in found}) != len(found):
        raise raw.refuse("phases", len(found), "阶段代码不能重复")
    departments = raw.table("departments")
    return Monitoring(found, {key: departments.text(key) for key in departments})
