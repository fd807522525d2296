"""The due-soon digest: the horizon's boundary to the minute, overdue first, one township never sees another's
cases, windows closing within the days, open objections (and their lines in the mail), and a fixed number of
queries however many cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, update

from models.core.actors import system_actor
from models.core.case import Case
from models.core.clock import parse
from models.core.regions import Level, prefix
from models.digest.due_soon import digest, offices_with_work, overdue_days
from models.digest.mail import compose
from models.door.cases import CASE, RECORD, open_cases
from models.door.objections import raise_objection
from models.door.windows import close_due_windows, open_window
from synthetic.area import build_area
from tests.walk import CHAIN, open_all, walk_to

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
NOW = parse("2026-10-12 09:30")


def set_due(session, case_ids, due: datetime) -> None:
    session.execute(update(RECORD).where(RECORD.c.case_id.in_(list(case_ids)), RECORD.c.left_at.is_(None))
                    .values(due_at=due))
    session.commit()


def by_township(world, ids: list[int]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for case_id in ids:
        village = world.session.get(Case, case_id).village_code
        found.setdefault(village[:9] + "000", []).append(case_id)
    return found


@contextmanager
def statements(session) -> Iterator[list[str]]:
    """The SQL statements the session's engine executes inside the block."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def due(world) -> dict[str, object]:
    """Township 1's cases: one due exactly 3 days from now, one a minute later, one due this very moment, one an
    hour overdue at the next stage; the rest and township 2's far off, except township 2's first, due tomorrow."""
    cases = by_township(world, open_all(world, T0))
    t1, t2 = world.area.townships
    a, b, c, d, *rest = cases[t1]
    set_due(world.session, rest + cases[t2], NOW + timedelta(days=30))
    set_due(world.session, [a], NOW + timedelta(days=3))
    set_due(world.session, [b], NOW + timedelta(days=3, minutes=1))
    set_due(world.session, [c], NOW)
    world.session.execute(update(CASE).where(CASE.c.id == d).values(stage="COMMITTEE_REVIEW"))
    world.session.execute(update(RECORD).where(RECORD.c.case_id == d).values(stage="COMMITTEE_REVIEW"))
    set_due(world.session, [d], NOW - timedelta(hours=1))
    set_due(world.session, cases[t2][:1], NOW + timedelta(days=1))
    return {"a": a, "b": b, "c": c, "d": d, "t1": cases[t1], "t2": cases[t2]}


def ids_of(found) -> list[int]:
    return [c.case_id for s in found.stages for c in s.cases]


def test_due_exactly_at_the_horizon_is_in_and_a_minute_later_is_not(world, due):
    found = digest(world.session, prefix(world.township, Level.TOWNSHIP), NOW, 3)
    assert found.office == "示范镇" and found.until == NOW + timedelta(days=3)
    assert sorted(ids_of(found)) == sorted([due["a"], due["c"], due["d"]])
    assert (found.overdue, found.soon) == (2, 1)
    wider = digest(world.session, prefix(world.township, Level.TOWNSHIP), NOW, 4)
    assert due["b"] in ids_of(wider) and wider.soon == 2


def test_overdue_stages_come_first_and_each_stage_lists_its_overdue_cases_first(world, due):
    found = digest(world.session, prefix(world.township, Level.TOWNSHIP), NOW, 3)
    first, second = found.stages
    assert (first.chain_name, first.stage_name, first.overdue, first.soon) == ("贫困户脱贫退出", "村民小组推荐", 1, 1)
    assert [c.case_id for c in first.cases] == [due["c"], due["a"]]
    assert [(c.overdue, c.days) for c in first.cases] == [(True, 1), (False, 4)]  # due 10-12 24:00: 10-12..10-15
    assert (second.stage_name, second.overdue, second.soon) == ("村委会评议", 1, 0)
    late = second.cases[0]
    assert late.overdue and late.village and late.head and late.household


def test_another_townships_cases_never_appear(world, due):
    t1, t2 = world.area.townships
    mine = set(ids_of(digest(world.session, prefix(t1, Level.TOWNSHIP), NOW, 3)))
    theirs = set(ids_of(digest(world.session, prefix(t2, Level.TOWNSHIP), NOW, 3)))
    assert not mine & set(due["t2"]) and theirs == set(due["t2"][:1])
    county = digest(world.session, prefix(world.area.county_code, Level.COUNTY), NOW, 3)
    assert set(ids_of(county)) == mine | theirs and county.office == "长沙县"


def test_the_offices_with_work_are_the_governments_whose_region_has_something_due(world, due):
    t1, t2 = world.area.townships
    with statements(world.session) as seen:
        found = offices_with_work(world.session, NOW, 3)
    assert [o.code for o in found] == [world.area.county_code, t1, t2] and len(seen) == 4
    set_due(world.session, due["t2"], NOW + timedelta(days=30))
    assert [o.name for o in offices_with_work(world.session, NOW, 3)] == ["长沙县", "示范镇"]
    assert [o.code for o in offices_with_work(world.session, NOW, 3, scope=t2[:9])] == []


