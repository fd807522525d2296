"""Working days on the State Council's holiday calendar: 调休 make-up days, day 1 = the next working day,
deadlines to 24:00 office time, and a provisional weekends-only reckoning for years without data.

Expected dates are those of 国办发明电〔2025〕7号 (the 2026 arrangement): Spring Festival 02-15..02-23 off with
make-up Saturdays 02-14 and 02-28; Mid-Autumn 09-25..09-27 off; National Day 10-01..10-07 off with make-up
days 09-20 (Sunday) and 10-10 (Saturday).
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.core.clock import days_left, last_day, parse
from models.core.errors import InvalidInput
from models.core.settings import PROJECT_ROOT
from models.core.workdays import (
    PROVISIONAL_NOTE,
    HolidayNotice,
    WorkCalendar,
    add_workdays,
    is_workday,
    load_calendar,
    workday_deadline,
    workdays_between,
)
from models.door.chain import chain_named
from models.policy.loading import parse_policy

PACKAGE = WorkCalendar()  # the pinned package alone, whatever notices an installation has entered


def added(start: date, n: int) -> date:
    result = add_workdays(start, n, PACKAGE)
    assert not result.provisional
    return result.day


@pytest.mark.parametrize(("day", "works"), [
    (date(2026, 2, 14), True),    # Saturday, make-up day before the Spring Festival
    (date(2026, 2, 15), False),   # Sunday, first day off
    (date(2026, 2, 17), False),   # Tuesday, 正月初一
    (date(2026, 2, 23), False),   # Monday, last day off
    (date(2026, 2, 24), True),
    (date(2026, 2, 28), True),    # Saturday, make-up day after it
    (date(2026, 3, 1), False),    # an ordinary Sunday
    (date(2026, 9, 20), True),    # Sunday, make-up day before National Day
    (date(2026, 9, 28), True),    # Monday after Mid-Autumn: no make-up day, a normal working day
    (date(2026, 10, 7), False),
    (date(2026, 10, 8), True),    # Thursday after the holiday
    (date(2026, 10, 10), True),   # Saturday, make-up day
    (date(2026, 10, 11), False),  # the Sunday after it
])
def test_the_2026_arrangement_with_its_make_up_days(day: date, works: bool) -> None:
    assert is_workday(day, PACKAGE) is works


def test_day_one_is_the_next_working_day_and_zero_is_the_start_itself() -> None:
    assert added(date(2026, 11, 4), 0) == date(2026, 11, 4)
    assert added(date(2026, 11, 4), 1) == date(2026, 11, 5)
    assert added(date(2026, 11, 7), 0) == date(2026, 11, 7)  # a Saturday start stays put for n = 0
    assert added(date(2026, 11, 7), 1) == date(2026, 11, 9)  # and counts from Monday


def test_ordinary_weekends_are_skipped() -> None:
    assert added(date(2026, 11, 6), 1) == date(2026, 11, 9)  # Friday → Monday
    assert added(date(2026, 11, 2), 5) == date(2026, 11, 9)  # Monday + 5 → next Monday
    assert added(date(2026, 11, 2), 10) == date(2026, 11, 16)


def test_across_the_spring_festival() -> None:
    assert added(date(2026, 2, 13), 2) == date(2026, 2, 24)  # 02-14 (make-up), then 02-24
    assert added(date(2026, 2, 12), 3) == date(2026, 2, 24)  # 02-13, 02-14, 02-24
    assert added(date(2026, 2, 16), 1) == date(2026, 2, 24)  # opened during the holiday
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 28), PACKAGE).days == 6


def test_a_deadline_whose_last_day_is_a_make_up_saturday() -> None:
    assert added(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert added(date(2026, 2, 24), 4) == date(2026, 2, 28)  # 02-25, 26, 27, then Saturday 02-28
    assert added(date(2026, 10, 8), 2) == date(2026, 10, 10)
    due = workday_deadline(parse("2026-02-24 10:00"), 4, PACKAGE)
    assert due.last_day == date(2026, 2, 28) and due.at == parse("2026-03-01")
    assert days_left(due.at, parse("2026-02-28 23:59")) == 1


def test_five_working_days_from_the_eve_of_national_day() -> None:
    assert added(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert added(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert added(date(2026, 9, 30), 5) == date(2026, 10, 13)  # 10-08, 10-09, 10-10, 10-12, 10-13
    assert added(date(2026, 9, 24), 1) == date(2026, 9, 28)   # over Mid-Autumn
    assert added(date(2026, 9, 19), 1) == date(2026, 9, 20)   # onto the make-up Sunday


def test_a_working_day_deadline_ends_at_midnight_office_time_like_clock_deadlines() -> None:
    due = workday_deadline(parse("2026-09-30 15:00"), 5, PACKAGE)
    assert due.last_day == last_day(due.at) == date(2026, 10, 13)
    assert due.at == parse("2026-10-14 00:00")
    assert not due.provisional and due.note == ""
    # 01:00 on 02-14 in Shanghai is still 02-13 in UTC: the office's day (the make-up Saturday) counts.
    assert workday_deadline(parse("2026-02-14 01:00"), 1, PACKAGE).last_day == date(2026, 2, 24)


def test_the_calendar_knows_2004_to_2026_only() -> None:
    assert PACKAGE.known(2026) and PACKAGE.known(2004)
    assert not PACKAGE.known(2027) and not PACKAGE.known(2003)


def test_into_2027_the_count_falls_back_to_weekends_and_says_so() -> None:
    within = add_workdays(date(2026, 12, 25), 4, PACKAGE)  # 12-28, 29, 30, 31
    assert within.day == date(2026, 12, 31) and not within.provisional
    across = add_workdays(date(2026, 12, 28), 5, PACKAGE)  # 12-29, 30, 31, then Fri 01-01 and Mon 01-04
    assert across.day == date(2027, 1, 4) and across.provisional
    assert across.note == PROVISIONAL_NOTE == "（按周末推算，待国务院办公厅公布节假日安排后核定）"
    assert is_workday(date(2027, 1, 2), PACKAGE) is False  # Saturday
    due = workday_deadline(parse("2026-12-28 09:00"), 5, PACKAGE)
    assert due.last_day == date(2027, 1, 4) and due.provisional
    span = workdays_between(date(2026, 12, 28), date(2027, 1, 4), PACKAGE)
    assert span.days == 5 and span.provisional


def test_an_entered_notice_makes_the_year_known(tmp_path: Path) -> None:
    (tmp_path / "2027.toml").write_text(
        'source = "test notice"\ndays_off = [2027-01-01, [2027-02-06, 2027-02-12]]\nworkdays = [2027-02-14]\n',
        encoding="utf-8",
    )
    calendar = load_calendar(tmp_path)
    assert calendar.known(2027) and calendar.notices[2027].source == "test notice"
    across = add_workdays(date(2026, 12, 28), 5, calendar)  # 12-29, 30, 31, 01-04, 01-05
    assert across.day == date(2027, 1, 5) and not across.provisional
    assert is_workday(date(2027, 2, 14), calendar) and not is_workday(date(2027, 2, 8), calendar)
    assert not load_calendar(tmp_path / "absent").known(2027)


def test_a_notice_overrides_single_days_of_a_known_year() -> None:
    local = WorkCalendar({2026: HolidayNotice(2026, days_off=frozenset({date(2026, 4, 20)}))})
    assert add_workdays(date(2026, 4, 17), 1, local).day == date(2026, 4, 21)
    assert add_workdays(date(2026, 2, 13), 1, local).day == date(2026, 2, 14)  # the package still counts


@pytest.mark.parametrize(("text", "rule"), [
    ("days_off = [2026-12-31]\n", "2027年内"),
    ("days_off = [[2027-02-12, 2027-02-06]]\n", "区间"),
    ("days_off = [2027-02-14]\nworkdays = [2027-02-14]\n", "既放假又上班"),
])
def test_a_wrong_notice_file_is_refused_with_the_rule(tmp_path: Path, text: str, rule: str) -> None:
    (tmp_path / "2027.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=rule):
        load_calendar(tmp_path)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 5), -1, PACKAGE)


def _policy_raw() -> dict[str, object]:
    with (PROJECT_ROOT / "policy" / "43" / "2026.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_a_stage_limit_in_working_days_sets_the_due_date() -> None:
    from models.door.cases import due_at, due_note

    raw = _policy_raw()
    deadlines = dict(raw["deadlines"])  # type: ignore[call-overload]
    del deadlines["COUNTY_RECHECK"]
    raw["deadlines"] = deadlines
    raw["deadline_workdays"] = {"COUNTY_RECHECK": 5}
    policy = parse_policy(raw, "43", 2026)
    stages = chain_named("HOUSEHOLD_EXIT")
    recheck, approval = stages.stage("COUNTY_RECHECK"), stages.stage("COUNTY_APPROVAL")
    opened = parse("2026-09-30 15:00")
    assert due_at(policy, recheck, opened) == parse("2026-10-14 00:00")
    assert due_at(policy, approval, opened) == parse("2026-10-11 00:00")  # still 10 calendar days
    assert due_note(policy, "COUNTY_RECHECK", opened, due_at(policy, recheck, opened)) == ""
    late = parse("2026-12-28 09:00")
    assert due_note(policy, "COUNTY_RECHECK", late, due_at(policy, recheck, late)) == PROVISIONAL_NOTE
    assert due_note(policy, "COUNTY_APPROVAL", late, due_at(policy, approval, late)) == ""


def test_the_household_exit_policy_keeps_calendar_days_and_one_table_per_stage() -> None:
    raw = _policy_raw()
    workdays = parse_policy(raw, "43", 2026).deadline_workdays
    assert workdays and not set(workdays) & {s.code for s in HOUSEHOLD_EXIT.stages}  # chain A: calendar days
    raw["deadline_workdays"] = {**raw["deadline_workdays"], "HOME_CHECK": 10}
    with pytest.raises(InvalidInput, match="HOME_CHECK"):
        parse_policy(raw, "43", 2026)


@given(start=st.dates(date(2004, 1, 1), date(2027, 12, 31)), n=st.integers(0, 40))
def test_n_working_days_lie_after_the_start_up_to_the_result(start: date, n: int) -> None:
    result = add_workdays(start, n, PACKAGE)
    if n == 0:
        assert result.day == start and not result.provisional
        return
    assert is_workday(result.day, PACKAGE)
    days = [start + timedelta(days=i) for i in range(1, (result.day - start).days + 1)]
    assert sum(is_workday(d, PACKAGE) for d in days) == n
    assert result.provisional == (result.day.year > 2026)
    if result.day.year <= 2026:
        assert len(chinese_calendar.get_workdays(start + timedelta(days=1), result.day)) == n
        if chinese_calendar.is_workday(start):
            # find_workday first rolls a day off onto the next working day as its day 0: comparable only here.
            assert result.day == chinese_calendar.find_workday(n, start)
