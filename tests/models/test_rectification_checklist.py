"""The rectification checklist as policy data: every item of seed 001 with its content, fix, units and due date
as the seed writes them, and the due-date rule of a finding (DOMAIN §5: to 24:00 office time)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from models.chains.rectification.checklist import checklist_for, checklist_item, due_for, parse_checklist
from models.core.clock import local_date, start_of_local_day
from models.core.errors import InvalidInput
from models.policy.loading import policy_for

SEED = Path(__file__).parent.parent / "data" / "seed_001_rectification.txt"
COUNTY = "430121000000"
FOUND = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 2026-11-02 09:00 office time


def seed_text() -> str:
    """The seed's text with the web copy's page markers ("2、", "3、"… at each line start) removed."""
    return "".join(re.sub(r"^\d+、", "", line, count=1) for line in SEED.read_text(encoding="utf-8").split("\n"))


def test_every_item_of_the_seed_is_in_the_checklist():
    text = seed_text()
    items = checklist_for(COUNTY, 2026)
    assert len(items) == text.count("排查内容") == 10
    assert sum(1 for i in items if i.fix) == text.count("整改措施") - 1  # the heading 三、具体内容和整改措施
    assert sum(1 for i in items if i.units_text) == text.count("责任单位") == 9
    assert [i.code for i in items] == ["1-1", "1-2", "1-3", "1-4", "1-5", "1-6", "2-1", "2-2", "3", "4"]


def test_each_item_keeps_the_seed_wording():
    text = seed_text()
    for item in checklist_for(COUNTY, 2026):
        assert item.content in text, item.code
        assert item.fix in text, item.code
        assert f"责任单位:{item.units_text}" in text or not item.units_text, item.code
        for unit in item.units if not item.unit_defaulted else ():
            assert unit in item.units_text, (item.code, unit)


def test_the_first_item_reads_as_the_seed():
    item = checklist_item(COUNTY, 2026, "1-1")
    assert item.title == "贫困户增收情况排查"
    assert item.content.startswith("对照省考核标准,排查所有贫困户收入是否到达省脱贫标准(3700元)")
    assert item.fix.startswith("每户全面认真核查贫困户收入,重新算一次收入调查表")
    assert item.units == ("帮扶责任人", "村(社区)扶贫专干", "驻村工作队或联村组长")


def test_only_the_two_items_the_seed_dates_have_a_due_date():
    dated = {i.code: (i.due_text, i.due_month_day) for i in checklist_for(COUNTY, 2026) if i.due_month_day}
    assert dated == {"1-5": ("在11月30日前录入到位", (11, 30)), "1-6": ("11月30日前", (11, 30))}


def test_the_truncated_item_takes_the_policy_default_unit():
    item = checklist_item(COUNTY, 2026, "4")
    assert item.truncated and item.unit_defaulted and item.fix == ""
    assert item.units == ("镇扶贫工作站",)
    assert policy_for(COUNTY, 2026).rectification is not None


def test_a_dated_item_is_due_at_24_00_of_its_date():
    settings = policy_for(COUNTY, 2026).rectification
    assert settings is not None
    due = due_for(checklist_item(COUNTY, 2026, "1-5"), settings, 2026, FOUND)
    assert due.last_day == date(2026, 11, 30)
    assert due.at == start_of_local_day(date(2026, 12, 1))
    assert due.rule == "在11月30日前录入到位（整改方案规定）"


def test_an_undated_item_is_due_15_working_days_after_the_finding():
    settings = policy_for(COUNTY, 2026).rectification
    assert settings is not None and settings.default_due_workdays == 15
    due = due_for(checklist_item(COUNTY, 2026, "1-1"), settings, 2026, FOUND)
    # 11-03..06 (4), 11-09..13 (9), 11-16..20 (14), 11-23 (15): November 2026 has no holiday.
    assert due.last_day == date(2026, 11, 23) and not due.provisional


def test_an_undated_item_over_the_national_day_holiday_counts_working_days_only():
    settings = policy_for(COUNTY, 2026).rectification
    assert settings is not None
    found = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)
    due = due_for(checklist_item(COUNTY, 2026, "1-1"), settings, 2026, found)
    # 10-01..10-07 off; 10-08, 10-09, 10-10 (调休), 10-12..16, 10-19..23, 10-26, 10-27 make 15.
    assert due.last_day == date(2026, 10, 27)


def test_an_inspection_may_set_a_date_but_not_before_the_finding():
    settings = policy_for(COUNTY, 2026).rectification
    assert settings is not None
    item = checklist_item(COUNTY, 2026, "1-1")
    assert due_for(item, settings, 2026, FOUND, date(2026, 11, 2)).last_day == local_date(FOUND)
    with pytest.raises(InvalidInput) as refused:
        due_for(item, settings, 2026, FOUND, date(2026, 11, 1))
    assert refused.value.field == "完成时限" and "不能早于发现问题之日（2026年11月2日）" in str(refused.value)


def test_an_unknown_item_is_refused_with_the_codes_that_exist():
    with pytest.raises(InvalidInput) as refused:
        checklist_item(COUNTY, 2026, "9-9")
    assert refused.value.value == "9-9" and "可选：1-1、1-2" in refused.value.rule


def test_a_checklist_file_with_a_duplicate_code_or_bad_date_is_refused():
    base = {"code": "1", "content": "排查内容", "units": ["甲"]}
    with pytest.raises(InvalidInput) as duplicate:
        parse_checklist({"items": [base, base]}, "镇扶贫工作站", "x.toml")
    assert duplicate.value.field == "code" and "不能重复" in duplicate.value.rule
    with pytest.raises(InvalidInput) as bad:
        parse_checklist({"items": [{**base, "due_month_day": "11-31"}]}, "镇扶贫工作站", "x.toml")
    assert bad.value.field == "due_month_day" and bad.value.value == "11-31"
    with pytest.raises(InvalidInput) as empty:
        parse_checklist({"items": [{**base, "content": " "}]}, "镇扶贫工作站", "x.toml")
    assert empty.value.field == "content"