def test_windows_closing_within_the_days_and_open_objections(world):
    ids = [i for i in open_all(world, T0) if world.session.get(Case, i).village_code == world.villages[0]]
    walk_to(world, ids, "PUBLICITY", T0)
    system = system_actor(world.session)
    window = open_window(session=world.session, scope_code=world.villages[0], case_ids=ids,
                         now=parse("2026-11-01 09:00"), actor=system)  # open through 11-07, closes 11-08 00:00
    raise_objection(session=world.session, case_id=ids[0], raised_by="李四", content="家中新购轿车一辆",
                    now=parse("2026-11-03 10:00"), actor=system)
    world.session.commit()
    region = prefix(world.township, Level.TOWNSHIP)

    assert digest(world.session, region, parse("2026-11-04 23:59"), 3).windows == ()
    found = digest(world.session, region, parse("2026-11-05 00:00"), 3)
    (closing,) = found.windows
    assert (closing.id, closing.scope, closing.stage_name, closing.cases) == (window.id, "欧阳海村", "村、乡镇公示",
                                                                               len(ids))
    assert (closing.days_left, closing.closing_day.isoformat(), closing.ended, closing.open_objections) == (
        3, "2026-11-07", False, 1)
    (objection,) = found.objections
    assert (objection.case_id, objection.raised_by, objection.content) == (ids[0], "李四", "家中新购轿车一辆")
    other = digest(world.session, prefix(world.area.townships[1], Level.TOWNSHIP), parse("2026-11-05 00:00"), 3)
    assert other.windows == () and other.objections == ()

    mail = compose(found, sender="tuopin@county.example.cn", to="fupin@shifan.example.cn")
    assert mail.subject.startswith("【到期提醒】示范镇 2026-11-05：超期")
    assert mail.subject.endswith("，公示将满1个，待处理异议1件")
    assert "欧阳海村  贫困户脱贫退出 · 村、乡镇公示：公示至2026-11-07，剩余3天" in mail.text
    assert f"案件{ids[0]}  欧阳海村" in mail.text and "李四于2026-11-03 10:00提出“家中新购轿车一辆”" in mail.text
    assert "家中新购轿车一辆" in mail.html and "2026-11-07" in mail.html
    assert "/cases/" not in mail.text  # no dashboard address configured: no links
    linked = compose(found, sender="tuopin@county.example.cn", to="fupin@shifan.example.cn",
                     web_url="http://10.43.1.5:8000/")
    assert f"http://10.43.1.5:8000/cases/{ids[0]}" in linked.text
    assert f'<a href="http://10.43.1.5:8000/cases/{ids[0]}">{ids[0]}</a>' in linked.html

    ended = digest(world.session, region, parse("2026-11-08 08:00"), 3)
    assert ended.windows[0].ended and ended.windows[0].days_left == 0
    close_due_windows(session=world.session, now=parse("2026-11-08 00:05"), actor=system)
    world.session.commit()
    assert digest(world.session, region, parse("2026-11-08 08:00"), 3).windows == ()


def test_nothing_due_is_an_empty_digest(world):
    found = digest(world.session, prefix(world.township, Level.TOWNSHIP), NOW, 3)
    assert found.empty and (found.overdue, found.soon) == (0, 0)
    assert offices_with_work(world.session, NOW, 3) == []
    with pytest.raises(ValueError):
        digest(world.session, "", NOW, -1)


def test_days_overdue_count_from_the_day_after_the_last_day():
    due = parse("2026-10-13 00:00")  # the last day is 10-12
    assert overdue_days(due, due) == 1
    assert overdue_days(due, parse("2026-10-13 23:59")) == 1
    assert overdue_days(due, parse("2026-10-15 08:00")) == 3


def test_a_fixed_number_of_queries_for_10_or_100_cases(session):
    area = build_area(session, townships=1, villages_per_township=4, households=110, people=330, year=2026, seed=3)
    session.commit()
    system = system_actor(session)
    ids = open_cases(session=session, chain=CHAIN, year=2026, household_ids=area.household_ids, now=T0, actor=system)
    session.commit()
    region = prefix(area.townships[0], Level.TOWNSHIP)
    counts = []
    for many in (10, 100):
        set_due(session, ids, NOW + timedelta(days=30))
        set_due(session, ids[:many], NOW + timedelta(days=1))
        session.expire_all()
        with statements(session) as seen:
            found = digest(session, region, NOW, 3)
        assert found.soon == many
        counts.append(len(seen))
    assert counts[0] == counts[1] == 4
