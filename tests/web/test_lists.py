"""The list's search and filters, the overview's windows and chart, a village's cases decided at once, the case
file (案卷) and its zip, and names that look like HTML shown as text everywhere."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from models.core.actors import system_actor
from models.core.case import Case
from models.core.household import Household, Member
from models.door import machine
from tests.walk import walk_to
from tests.web.conftest import T0, csrf_of
from tests.web.test_pages import case_ids_on, household_of, stage_of

SCRIPT = "<script>alert(1)</script>"


def village_cases(world, opened, township_index: int = 0, village_index: int = 0) -> tuple[str, list[int]]:
    township = world.area.townships[township_index]
    village = world.area.villages[township][village_index]
    return village, [i for i in opened[township] if world.session.get(Case, i).village_code == village]


def test_search_by_name_or_the_last_digits_of_an_id_stays_in_the_area(browser, world, logins, opened):
    t1, t2 = world.area.townships
    client = browser("zhen1")
    mine = household_of(world, opened[t1][3])
    assert case_ids_on(client.get("/cases", params={"q": mine.head_name}).text) >= {opened[t1][3]}
    member = world.session.scalars(select(Member).where(col(Member.household_id) == mine.id)).first()
    found = client.get("/cases", params={"q": member.resident_id[-6:]}).text
    assert case_ids_on(found) == {opened[t1][3]}
    assert case_ids_on(client.get("/cases", params={"q": mine.number}).text) == {opened[t1][3]}

    theirs = household_of(world, opened[t2][0])
    their_member = world.session.scalars(select(Member).where(col(Member.household_id) == theirs.id)).first()
    hidden = client.get("/cases", params={"q": their_member.resident_id[-6:]}).text
    assert case_ids_on(hidden) == set() and "共0件" in hidden and theirs.head_name not in hidden
    assert "共0件" in client.get("/cases", params={"q": "%"}).text  # a wildcard is a character, not "anything"


def test_due_filters_and_the_village_filter(browser, world, logins, opened, clock):
    t1 = world.area.townships[0]
    client = browser("zhen1")
    assert case_ids_on(client.get("/cases?due=overdue").text) == set()
    due = world.session.get(Case, opened[t1][0])
    assert due is not None
    # GROUP_RECOMMEND is due 7 days after opening: within 7 days of T0+2d counting from then, not within 1
    assert case_ids_on(client.get("/cases?due=1").text) == set()
    assert case_ids_on(client.get("/cases?due=7").text) == set(opened[t1])
    clock.advance(days=10)
    assert case_ids_on(client.get("/cases?due=overdue").text) == set(opened[t1])

    village, ids = village_cases(world, opened)
    page = client.get("/cases", params={"village": village}).text
    assert case_ids_on(page) == set(ids)
    elsewhere = world.area.villages[world.area.townships[1]][0]
    assert case_ids_on(client.get("/cases", params={"village": elsewhere}).text) == set(opened[t1])


def test_the_overview_shows_windows_closing_and_the_township_chart(browser, world, logins, opened, clock):
    village, ids = village_cases(world, opened)
    now = walk_to(world, ids, "PUBLICITY", T0)
    machine.post_notices(session=world.session, chain="HOUSEHOLD_EXIT", stage="PUBLICITY", scope=village, year=2026,
                         now=now, actor=system_actor(world.session))
    world.session.commit()
    clock.now = now + timedelta(days=3)  # the window (7 days with the posting day) closes in 4 days: not yet listed
    client = browser("zhen1")
    assert 'id="closing"' not in client.get("/").text
    clock.now = now + timedelta(days=4)
    page = client.get("/").text
    closing = page[page.index('id="closing"'):page.index("</table>", page.index('id="closing"'))]
    assert f"<td>{len(ids)}</td>" in closing and "3天" in closing
    chart = page[page.index('id="township-chart"'):page.index("</svg>")]
    assert chart.count("<text") >= 2 and "超期" in chart
    assert browser("zhen2").get("/").text.count('id="closing"') == 0


def test_a_village_decides_many_cases_at_once_with_each_result_shown(browser, world, logins, opened):
    village, ids = village_cases(world, opened)
    other_village, other_ids = village_cases(world, opened, village_index=1)
    client = browser("zu")  # the group leader of the first village
    page = client.get(f"/villages/{village}/decide", params={"chain": "household-exit", "stage": "GROUP_RECOMMEND"})
    assert page.status_code == 200 and set(map(int, re.findall(r'name="case_id" value="(\d+)"', page.text))) == set(ids)
    chosen = [str(i) for i in ids[1:]] + [str(other_ids[0])]  # plus a guessed case of another village
    answer = client.post(f"/villages/{village}/decide", data={
        "chain": "HOUSEHOLD_EXIT", "stage": "GROUP_RECOMMEND", "move": "APPROVE", "reason": "", "csrf": csrf_of(page),
        "case_id": chosen})
    assert answer.status_code == 200
    results = answer.text[answer.text.index('id="results"'):]
    assert results.count("已通过") == len(ids) - 1 and "案件不在本村“村民小组推荐”环节" in results
    assert stage_of(world, ids[0]) == "GROUP_RECOMMEND" and stage_of(world, other_ids[0]) == "GROUP_RECOMMEND"
    assert all(stage_of(world, i) == "COMMITTEE_REVIEW" for i in ids[1:])

    nothing = client.post(f"/villages/{village}/decide", data={
        "chain": "HOUSEHOLD_EXIT", "stage": "GROUP_RECOMMEND", "move": "RETURN", "reason": "", "csrf": csrf_of(page),
        "case_id": [str(ids[0])]})
    assert "退回须写明理由" in nothing.text or "不能退回" in nothing.text
    assert stage_of(world, ids[0]) == "GROUP_RECOMMEND"
    assert browser("zhen2").get(f"/villages/{village}/decide").status_code == 404
    assert client.get(f"/villages/{other_village}/decide").status_code == 404


def test_the_case_file_lists_the_materials_and_downloads_as_one_zip(browser, world, logins, opened):
    t1, t2 = world.area.townships
    case_id = opened[t1][0]
    client = browser("zhen1")
    page = client.get(f"/cases/{case_id}/file").text
    assert "应有材料14项，已齐0项，缺14项" in page and "县减贫计划分解文件" in page and "缺公示照片" in page
    answer = client.get(f"/cases/{case_id}/file.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        contents = archive.read("目录.txt").decode()
    assert f"案件{case_id}" in contents and "（14）乡、村年度拟脱贫人口花名册：尚未形成文书" in contents

    village = world.session.get(Case, case_id).village_code
    whole = client.get(f"/villages/{village}/file", params={"chain": "household-exit"})
    assert whole.status_code == 200 and whole.text.count('class="missing"') >= 14
    assert client.get(f"/villages/{village}/file.zip", params={"chain": "household-exit"}).status_code == 200
    other = browser("zhen2")
    assert other.get(f"/cases/{case_id}/file").status_code == 404
    assert other.get(f"/cases/{case_id}/file.zip").status_code == 404
    assert other.get(f"/villages/{village}/file.zip", params={"chain": "household-exit"}).status_code == 404
    assert opened[t2]


def test_a_name_that_looks_like_html_is_shown_as_text_everywhere(browser, world, logins, opened):
    village, ids = village_cases(world, opened)
    household = household_of(world, ids[0])
    household.head_name = SCRIPT
    world.session.add(household)
    world.session.commit()
    client = browser("zu")
    pages = [client.get("/cases").text, client.get(f"/cases/{ids[0]}").text,
             client.get("/cases", params={"q": "<script>"}).text, client.get(f"/cases/{ids[0]}/file").text,
             client.get(f"/villages/{village}/decide", params={"chain": "household-exit"}).text,
             client.get(f"/villages/{village}/file", params={"chain": "household-exit"}).text]
    for page in pages:
        assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert world.session.get(Household, household.id).head_name == SCRIPT


def test_a_village_wide_file_enters_every_case_file_of_the_village(browser, world, logins, opened):
    village, ids = village_cases(world, opened)
    client = browser("zhen1")
    page = client.get(f"/villages/{village}/file", params={"chain": "household-exit"})
    pdf = b"%PDF-1.4\n% the county's reduction plan\n"
    answer = client.post(f"/villages/{village}/file", data={"chain": "HOUSEHOLD_EXIT", "kind": "reduction_plan",
                                                            "csrf": csrf_of(page)},
                         files={"file": ("减贫计划.pdf", pdf, "application/pdf")})
    assert answer.status_code == 303
    assert f"已上传，本村{len(ids)}件案件的案卷均已收录" in client.get(answer.headers["location"]).text
    for case_id in ids:
        assert "应有材料14项，已齐1项，缺13项" in client.get(f"/cases/{case_id}/file").text
    other = village_cases(world, opened, village_index=1)[1][0]
    assert "已齐0项" in client.get(f"/cases/{other}/file").text

    wrong = client.post(f"/villages/{village}/file", data={"chain": "HOUSEHOLD_EXIT", "kind": "reduction_plan",
                                                           "csrf": csrf_of(page)},
                        files={"file": ("plan.pdf", b"not a pdf", "application/pdf")})
    assert wrong.status_code == 409 and "只接受JPEG、PNG图片或PDF文件" in wrong.text
    stranger = browser("zhen2")
    hidden = stranger.post(f"/villages/{village}/file", data={"chain": "HOUSEHOLD_EXIT", "kind": "reduction_plan",
                                                              "csrf": csrf_of(stranger.get("/"))},
                           files={"file": ("p.pdf", pdf, "application/pdf")})
    assert hidden.status_code == 404
    for case_id in ids:
        assert "已齐1项" in client.get(f"/cases/{case_id}/file").text
