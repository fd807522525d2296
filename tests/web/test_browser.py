"""The dashboard in a real browser: headless Chromium (Debian's chromium and chromium-driver packages, `make system`)
driven by Selenium. A township clerk logs in, filters the case list, records a decision, uploads a photo and sees
the case's timeline change; a screenshot of the overview is kept as tests/artifacts/overview.png.

The browser test runs on SQLite only: the pages' database work is tested on both backends in test_pages.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from models.core.case import Case
from tests.walk import walk_to
from tests.web.conftest import PASSWORD, T0

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900")
WAIT = 20  # seconds; every wait ends as soon as its condition holds
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# The database fixture's parameter set to SQLite alone (the test id ends in [sqlite]).
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def chromium(request: pytest.FixtureRequest, tmp_path: Path) -> WebDriver:
    """Headless Chromium with a throwaway profile, quit when the test ends."""
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    # The driver's path given: Selenium Manager (which would download one) never runs.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    request.addfinalizer(driver.quit)
    return driver


def submit_and_wait(driver: WebDriver, button: WebElement, arrived: Callable[[WebDriver], object]) -> None:
    """Click a form's submit button, wait until the old page is gone and `arrived` holds on the new one."""
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait = WebDriverWait(driver, WAIT)
    wait.until(ec.staleness_of(old))
    wait.until(arrived)


