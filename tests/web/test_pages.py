"""The dashboard over real HTTP: logins and the pause, pages scoped to the clerk's region, documents, and
decisions through the one door with their form tokens."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlmodel import col

from cli.web import DEMO_PASSWORD
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.household import Household
from models.core.web_users import WebUser
from models.documents.render import store
from tests.web.conftest import PASSWORD, T0, csrf_of


def audit_count(world) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(AuditEvent)))


def stage_of(world, case_id: int) -> str:
    world.session.rollback()
    return str(world.session.get(Case, case_id).stage)


def household_of(world, case_id: int) -> Household:
    found: Household = world.session.get(Household, world.session.get(Case, case_id).household_id)
    return found


def case_ids_on(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/cases/(\d+)"', page)}


# --- login, lock-out, logout ------------------------------------------------------------------------------------


def test_wrong_password_is_refused_and_five_failures_pause_the_login(browser, world, logins, clock):
    client = browser()
    page = client.get("/login")
    assert page.status_code == 200 and "登录" in page.text
    token = csrf_of(page)
    for _ in range(5):
        wrong = client.post("/login", data={"login": "zhen1", "password": "wrong", "csrf": token})
        assert wrong.status_code == 401 and "登录名或密码错误" in wrong.text
    world.session.rollback()
    user = world.session.scalars(select(WebUser).where(col(WebUser.login) == "zhen1")).one()
    assert user.failed_attempts == 5 and user.last_failure_at is not None

    paused = client.post("/login", data={"login": "zhen1", "password": PASSWORD, "csrf": token})
    assert paused.status_code == 429 and "连续登录失败次数过多，请60秒后再试" in paused.text
    assert client.get("/").status_code == 303

    clock.advance(seconds=61)
    allowed = client.post("/login", data={"login": "zhen1", "password": PASSWORD, "csrf": token})
    assert allowed.status_code == 303 and allowed.headers["location"] == "/"
    world.session.rollback()
    assert world.session.get(WebUser, user.id).failed_attempts == 0


def test_an_unknown_login_gets_the_same_answer(browser, logins):
    client = browser()
    token = csrf_of(client.get("/login"))
    answer = client.post("/login", data={"login": "nobody", "password": PASSWORD, "csrf": token})
    assert answer.status_code == 401 and "登录名或密码错误" in answer.text


def test_pages_ask_for_a_login_and_logout_ends_it(browser, logins, opened):
    anonymous = browser()
    for path in ("/", "/cases", f"/cases/{opened[next(iter(opened))][0]}", "/documents/1/html"):
        answer = anonymous.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path

    client = browser("zhen1")
    home = client.get("/")
    assert home.status_code == 200 and "退出登录" in home.text
    assert client.post("/logout", data={}).status_code == 403
    out = client.post("/logout", data={"csrf": csrf_of(home)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_the_demo_logins_work(browser, logins):
    for login in ("village", "township", "county"):
        assert browser(login, DEMO_PASSWORD).get("/").status_code == 200


def test_a_form_without_its_token_is_refused(browser, logins):
    client = browser()
    client.get("/login")
    answer = client.post("/login", data={"login": "zhen1", "password": PASSWORD})
    assert answer.status_code == 403 and "表单已失效" in answer.text
    forged = client.post("/login", data={"login": "zhen1", "password": PASSWORD, "csrf": "forged"})
    assert forged.status_code == 403


# --- overview and case list ---------------------------------------------------------------------------------------


def test_the_overview_counts_only_the_clerks_township(browser, world, logins, opened):
    t1, t2 = world.area.townships
    for login, township in (("zhen1", t1), ("zhen2", t2)):
        page = browser(login).get("/")
        assert page.status_code == 200
        total = re.search(r"案件总数</span><b>(\d+)</b>", page.text)
        assert total and int(total.group(1)) == len(opened[township]), page.text
        assert "村民小组推荐" in page.text and "贫困户脱贫退出" in page.text
    county = browser("county", DEMO_PASSWORD).get("/")
    assert re.search(rf"案件总数</span><b>{len(opened[t1]) + len(opened[t2])}</b>", county.text)


def test_the_case_list_shows_the_clerks_cases_soonest_due_first(browser, world, logins, opened, clock):
    t1, t2 = world.area.townships
    client = browser("zhen1")
    page = client.get("/cases")
    assert page.status_code == 200
    assert case_ids_on(page.text) == set(opened[t1])
    for case_id in opened[t2]:
        assert household_of(world, case_id).number not in page.text
    assert f"共{len(opened[t1])}件" in page.text

    assert case_ids_on(client.get("/cases?status=EXITED").text) == set()
    assert case_ids_on(client.get("/cases?stage=GROUP_RECOMMEND&chain=household-exit").text) == set(opened[t1])
    assert "没有流程" in client.get("/cases?chain=nonsense").text

    clock.advance(days=60)
    late = client.get("/cases").text
    assert late.count('class="overdue"') == len(opened[t1]) and "已超期" in late


def test_the_case_list_has_pages(browser, world, logins, opened):
    client = browser("county", DEMO_PASSWORD)
    every = sum(len(ids) for ids in opened.values())
    first, second = client.get("/cases").text, client.get("/cases?page=2").text
    assert "第1页，共2页" in first and "下一页" in first
    assert len(case_ids_on(first)) == 20 and len(case_ids_on(second)) == every - 20
    assert case_ids_on(first) | case_ids_on(second) == {i for ids in opened.values() for i in ids}


# --- one case -------------------------------------------------------------------------------------------------


def test_a_case_of_the_area_shows_its_record_and_another_areas_case_is_not_found(browser, world, logins, opened):
    t1, t2 = world.area.townships
    client = browser("zhen1")
    mine = household_of(world, opened[t1][0])
    page = client.get(f"/cases/{opened[t1][0]}")
    assert page.status_code == 200
    assert mine.head_name in page.text and mine.number in page.text
    assert "村民小组推荐" in page.text and "操作记录" in page.text

    other = household_of(world, opened[t2][0])
    hidden = client.get(f"/cases/{opened[t2][0]}")
    assert hidden.status_code == 404 and "案件不存在" in hidden.text
    assert other.head_name not in hidden.text and other.number not in hidden.text
    nowhere = client.get("/cases/999999")
    assert nowhere.status_code == 404 and "案件不存在" in nowhere.text


def test_documents_are_served_only_in_the_area(browser, world, logins, opened, monkeypatch):
    from models.core.settings import get_settings

    monkeypatch.setenv("TUOPIN_PDF", "false")
    get_settings.cache_clear()
    t1 = world.area.townships[0]
    case_id = opened[t1][0]
    village = world.session.get(Case, case_id).village_code
    paper = store(world.session, kind="village_notice", chain="HOUSEHOLD_EXIT", year=2026, stage="PUBLICITY",
                  scope_code=village, case_ids=[case_id], html="<p>拟退出贫困户公示</p>", public=True, number="",
                  now=T0, suffix="web")
    world.session.commit()

    mine = browser("zhen1")
    assert f'/documents/{paper.id}/html' in mine.get(f"/cases/{case_id}").text
    served = mine.get(f"/documents/{paper.id}/html")
    assert served.status_code == 200 and "拟退出贫困户公示" in served.text
    assert mine.get(f"/documents/{paper.id}/pdf").status_code == 404
    assert mine.get(f"/documents/{paper.id}/exe").status_code == 404

    other = browser("zhen2").get(f"/documents/{paper.id}/html")
    assert other.status_code == 404 and "文件不存在" in other.text and "公示" not in other.text


# --- decisions --------------------------------------------------------------------------------------------------


def test_a_decision_through_the_form_lands(browser, world, logins, opened):
    case_id = next(i for i in opened[world.area.townships[0]]
                   if world.session.get(Case, i).village_code == world.area.villages[world.area.townships[0]][0])
    client = browser("zu")
    page = client.get(f"/cases/{case_id}")
    assert 'action="/cases/' in page.text and "办理决定" in page.text
    events = audit_count(world)
    answer = client.post(f"/cases/{case_id}/decide",
                         data={"stage": "GROUP_RECOMMEND", "move": "APPROVE", "reason": "", "csrf": csrf_of(page)})
    assert answer.status_code == 303, answer.text
    assert "已通过" in client.get(answer.headers["location"]).text
    assert stage_of(world, case_id) == "COMMITTEE_REVIEW"
    assert audit_count(world) == events + 1
    last = world.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()  # type: ignore[attr-defined]
    assert last.case_id == case_id and last.actor == logins["zu"]


def test_a_refused_decision_shows_the_reason_and_writes_nothing(browser, world, logins, opened):
    case_id = opened[world.area.townships[0]][0]
    client = browser("zhen1")
    token = csrf_of(client.get(f"/cases/{case_id}"))
    events = audit_count(world)
    answer = client.post(f"/cases/{case_id}/decide",
                         data={"stage": "GROUP_RECOMMEND", "move": "APPROVE", "reason": "", "csrf": token})
    assert answer.status_code == 409
    assert "未执行：村民小组推荐环节须由村民小组长决定" in answer.text
    assert stage_of(world, case_id) == "GROUP_RECOMMEND" and audit_count(world) == events


def test_a_decision_without_its_token_or_outside_the_area_writes_nothing(browser, world, logins, opened):
    t1, t2 = world.area.townships
    case_id = opened[t1][0]
    events = audit_count(world)
    client = browser("zu")
    missing = client.post(f"/cases/{case_id}/decide", data={"stage": "GROUP_RECOMMEND", "move": "APPROVE"})
    assert missing.status_code == 403
    other = browser("zhen2")
    token = csrf_of(other.get("/"))
    outside = other.post(f"/cases/{case_id}/decide",
                         data={"stage": "GROUP_RECOMMEND", "move": "REJECT", "reason": "不符合", "csrf": token})
    assert outside.status_code == 404 and "案件不存在" in outside.text
    assert household_of(world, case_id).head_name not in outside.text
    assert stage_of(world, case_id) == "GROUP_RECOMMEND" and audit_count(world) == events
