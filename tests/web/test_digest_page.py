"""The due-soon digest page over real HTTP: the clerk's own region only, overdue rows before due-soon ones, the
days chosen in the address, windows closing and open objections, and a login required."""

from __future__ import annotations

import re
from datetime import timedelta

from cli.web import DEMO_PASSWORD
from models.core.actors import system_actor
from models.core.case import Case
from models.core.clock import parse
from models.door.objections import raise_objection
from models.door.windows import open_window
from synthetic.clerks import Clerks
from tests.walk import CHAIN, walk_to
from tests.web.conftest import T0


def case_ids_on(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/cases/(\d+)"', page)]


def row_classes(page: str) -> dict[int, str]:
    return {int(i): c for c, i in re.findall(r'<tr class="(\w+)">\s*<td><a href="/cases/(\d+)"', page)}


def test_the_page_asks_for_a_login(browser, logins):
    answer = browser().get("/digest")
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_the_digest_shows_the_clerks_township_only(browser, world, logins, opened, clock):
    t1, t2 = world.area.townships
    client = browser("zhen1")
    quiet = client.get("/digest")  # 10-10: 村民小组推荐 is due by 10-15 24:00, more than 3 days away
    assert quiet.status_code == 200 and "到期提醒 · 示范镇" in quiet.text
    assert case_ids_on(quiet.text) == [] and "没有超期或3日内到期的环节" in quiet.text

    clock.now = T0 + timedelta(days=6)  # 10-14 09:00
    page = client.get("/digest")
    assert sorted(case_ids_on(page.text)) == sorted(opened[t1])
    assert set(row_classes(page.text).values()) == {"soon"} and "贫困户脱贫退出 · 村民小组推荐" in page.text
    assert not set(case_ids_on(page.text)) & set(opened[t2])
    assert case_ids_on(client.get("/digest?days=1").text) == []  # due 10-15 24:00 is after 10-15 09:00

    other = browser("zhen2").get("/digest")
    assert sorted(case_ids_on(other.text)) == sorted(opened[t2]) and "到期提醒 · 青山镇" in other.text
    county = browser("county", DEMO_PASSWORD).get("/digest")
    assert sorted(case_ids_on(county.text)) == sorted(opened[t1] + opened[t2])


def test_overdue_rows_come_first_and_are_marked(browser, world, logins, opened, clock):
    t1 = world.area.townships[0]
    village = world.villages[0]
    moved = [i for i in opened[t1] if world.session.get_one(Case, i).village_code == village]
    Clerks(world.session, CHAIN, 2026, "").decide("GROUP_RECOMMEND", T0 + timedelta(days=6), moved)  # due 10-22
    clock.now = T0 + timedelta(days=8)  # 10-16 09:00: the rest of 村民小组推荐 is a day overdue
    client = browser("zhen1")
    page = client.get("/digest")
    classes = row_classes(page.text)
    late = [i for i in opened[t1] if i not in moved]
    assert sorted(classes) == sorted(late) and set(classes.values()) == {"overdue"}
    assert "已超期1天" in page.text and re.search(r"已超期</span><b>" + str(len(late)) + "</b>", page.text)

    week = client.get("/digest?days=7")
    classes = row_classes(week.text)
    assert sorted(classes) == sorted(opened[t1])
    ids = case_ids_on(week.text)
    assert {classes[i] for i in ids[:len(late)]} == {"overdue"} and {classes[i] for i in ids[len(late):]} == {"soon"}
    assert week.text.index("村民小组推荐") < week.text.index("村委会评议")


def test_windows_closing_and_open_objections_are_listed(browser, world, logins, opened, clock):
    ids = [i for i in opened[world.township] if world.session.get_one(Case, i).village_code == world.villages[0]]
    walk_to(world, ids, "PUBLICITY", T0)
    system = system_actor(world.session)
    open_window(session=world.session, scope_code=world.villages[0], case_ids=ids, now=parse("2026-11-01 09:00"),
                actor=system)
    raise_objection(session=world.session, case_id=ids[0], raised_by="李四", content="家中有人在外务工未报收入",
                    now=parse("2026-11-02 10:00"), actor=system)
    world.session.commit()
    clock.now = parse("2026-11-06 09:00")
    page = browser("zhen1").get("/digest")
    assert "欧阳海村</td><td>贫困户脱贫退出 · 村、乡镇公示</td>" in page.text and "2026-11-07" in page.text
    assert "家中有人在外务工未报收入" in page.text and f'href="/cases/{ids[0]}"' in page.text
    other = browser("zhen2").get("/digest")
    assert "家中有人在外务工未报收入" not in other.text and "没有3日内期满的公示" in other.text
