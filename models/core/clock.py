"""The one time module: Asia/Shanghai calendar days for windows and deadlines, aware UTC in the database.

"Now" is always a parameter; nothing here reads the wall clock except `utcnow()`, used only by
entry points that were given no simulated time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import pendulum

from models.core.settings import get_settings


def local_tz() -> pendulum.Timezone:
    """The office's time zone (Asia/Shanghai unless set otherwise)."""
    return _zone(get_settings().timezone)


@lru_cache(maxsize=8)
def _zone(name: str) -> pendulum.Timezone:
    return pendulum.timezone(name)


def utcnow() -> datetime:
    """The real current time, aware UTC (as stored)."""
    return datetime.now(UTC)


def to_db(moment: datetime) -> datetime:
    """A datetime as the database stores it: a plain aware UTC datetime (naive input is read as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    u = pendulum.instance(moment).in_timezone("UTC")
    return datetime(u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, tzinfo=UTC)


def local(moment: datetime) -> pendulum.DateTime:
    """A stored or aware datetime in the office's time zone."""
    return pendulum.instance(to_db(moment)).in_timezone(local_tz())


def local_date(moment: datetime) -> date:
    """The office's calendar date of a moment."""
    return local(moment).date()


def parse(text: str) -> datetime:
    """A clerk's date or date-time ("2026-11-01", "2026-11-01 09:30") read in office time, as UTC."""
    try:
        parsed = pendulum.parse(text, tz=local_tz(), strict=False)
    except (ValueError, pendulum.parsing.exceptions.ParserError) as exc:
        raise ValueError(f"无法识别的日期或时间：“{text}”，请写作 2026-11-01 或 2026-11-01 09:30") from exc
    if not isinstance(parsed, pendulum.DateTime):
        if isinstance(parsed, pendulum.Date):
            parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=local_tz())
        else:
            raise ValueError(f"无法识别的日期或时间：“{text}”")
    return to_db(parsed)


def start_of_local_day(day: date) -> datetime:
    """00:00 of a calendar day in office time, as stored UTC."""
    return to_db(pendulum.datetime(day.year, day.month, day.day, tz=local_tz()))


def window_end(posted_at: datetime, days: int, *, count_posting_day: bool = True) -> datetime:
    """End of a publicity window of `days` calendar days: 24:00 office time of its last day.

    Counting the posting day (DOMAIN §5): posted on 11-01 for 7 days, open through 11-07.
    Counting from the next day (Civil Code art. 201): open through 11-08.
    """
    first = local_date(posted_at) + timedelta(days=0 if count_posting_day else 1)
    return start_of_local_day(first + timedelta(days=days))


def deadline(opened_at: datetime, days: int) -> datetime:
    """Due moment of a stage given in calendar days, counted from the day after opening, at 24:00."""
    return start_of_local_day(local_date(opened_at) + timedelta(days=days + 1))


def last_day(end: datetime) -> date:
    """The last calendar day inside a period that ends (exclusive) at `end`."""
    return local_date(end - timedelta(microseconds=1))


def days_left(end: datetime, now: datetime) -> int:
    """Calendar days still open, today included; 0 once the period has ended."""
    if now >= end:
        return 0
    return (last_day(end) - local_date(now)).days + 1


def cn_date(day: date | datetime) -> str:
    """A date as official documents print it: 2026年11月1日 (Arabic numerals, no leading zeros)."""
    if isinstance(day, datetime):
        day = local_date(day)
    return f"{day.year}年{day.month}月{day.day}日"
