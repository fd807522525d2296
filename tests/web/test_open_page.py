"""The dashboard's /open page: a township clerk previews who would enter a chain's year and who is refused (with
the reason), then opens the cases, signed and audited; the page is for township and county governments only, a
form sent twice or without its token writes nothing, and a region outside the clerk's area is refused."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from sqlalchemy import func, select

from cli.web import DEMO_PASSWORD
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.household import Household
from synthetic.households import NewHousehold, add_households
from tests.web.conftest import PASSWORD, csrf_of
from tests.web.test_browser import ARTIFACTS, submit_and_wait, text_of
from tests.web.test_browser import chromium as chromium  # the headless browser fixture


def cases(world, chain: str = "HOUSEHOLD_EXIT") -> list[Case]:
    world.session.rollback()
    return list(world.session.scalars(select(Case).where(Case.chain == chain).order_by(Case.id)))


def audits(world) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def township_households(world) -> list[Household]:
    query = select(Household).where(Household.village_code.startswith(world.township[:9]))  # type: ignore[attr-defined]
    return list(world.session.scalars(query.order_by(Household.id)))


def test_only_township_and_county_governments_see_and_use_the_page(browser, world, logins):
    village = browser("cun")
    assert 'href="/open"' not in village.get("/").text
    refused = village.get("/open")
    assert refused.status_code == 403 and "年度立案由乡镇人民政府、县人民政府、县级系统管理员办理" in refused.text
    township = browser("zhen1")
    assert 'href="/open"' in township.get("/").text
    page = township.get("/open")
    assert page.status_code == 200 and 'value="household-exit"' in page.text and "rectification" not in page.text
    assert world.township in page.text and world.area.townships[1] not in page.text
    county = browser("county", DEMO_PASSWORD)
    assert all(t in county.get("/open").text for t in world.area.townships)


def test_a_preview_writes_nothing_and_opening_signs_audits_and_refuses_a_second_send(browser, world, logins):
    client = browser("zhen1")
    token = csrf_of(client.get("/open"))
    form = {"chain": "household-exit", "year": "2026", "region": world.township, "subjects": "", "csrf": token}
    before = audits(world)
    preview = client.post("/open", data={**form, "action": "preview"})
    expected = township_households(world)
    assert preview.status_code == 200, preview.text
    assert f"可立案{len(expected)}户，不能立案0户" in preview.text and expected[0].number in preview.text
    assert cases(world) == [] and audits(world) == before
    opened = client.post("/open", data={**form, "action": "open"})
    assert opened.status_code == 200, opened.text
    assert f"已立案{len(expected)}件（贫困户脱贫退出，2026年度，每户一件），处于“村民小组推荐”环节" in opened.text
    assert [c.household_id for c in cases(world)] == [h.id for h in expected]
    actors = set(world.session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "HOUSEHOLD_EXIT.OPEN")))
    assert actors == {logins["zhen1"]}
    after = audits(world)
    twice = client.post("/open", data={**form, "action": "open"})
    assert twice.status_code == 409 and "没有可立案的户" in twice.text
    assert "已有2026年度贫困户脱贫退出案件，不能重复立案" in twice.text and audits(world) == after
    forged = client.post("/open", data={**form, "action": "open", "csrf": "forged", "year": "2027"})
    assert forged.status_code == 403 and len(cases(world)) == len(expected)


def test_a_pasted_list_with_refusals_names_each_and_opens_none_until_corrected(browser, world, logins):
    [applicant] = add_households(world.session, [NewHousehold(world.villages[0], 3, Decimal("10500"))], 2026,
                                 random.Random(3), number_prefix="8")
    world.session.commit()
    poor = township_households(world)[0]
    client = browser("zhen1")
    token = csrf_of(client.get("/open"))
    pasted = f"{poor.number}\n{world.session.get(Household, applicant).number}\n不存在"
    answer = client.post("/open", data={"chain": "edge-identify", "year": "2026", "region": "", "subjects": pasted,
                                        "action": "open", "csrf": token})
    assert answer.status_code == 409, answer.text
    assert "所列名单须全部可以立案" in answer.text and "不能立案2户" in answer.text
    assert f"户{poor.number}（户主{poor.head_name}）" in answer.text
    assert "是建档立卡贫困户，不能申请贫困边缘户" in answer.text
    assert "户编号或户ID“不存在”" in answer.text and "没有这一户" in answer.text
    assert cases(world, "EDGE_IDENTIFY") == []
    corrected = client.post("/open", data={"chain": "edge-identify", "year": "2026", "region": "",
                                           "subjects": world.session.get(Household, applicant).number,
                                           "action": "open", "csrf": token})
    assert corrected.status_code == 200 and "已立案1件（贫困边缘户识别" in corrected.text
    assert [c.household_id for c in cases(world, "EDGE_IDENTIFY")] == [applicant]
    villages = client.post("/open", data={"chain": "village-exit", "year": "2026", "region": "",
                                          "subjects": f"{world.villages[0]}，{world.township}", "action": "preview",
                                          "csrf": token})
    assert "可立案1村" in villages.text and "是乡镇级区划，贫困村退出须给出村级区划代码" in villages.text


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_region_outside_the_area_a_bad_year_and_a_chain_needing_a_list_are_refused(browser, world, logins):
    client = browser("zhen1")
    token = csrf_of(client.get("/open"))
    base = {"chain": "household-exit", "year": "2026", "subjects": "", "action": "open", "csrf": token}
    other = client.post("/open", data={**base, "region": world.area.townships[1]})
    assert other.status_code == 400 and "不在" in other.text and "辖区内" in other.text
    year = client.post("/open", data={**base, "region": world.township, "year": "二〇二六"})
    assert year.status_code == 400 and "须为四位年份" in year.text
    applies = client.post("/open", data={**base, "region": world.township, "chain": "relative-identify"})
    assert applies.status_code == 400 and "由农户申请立案" in applies.text
    assert cases(world) == [] and cases(world, "RELATIVE_IDENTIFY") == []


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_page_in_a_browser_previews_and_opens(chromium, server, world, logins):
    """Screenshots of the preview and of the answer are kept as tests/artifacts/open-preview.png, open-done.png."""
    driver = chromium
    driver.get(f"{server}/login")
    driver.find_element(By.NAME, "login").send_keys("zhen1")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]"),
                    lambda d: "概览" in text_of(d))
    driver.find_element(By.ID, "open-link").click()
    Select(driver.find_element(By.ID, "region")).select_by_value(world.township)
    first = township_households(world)[0]
    driver.find_element(By.ID, "subjects").send_keys(f"{first.number}\n999999")
    submit_and_wait(driver, driver.find_element(By.ID, "preview"), lambda d: "预览（未写入）" in text_of(d))
    assert "没有这一户" in text_of(driver) and cases(world) == []
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "open-preview.png"))
    driver.find_element(By.ID, "subjects").clear()
    driver.find_element(By.ID, "subjects").send_keys(first.number)
    submit_and_wait(driver, driver.find_element(By.ID, "open"), lambda d: "已立案1件" in text_of(d))
    assert driver.save_screenshot(str(ARTIFACTS / "open-done.png"))
    assert [c.household_id for c in cases(world)] == [first.id]