def text_of(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def page_says(words: str) -> Callable[[WebDriver], bool]:
    return lambda driver: words in text_of(driver)


def timeline(driver: WebDriver) -> list[str]:
    """The rows of the case page's 操作记录 table, as text."""
    rows = driver.find_elements(
        By.XPATH, "//h2[normalize-space()='操作记录']/following-sibling::*[self::table or .//table][1]//tr[td]")
    return [str(row.text) for row in rows]


def section_text(driver: WebDriver, title: str) -> str | None:
    """The text under the heading `title` up to the next heading; None when there is no such heading."""
    found: str | None = driver.execute_script(
        """const heading = [...document.querySelectorAll('h1, h2, h3')]
             .find(h => h.textContent.trim().startsWith(arguments[0]));
           if (!heading) return null;
           let text = '';
           for (let n = heading.nextElementSibling; n && !/^H[1-3]$/.test(n.tagName); n = n.nextElementSibling)
             text += n.innerText + '\\n';
           return text;""",
        title,
    )
    return found


def listed_case_ids(driver: WebDriver) -> set[int]:
    links = driver.find_elements(By.CSS_SELECTOR, "table a[href*='/cases/']")
    return {int(m.group(1)) for a in links if (m := re.search(r"/cases/(\d+)$", a.get_attribute("href") or ""))}


def test_a_township_clerk_filters_decides_uploads_and_sees_the_timeline(
        chromium, server, world, logins, opened, clock, html_only, tmp_path):
    # Township 1's first village walked to COUNTY_REQUEST (审核研究并请示县), which the township government decides;
    # the township's other cases stay at GROUP_RECOMMEND, so the filter has something to leave out.
    t1 = world.area.townships[0]
    village = world.area.villages[t1][0]
    walked = sorted(i for i in opened[t1] if world.session.get(Case, i).village_code == village)
    assert walked and len(walked) < len(opened[t1])
    clock.now = walk_to(world, walked, "COUNTY_REQUEST", T0 + timedelta(hours=1))
    world.session.commit()

    driver = chromium
    wait = WebDriverWait(driver, WAIT)

    # Log in as the township government of township 1; the overview is the landing page.
    driver.get(f"{server}/login")
    wait.until(ec.visibility_of_element_located((By.ID, "login"))).send_keys("zhen1")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]"),
                    ec.url_to_be(f"{server}/"))
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "概览"))
    assert "退出登录" in text_of(driver) and "贫困户脱贫退出" in text_of(driver)

    # The overview's screenshot, kept as the test's artefact.
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "overview.png"
    shot.unlink(missing_ok=True)
    assert driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000
    with Image.open(shot) as image:
        assert image.format == "PNG" and image.width > 0 and image.height > 0
        assert len(image.convert("RGB").getcolors(maxcolors=1_000_000) or []) > 1  # not a blank page

    # The case list, reached through the header's link: all of township 1's cases, then the filter.
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, "案件").click()
    wait.until(ec.staleness_of(old))
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "form.filters")))
    assert listed_case_ids(driver) == set(opened[t1])

    Select(driver.find_element(By.NAME, "chain")).select_by_visible_text("贫困户脱贫退出")
    Select(driver.find_element(By.NAME, "stage")).select_by_value("COUNTY_REQUEST")
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"),
                    ec.visibility_of_element_located((By.CSS_SELECTOR, "form.filters")))
    query = parse_qs(urlparse(driver.current_url).query)
    assert query["chain"] == ["HOUSEHOLD_EXIT"] and query["stage"] == ["COUNTY_REQUEST"]
    assert listed_case_ids(driver) == set(walked)
    assert f"案件（共{len(walked)}件）" in text_of(driver)
    stages = driver.find_elements(By.XPATH, "//table//tr[td/a]/td[6]")
    assert [s.text for s in stages] == ["审核研究并请示县"] * len(walked)
    assert Select(driver.find_element(By.NAME, "stage")).first_selected_option.get_attribute("value") \
        == "COUNTY_REQUEST"

    # One case of the filtered list.
    case_id = walked[0]
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, f"table a[href='/cases/{case_id}']").click()
    wait.until(ec.staleness_of(old))
    wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), f"案件{case_id}"))
    assert "审核研究并请示县" in text_of(driver)
    before = timeline(driver)
    assert before, "the case page shows its 操作记录"

    # The decision: 通过 (approve).
    approve = driver.find_element(
        By.XPATH, "//form[contains(@action, '/decide')]//label[normalize-space()='通过']/input[@type='radio']")
    approve.click()
    assert approve.is_selected() and approve.get_attribute("value") == "APPROVE"
    submit_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/decide'] button[type=submit]"),
                    ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".done"), "已通过"))
    assert urlparse(driver.current_url).path == f"/cases/{case_id}"
    assert "县级抽查复核" in text_of(driver)  # the next stage
    assert not driver.find_elements(By.CSS_SELECTOR, "form[action$='/decide']")  # the county's to decide now
    decided = timeline(driver)
    assert len(decided) == len(before) + 1
    assert decided[:-1] == before
    assert "通过" in decided[-1] and logins["zhen1"] in decided[-1]

    # The upload: a real small JPEG as the publicity notice's photo (公示照片).
    photo = tmp_path / "gongshi-zhaopian.jpg"
    Image.new("RGB", (64, 48), (166, 27, 27)).save(photo, "JPEG")
    forms = driver.find_elements(By.CSS_SELECTOR, "form#evidence")  # the page has loaded: no need to wait
    assert forms, "the case page has no upload form (form#evidence)"
    form = forms[0]
    assert form.get_attribute("enctype") == "multipart/form-data"
    assert urlparse(form.get_attribute("action") or "").path == f"/cases/{case_id}/evidence"
    assert form.find_element(By.CSS_SELECTOR, "input[type=hidden][name=csrf]").get_attribute("value")
    Select(form.find_element(By.NAME, "kind")).select_by_value("notice_photo")
    form.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(str(photo))
    submit_and_wait(driver, form.find_element(By.CSS_SELECTOR, "[type=submit]"), page_says("已上传"))
    assert urlparse(driver.current_url).path == f"/cases/{case_id}"
    evidence = section_text(driver, "佐证材料")
    assert evidence is not None and photo.name in evidence, evidence

    # The timeline: the decision's entry, then the upload's.
    uploaded = timeline(driver)
    assert uploaded[:len(decided)] == decided
    assert len(uploaded) > len(decided) and any("上传" in row for row in uploaded[len(decided):]), uploaded
