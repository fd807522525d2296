"""The county administrator's pages, on a served dashboard: the county's people listed, a person added with a login
and first password, changed, deactivated (who can then no longer log in) and reactivated, a password reset; every
refusal shown on the page with nothing written, and no one but a county administrator sees the pages."""

from __future__ import annotations

from sqlalchemy import func, select

from models.core.actors import Actor, Role
from models.core.audit import AuditEvent
from models.staff.people import Person, add_person, set_password
from tests.web.conftest import PASSWORD, T0, csrf_of

ADMIN = "guanliyuan"


def make_admin(world) -> Actor:
    admin = add_person(session=world.session, by=None, now=T0,
                       person=Person("管理员", ADMIN, "COUNTY_ADMIN", world.area.county_code, "13807310000"))
    set_password(session=world.session, login=ADMIN, password=PASSWORD, by=None, now=T0)
    world.session.commit()
    return admin


def counts(world) -> tuple[int, int]:
    world.session.rollback()
    return (int(world.session.scalar(select(func.count()).select_from(Actor)) or 0),
            int(world.session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def add_form(world, **changes: str) -> dict[str, str]:
    form = {"name": "李桂兰", "login": "liguilan", "role": Role.VILLAGE_COMMITTEE.value, "region": world.villages[0],
            "phone": "13807310001", "password": "chushi-mima-1"}
    return {**form, **changes}


def test_the_administrator_lists_adds_changes_and_deactivates_people(world, browser):
    make_admin(world)
    client = browser(ADMIN, PASSWORD)
    page = client.get("/admin")
    assert page.status_code == 200 and 'href="/admin"' in page.text
    leader = world.actor(Role.GROUP_LEADER, world.villages[0])
    assert leader.login in page.text and "管理员" in page.text
    before = counts(world)
    added = client.post("/admin/people", data={**add_form(world), "csrf": csrf_of(page)})
    assert added.status_code == 303 and added.headers["location"] == "/admin?done=added"
    assert counts(world) == (before[0] + 1, before[1] + 2)  # the person and their password, each audited
    person = world.session.scalars(select(Actor).where(Actor.login == "liguilan")).one()
    assert (person.name, person.role, person.phone) == ("李桂兰", Role.VILLAGE_COMMITTEE, "13807310001")
    browser("liguilan", "chushi-mima-1")  # the first password logs in

    page = client.get(f"/admin/people/{person.id}")
    token = csrf_of(page)
    changed = client.post(f"/admin/people/{person.id}/change", data={
        "name": "李桂兰", "role": Role.TOWNSHIP_CHECK_TEAM.value, "region": world.township, "phone": "0731-86501234",
        "csrf": token})
    assert changed.status_code == 303
    world.session.refresh(person)
    assert (person.role, person.region_code, person.phone) == (Role.TOWNSHIP_CHECK_TEAM, world.township,
                                                               "0731-86501234")
    off = client.post(f"/admin/people/{person.id}/active", data={"active": "0", "csrf": token})
    assert off.status_code == 303
    world.session.refresh(person)
    assert not person.active
    login = browser()
    refused = login.post("/login", data={"login": "liguilan", "password": "chushi-mima-1",
                                         "csrf": csrf_of(login.get("/login"))})
    assert refused.status_code == 401 and "已停用，不能登录" in refused.text
    on = client.post(f"/admin/people/{person.id}/active", data={"active": "1", "csrf": token})
    assert on.status_code == 303
    reset = client.post(f"/admin/people/{person.id}/password",
                        data={"password": "xin-mima-123", "again": "xin-mima-123", "csrf": token})
    assert reset.status_code == 303
    browser("liguilan", "xin-mima-123")


def test_a_refused_form_shows_why_and_writes_nothing(world, browser):
    make_admin(world)
    client = browser(ADMIN, PASSWORD)
    token = csrf_of(client.get("/admin"))
    before = counts(world)
    wrong_level = client.post("/admin/people", data={**add_form(world, role=Role.TOWNSHIP_CHECK_TEAM.value),
                                                     "csrf": token})
    assert wrong_level.status_code == 400 and "乡镇核查组须属于乡镇级区划" in wrong_level.text
    assert "本次未写入任何内容" in wrong_level.text and 'value="李桂兰"' in wrong_level.text
    taken = client.post("/admin/people", data={**add_form(world, login=ADMIN), "csrf": token})
    assert taken.status_code == 400 and "登录名已由管理员（县级系统管理员）使用" in taken.text
    short = client.post("/admin/people", data={**add_form(world, password="short"), "csrf": token})
    assert short.status_code == 400 and "密码至少8位" in short.text
    assert counts(world) == before
    once = client.post("/admin/people", data={**add_form(world), "csrf": token})
    twice = client.post("/admin/people", data={**add_form(world), "csrf": token})  # the form sent twice
    assert once.status_code == 303 and twice.status_code == 400 and "登录名已由李桂兰（村委会）使用" in twice.text
    person = world.session.scalars(select(Actor).where(Actor.login == "liguilan")).one()
    mismatch = client.post(f"/admin/people/{person.id}/password",
                           data={"password": "xin-mima-123", "again": "xin-mima-124", "csrf": token})
    assert mismatch.status_code == 400 and "两次输入的密码不一致" in mismatch.text
    no_token = client.post(f"/admin/people/{person.id}/active", data={"active": "0"})
    assert no_token.status_code == 403
    world.session.refresh(person)
    assert person.active


def test_only_a_county_administrator_sees_the_pages(world, browser, logins):
    admin = make_admin(world)
    clerk = browser("zhen1")
    page = clerk.get("/admin")
    assert page.status_code == 403 and "仅限县级系统管理员" in page.text
    assert 'href="/admin"' not in clerk.get("/").text
    answer = clerk.post("/admin/people", data={**add_form(world), "csrf": csrf_of(page)})
    assert answer.status_code == 403
    assert clerk.get(f"/admin/people/{admin.id}").status_code == 403
    assert browser().get("/admin").status_code == 303  # not logged in: to the login page
    client = browser(ADMIN, PASSWORD)
    assert client.get("/admin/people/99999").status_code == 404
    system = world.session.scalars(select(Actor).where(Actor.role == Role.SYSTEM)).one()
    assert client.get(f"/admin/people/{system.id}").status_code == 404


def test_a_person_deactivated_while_logged_in_is_logged_out(world, browser, logins):
    make_admin(world)
    clerk = browser("zhen1")
    assert clerk.get("/").status_code == 200
    admin = browser(ADMIN, PASSWORD)
    person = world.actor(Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    token = csrf_of(admin.get(f"/admin/people/{person.id}"))
    assert admin.post(f"/admin/people/{person.id}/active", data={"active": "0", "csrf": token}).status_code == 303
    assert clerk.get("/").status_code == 303
