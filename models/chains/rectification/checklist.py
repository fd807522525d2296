"""The checklist of a 大排查大整改 campaign (seed 001; DOMAIN §4 G) as policy data: each item's 排查内容, 整改措施,
责任单位 and 完成时限, read from the file the year's [rectification] section names, and its due-date rule."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from models.chains.rectification.policy import Rectification
from models.core.clock import cn_date, local_date, start_of_local_day
from models.core.errors import InvalidInput, PolicyMissing
from models.core.settings import get_settings
from models.core.workdays import workday_deadline
from models.policy.loading import policy_for


@dataclass(frozen=True)
class ChecklistItem:
    """One 排查事项 as the campaign's plan writes it."""

    code: str
    section: str
    title: str
    content: str  # 排查内容
    fix: str  # 整改措施 ("" where the plan gives none)
    units_text: str  # 责任单位 as written
    units: tuple[str, ...]  # the units a finding may be assigned to
    due_text: str  # 完成时限 as written ("" where the plan gives none)
    due_month_day: tuple[int, int] | None
    truncated: bool  # the source breaks off inside this item
    unit_defaulted: bool  # the plan names no unit: the policy's default_unit stands in


@dataclass(frozen=True)
class Due:
    """When a finding must be fixed: 24:00 office time of `last_day`, and the rule it came from."""

    at: datetime
    last_day: date
    rule: str
    provisional: bool


def rectification_policy(region_code: str, year: int) -> Rectification:
    """The rectification campaign settings in force for a region and year."""
    found = policy_for(region_code, year).rectification
    if found is None:
        raise PolicyMissing(f"{region_code[:2]}省（区划前两位）{year}年度的政策数据"
                            "没有大排查大整改（[rectification]）设置")
    return found


def _month_day(raw: object, where: str) -> tuple[int, int]:
    text = str(raw)
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)
    except ValueError as exc:
        raise InvalidInput(where, "due_month_day", text, "应为“月-日”，例如 11-30") from exc
    return month, day


def parse_checklist(raw: dict[str, object], default_unit: str, where: str) -> tuple[ChecklistItem, ...]:
    """The items of one checklist file, in the file's order; codes unique, every item with content."""
    entries = raw.get("items")
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(where, "items", entries, "排查清单至少须有一个排查事项（[[items]]）")
    items: list[ChecklistItem] = []
    for entry in entries:
        assert isinstance(entry, dict)
        code = str(entry.get("code", "")).strip()
        record = f"{where} 排查事项{code or '（无代码）'}"
        if not code or code in {i.code for i in items}:
            raise InvalidInput(record, "code", code, "排查事项代码须填写且不能重复")
        content = str(entry.get("content", "")).strip()
        if not content:
            raise InvalidInput(record, "content", content, "须写明排查内容")
        units = tuple(str(u).strip() for u in entry.get("units", []) if str(u).strip())
        due = entry.get("due_month_day")
        items.append(ChecklistItem(
            code=code, section=str(entry.get("section", "")), title=str(entry.get("title", "")), content=content,
            fix=str(entry.get("fix", "")).strip(), units_text=str(entry.get("units_text", "")).strip(),
            units=units or (default_unit,), due_text=str(entry.get("due_text", "")).strip(),
            due_month_day=_month_day(due, record) if due else None, truncated=bool(entry.get("truncated", False)),
            unit_defaulted=not units,
        ))
    return tuple(items)


@lru_cache(maxsize=16)
def _load(path: Path, default_unit: str) -> tuple[ChecklistItem, ...]:
    if not path.exists():
        raise PolicyMissing(f"没有大排查大整改排查清单文件：{path}")
    with path.open("rb") as handle:
        return parse_checklist(tomllib.load(handle), default_unit, path.name)


def checklist_for(region_code: str, year: int) -> tuple[ChecklistItem, ...]:
    """The campaign checklist in force for a region (by its province) and year."""
    settings = rectification_policy(region_code, year)
    return _load(get_settings().policy_dir / region_code[:2] / settings.checklist, settings.default_unit)


def checklist_item(region_code: str, year: int, code: str) -> ChecklistItem:
    """One item of the checklist by its code; an unknown code is refused with the codes that exist."""
    items = checklist_for(region_code, year)
    for item in items:
        if item.code == code:
            return item
    choices = "、".join(i.code for i in items)
    raise InvalidInput("排查问题", "排查事项", code, f"不在{year}年度排查清单内；可选：{choices}")


def due_for(item: ChecklistItem, settings: Rectification, year: int, found_at: datetime,
            override: date | None = None) -> Due:
    """The due date of a finding of `item` made at `found_at`: a date the inspection sets, else the plan's date in
    the campaign year, else the policy's default working days; every deadline ends at 24:00 office time."""
    if override is not None:
        if override < local_date(found_at):
            raise InvalidInput(f"排查事项{item.code}", "完成时限", cn_date(override),
                               f"不能早于发现问题之日（{cn_date(found_at)}）")
        return Due(start_of_local_day(override + timedelta(days=1)), override, f"{cn_date(override)}前（交办时确定）",
                   False)
    if item.due_month_day is not None:
        day = date(year, *item.due_month_day)
        return Due(start_of_local_day(day + timedelta(days=1)), day, f"{item.due_text}（整改方案规定）", False)
    limit = workday_deadline(found_at, settings.default_due_workdays)
    rule = f"发现之日起{settings.default_due_workdays}个工作日内（方案未定时限，按政策默认）"
    return Due(limit.at, limit.last_day, rule, limit.provisional)
