"""Working days on the State Council's holiday calendar (DOMAIN §5), for time limits given in working days.

Counting follows `clock.deadline`: day 1 is the first working day after the start day, so 5 working days
from 2026-09-30 end on 2026-10-13 (10-08, 10-09, the make-up Saturday 10-10, 10-12, 10-13), and a
deadline ends at 24:00 office time of its last day.

The calendar is the pinned chinese-calendar package (2004–2026 in 1.11.0), with any holiday notice an
office has entered as policy data on top: `<policy_dir>/holidays/<year>.toml`, e.g. 2027.toml::

    source = "国务院办公厅关于2027年部分节假日安排的通知"
    days_off = [2027-01-01, [2027-02-06, 2027-02-13]]   # single days, or [first, last] ranges
    workdays = [2027-02-14]                              # weekend days made working days (调休)

A year known to neither is reckoned on weekends alone, and every result that depends on it says so
(`provisional`, `PROVISIONAL_NOTE`); nothing here raises for an unknown year.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar

from models.core.clock import local_date, start_of_local_day
from models.core.errors import InvalidInput
from models.core.settings import get_settings

PROVISIONAL_NOTE = "（按周末推算，待国务院办公厅公布节假日安排后核定）"
ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def package_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has the holiday arrangement of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class HolidayNotice:
    """One year's holiday arrangement entered as policy data: days off, and weekend days made working days."""

    year: int
    days_off: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    source: str = ""


@dataclass(frozen=True)
class WorkCalendar:
    """The package's calendar with entered notices on top; their entries win over the package's."""

    notices: Mapping[int, HolidayNotice] = field(default_factory=dict)

    def known(self, year: int) -> bool:
        """Whether working days of `year` follow a published arrangement (not weekends alone)."""
        return year in self.notices or package_knows(year)

    def is_workday(self, day: date) -> bool:
        notice = self.notices.get(day.year)
        if notice is not None:
            if day in notice.workdays:
                return True
            if day in notice.days_off:
                return False
        if package_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def span_known(self, first: date, last: date) -> bool:
        """Whether every year from `first` to `last` is known (an empty span is)."""
        return first > last or all(self.known(year) for year in range(first.year, last.year + 1))


@dataclass(frozen=True)
class Workday:
    """A working day reached by counting, and whether the count crossed a year without holiday data."""

    day: date
    provisional: bool

    @property
    def note(self) -> str:
        return PROVISIONAL_NOTE if self.provisional else ""


@dataclass(frozen=True)
class WorkdayCount:
    """A number of working days, and whether it counted over a year without holiday data."""

    days: int
    provisional: bool

    @property
    def note(self) -> str:
        return PROVISIONAL_NOTE if self.provisional else ""


@dataclass(frozen=True)
class WorkdayDeadline:
    """A time limit in working days: due at 24:00 office time of `last_day` (stored UTC in `at`)."""

    at: datetime
    last_day: date
    provisional: bool

    @property
    def note(self) -> str:
        return PROVISIONAL_NOTE if self.provisional else ""


def _dates(raw: object, year: int, what: str, path: Path) -> frozenset[date]:
    """Dates of one list of a notice file: single dates and [first, last] ranges, all inside `year`."""
    if not isinstance(raw, list):
        raise InvalidInput(str(path), what, raw, "应为日期列表，例如 [2027-01-01, [2027-02-06, 2027-02-13]]")
    found: set[date] = set()
    for item in raw:
        pair = item if isinstance(item, list) else [item, item]
        if len(pair) != 2 or not all(type(d) is date for d in pair) or pair[0] > pair[1]:
            raise InvalidInput(str(path), what, item, "应为日期或[起, 止]日期区间")
        first, last = pair
        if first.year != year or last.year != year:
            raise InvalidInput(str(path), what, item, f"日期应在{year}年内")
        found.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return frozenset(found)


def read_notice(path: Path) -> HolidayNotice:
    """A holiday notice file, named by its year (2027.toml)."""
    year = int(path.stem)
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    off = _dates(raw.get("days_off", []), year, "days_off", path)
    work = _dates(raw.get("workdays", []), year, "workdays", path)
    both = sorted(off & work)
    if both:
        raise InvalidInput(str(path), "workdays", both[0], "同一天不能既放假又上班")
    return HolidayNotice(year, off, work, str(raw.get("source", "")))


def load_calendar(folder: Path) -> WorkCalendar:
    """The calendar with every notice file found in `folder` (a missing folder: the package alone)."""
    paths = sorted(folder.glob("[0-9][0-9][0-9][0-9].toml")) if folder.is_dir() else []
    return WorkCalendar({notice.year: notice for notice in map(read_notice, paths)})


@lru_cache(maxsize=8)
def _calendar_in(folder: Path) -> WorkCalendar:
    return load_calendar(folder)


def default_calendar() -> WorkCalendar:
    """The calendar of this installation: the package plus the notices under `<policy_dir>/holidays`."""
    return _calendar_in(get_settings().policy_dir / "holidays")


def _cal(calendar: WorkCalendar | None) -> WorkCalendar:
    return calendar if calendar is not None else default_calendar()


def is_workday(day: date, calendar: WorkCalendar | None = None) -> bool:
    """Whether `day` is a working day (make-up weekend days included); on weekends alone where not known."""
    return _cal(calendar).is_workday(day)


def add_workdays(start: date, n: int, calendar: WorkCalendar | None = None) -> Workday:
    """The day `n` working days after `start`: day 1 is the first working day after it; n = 0 is `start`."""
    if n < 0:
        raise ValueError(f"working days must be 0 or more, not {n}")
    cal = _cal(calendar)
    day = start
    for _ in range(n):
        day += ONE_DAY
        while not cal.is_workday(day):
            day += ONE_DAY
    return Workday(day, not cal.span_known(start + ONE_DAY, day))


def workdays_between(a: date, b: date, calendar: WorkCalendar | None = None) -> WorkdayCount:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`)."""
    cal = _cal(calendar)
    first, last = (a, b) if a <= b else (b, a)
    count = sum(1 for day in _days(first + ONE_DAY, last) if cal.is_workday(day))
    return WorkdayCount(count if a <= b else -count, not cal.span_known(first + ONE_DAY, last))


def workday_deadline(opened_at: datetime, n: int, calendar: WorkCalendar | None = None) -> WorkdayDeadline:
    """Due moment of a time limit of `n` working days: 24:00 office time of the n-th working day after opening."""
    reached = add_workdays(local_date(opened_at), n, calendar)
    return WorkdayDeadline(start_of_local_day(reached.day + ONE_DAY), reached.day, reached.provisional)


def _days(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=i) for i in range((last - first).days + 1))
