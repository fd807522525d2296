"""The one time module: Shanghai calendar days, UTC storage, dates as documents print them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models.core.clock import cn_date, days_left, deadline, last_day, local_date, parse, window_end


def test_a_clerks_date_is_read_in_shanghai_time():
    assert parse("2026-11-01 09:30") == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)
    assert parse("2026-11-01") == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)


def test_a_bad_date_says_how_to_write_it():
    with pytest.raises(ValueError, match="2026-11-01"):
        parse("11月1日")


def test_late_evening_utc_is_the_next_day_in_shanghai():
    assert local_date(datetime(2026, 11, 1, 17, 0, tzinfo=UTC)) == date(2026, 11, 2)


def test_a_deadline_in_days_counts_from_the_next_day_to_midnight():
    opened = parse("2026-11-01 15:00")
    assert last_day(deadline(opened, 5)) == date(2026, 11, 6)


def test_days_left_counts_today():
    end = window_end(parse("2026-11-01 09:00"), 7)
    assert days_left(end, parse("2026-11-01 10:00")) == 7
    assert days_left(end, parse("2026-11-07 23:59")) == 1
    assert days_left(end, parse("2026-11-08 00:00")) == 0


def test_dates_print_without_leading_zeros():
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
