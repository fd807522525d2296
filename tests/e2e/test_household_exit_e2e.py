"""Chain A's year in 示范镇 from an empty database, as an office runs it: the county's regions and staff and the
villages' roster from docs/examples, cases opened, every stage decided by the role that decides it, the flows and
sweeps run on the year's dates, then the cases and their documents seen and downloaded in the served dashboard."""

from __future__ import annotations

import re

from tests.e2e.county import (
    BAISHU,
    CHECK_TEAM,
    CLERK_PASSWORD,
    COMMITTEE,
    COUNTY_GOVERNMENT,
    FENGLIN,
    GROUP_LEADER,
    RECHECK_TEAM,
    TOWNSHIP,
    TOWNSHIP_GOVERNMENT,
    YEAR,
    set_up_county,
)
from tests.e2e.harness import Clerk, Office, docx_text, links, pdf_text, png, table_rows, text_of

FAILING = "4301211012030302"  # 黄春生: 2,580 yuan a resident head, under the line of 3,326
RETURNED = "4301211012030202"  # 赵德明: sent back from the committee to the group once
OBJECTED = "4301211012030101"  # 陈建国: a villager objects during publicity; dismissed
# Households with a child of compulsory-school age (6 to 15 in 2026); the others answer 不涉及.
SCHOOL_AGE = {"4301211012030101", "4301211012030301", "4301211012040301"}
# What the flow writes for 柏树村's exiting households, each the title of its document.
BAISHU_DOCUMENTS = (
    "柏树村2026年度贫困户脱贫退出村民小组推荐会议记录",
    "柏树村2026年度贫困户脱贫退出村委会评议会议记录",
    "柏树村2026年度贫困户脱贫入户核查表",
    "柏树村2026年度拟退出贫困户公示",
    "关于示范镇2026年度拟脱贫贫困户退出的请示",
    "长沙县2026年度贫困户退出县级抽查复核表",
    "关于示范镇2026年度贫困户脱贫退出的公告",
)
WITH_DOCX = {"柏树村2026年度拟退出贫困户公示", "关于示范镇2026年度拟脱贫贫困户退出的请示",
             "关于示范镇2026年度贫困户脱贫退出的公告"}
MIME = {"html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def case_numbers(office: Office) -> dict[str, tuple[str, str]]:
    """Each household's case (by 户编号) and its village's code, from `tuopin status`."""
    out = office.ok("status", "--chain", "household-exit", "--limit", "100", "--now", "2026-10-08 09:30")
    villages = {"柏树村": BAISHU, "枫林村": FENGLIN}
    return {row[2]: (row[0], villages[row[4]]) for row in table_rows(out) if row[0].isdigit() and len(row) >= 5}


def decide(office: Office, cases: list[str], stage: str, login: str, when: str, *more: str) -> str:
    return office.ok("decide", *cases, "--stage", stage, "--as", login, "--now", when, *more)


def home_check(office: Office, case: str, household: str, login: str, when: str) -> str:
    """The home check (四看一算) as the check team fills it: every guarantee met, the head signed; the income is
    the household's recorded one."""
    education = "是" if household in SCHOOL_AGE else "不涉及"
    fields = [f"{item}=是" for item in ("food", "clothing", "housing", "medical", "water", "head_signed")]
    return office.ok("record", case, "--input", "home-check", "--as", login, "--now", when,
                     "--set", f"education={education}", *[arg for f in fields for arg in ("--set", f)])


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    """The counts table of `tuopin status`: (stage, status) -> cases."""
    out = office.ok("status", "--chain", "household-exit", "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def run_year(office: Office) -> dict[str, tuple[str, str]]:
    office.ok("open", "--chain", "household-exit", "--year", YEAR, "--region", TOWNSHIP, "--now", "2026-10-08 09:00",
              says=["已立案12件", "村民小组推荐"])
    office.ok("open", "--chain", "household-exit", "--year", YEAR, "--region", TOWNSHIP, "--now", "2026-10-08 09:10",
              says=["已立案0件", "已有2026年度贫困户脱贫退出案件，不能重复立案：12户"])  # each household named
    found = case_numbers(office)
    assert len(found) == 12, found
    by_village = {v: [c for c, village in found.values() if village == v] for v in (BAISHU, FENGLIN)}
    number = {household: case for household, (case, _) in found.items()}

    # Village stages. A group leader cannot decide another village's case.
    office.refused(["decide", by_village[FENGLIN][0], "--stage", "GROUP_RECOMMEND", "--as", GROUP_LEADER[BAISHU],
                    "--now", "2026-10-10 10:00"], "不在", "辖区内")
    for village, cases in by_village.items():
        decide(office, cases, "GROUP_RECOMMEND", GROUP_LEADER[village], "2026-10-10 10:00")
    returned = number[RETURNED]
    reason = "推荐会议记录缺少该户所在组参会人员签字，退回小组重新推荐"
    office.refused(["decide", returned, "--stage", "COMMITTEE_REVIEW", "--as", COMMITTEE[BAISHU], "--move", "RETURN",
                    "--now", "2026-10-13 14:00"], "理由")  # a return needs its reason
    decide(office, [returned], "COMMITTEE_REVIEW", COMMITTEE[BAISHU], "2026-10-13 14:00", "--move", "RETURN",
           "--reason", reason)
    for village, cases in by_village.items():
        rest = [c for c in cases if c != returned]
        decide(office, rest, "COMMITTEE_REVIEW", COMMITTEE[village], "2026-10-13 15:00")
    decide(office, [returned], "GROUP_RECOMMEND", GROUP_LEADER[BAISHU], "2026-10-14 09:00")
    decide(office, [returned], "COMMITTEE_REVIEW", COMMITTEE[BAISHU], "2026-10-14 10:00")
    for village, cases in by_village.items():
        decide(office, cases, "CHECK_REQUEST", COMMITTEE[village], "2026-10-14 11:00")

    # The township's home check: one negative amount is refused and writes nothing; the failing household's
    # approval is refused with its income, and it is rejected with the reason.
    office.refused(["record", number[FAILING], "--input", "home-check", "--as", CHECK_TEAM[BAISHU],
                    "--now", "2026-10-20 15:00", "--set", "wages=-100"], "工资性收入", "-100")
    for household, (case, village) in found.items():
        home_check(office, case, household, CHECK_TEAM[village], "2026-10-20 16:00")
    office.refused(["decide", number[FAILING], "--stage", "HOME_CHECK", "--as", CHECK_TEAM[BAISHU],
                    "--now", "2026-10-21 09:00"], "入户核查未通过", "未超过3326元")
    decide(office, [number[FAILING]], "HOME_CHECK", CHECK_TEAM[BAISHU], "2026-10-21 09:00", "--move", "REJECT",
           "--reason", "人均纯收入2580元，未超过3326元，不符合脱贫标准")
    exiting = {v: [c for c in cases if c != number[FAILING]] for v, cases in by_village.items()}
    for village, cases in exiting.items():
        decide(office, cases, "HOME_CHECK", CHECK_TEAM[village], "2026-10-21 09:00")
    everyone = [c for cases in exiting.values() for c in cases]
    assert len(everyone) == 11

    # The flow writes the meetings' minutes and home-check forms and posts each village's notice for 7 days.
    office.ok("run", TOWNSHIP, "--year", YEAR, "--now", "2026-10-26 09:00", says=["（PUBLICITY）：张贴公示11件"])
    objected = number[OBJECTED]
    said = office.ok("object", objected, "--by", "村民陈某", "--content", "该户儿子在外务工，收入未如实申报",
                     "--as", COMMITTEE[BAISHU], "--now", "2026-10-28 10:00", says=[f"（案件{objected}）"])
    objection = re.search(r"已登记异议(\d+)", said)
    assert objection, said
    office.ok("resolve", objection.group(1), "--resolution", "经核实该户儿子务工收入已计入工资性收入，异议不成立",
              "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-30 15:00", says=["不成立"])
    # While the window is open the township cannot move the cases on.
    office.refused(["decide", everyone[0], "--stage", "COUNTY_REQUEST", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", "2026-11-01 23:59"], "村、乡镇公示")
    office.ok("sweep", "--now", "2026-11-02 00:05", says=["关闭公示2个，流转11件"])

    # The township's request to the county: the check team may not sign it.
    office.refused(["decide", everyone[0], "--stage", "COUNTY_REQUEST", "--as", CHECK_TEAM[BAISHU],
                    "--now", "2026-11-03 10:00"], "须由乡镇人民政府决定")
    decide(office, everyone, "COUNTY_REQUEST", TOWNSHIP_GOVERNMENT, "2026-11-03 10:00")
    office.ok("run", TOWNSHIP, "--year", YEAR, "--now", "2026-11-04 09:00",
              says=["（COUNTY_REQUEST）：生成文书1份", "（COUNTY_RECHECK）：抽取样本2个村"])
    # Fewer than 30 people a village: every household is drawn for the county's re-check.
    for household, (case, _) in found.items():
        if case != number[FAILING]:
            home_check(office, case, household, RECHECK_TEAM, "2026-11-09 15:00")
    decide(office, everyone, "COUNTY_RECHECK", RECHECK_TEAM, "2026-11-10 10:00")
    decide(office, everyone, "COUNTY_APPROVAL", COUNTY_GOVERNMENT, "2026-11-12 09:00")
    office.ok("run", TOWNSHIP, "--year", YEAR, "--now", "2026-11-12 10:00",
              says=["（COUNTY_RECHECK）：生成文书2份", "（COUNTY_APPROVAL）：张贴公示11件"])
    office.ok("sweep", "--now", "2026-11-19 00:05", says=["流转11件"])

    assert counts(office, "2026-11-19 09:00") == {("8. 县级审批公告", "已退出"): 11, ("4. 乡镇入户核查", "未通过"): 1}
    return found


def documents_of(clerk: Clerk, case: str) -> dict[str, dict[str, str]]:
    """The documents a case page lists: title -> format -> link, each title read from its HTML copy."""
    page = clerk.page(f"/cases/{case}")
    found: dict[str, dict[str, str]] = {}
    for html_link in links(page, r"/documents/\d+/html"):
        title = text_of(clerk.download(html_link, MIME["html"]).text.split("</title>")[0]).strip()
        base = html_link.removesuffix("/html")
        found[title] = {kind: f"{base}/{kind}" for kind in MIME if f"{base}/{kind}" in page}
    return found


def see_in_dashboard(office: Office, found: dict[str, tuple[str, str]]) -> None:
    number = {household: case for household, (case, _) in found.items()}
    with office.dashboard() as web:
        clerk = web.log_in(TOWNSHIP_GOVERNMENT, CLERK_PASSWORD)
        overview = text_of(clerk.page("/"))
        assert "黄丽娟" in overview, overview[:500]

        page = text_of(clerk.page(f"/cases/{number[RETURNED]}"))
        assert "赵德明" in page and "已退出" in page and "退回" in page
        assert "推荐会议记录缺少该户所在组参会人员签字" in page  # the return's reason stays on the case
        page = text_of(clerk.page(f"/cases/{number[OBJECTED]}"))
        assert "该户儿子在外务工" in page and "异议不成立" in page

        papers = documents_of(clerk, number[OBJECTED])
        assert set(papers) == set(BAISHU_DOCUMENTS), sorted(papers)
        for title, formats in papers.items():
            assert set(formats) == ({"html", "pdf", "docx"} if title in WITH_DOCX else {"html", "pdf"}), title
            html = clerk.download(formats["html"], MIME["html"]).text
            assert title in html and "陈建国" in html, title
            assert title in pdf_text(clerk.download(formats["pdf"], MIME["pdf"]).content), title
            if "docx" in formats:
                assert title in docx_text(clerk.download(formats["docx"], MIME["docx"]).content), title
        notice = clerk.download(papers["柏树村2026年度拟退出贫困户公示"]["html"], MIME["html"]).text
        assert "公示期：2026年10月26日至11月1日" in text_of(notice).replace(" ", "")
        assert "430121196804153737" not in notice and "13907312816" not in notice  # 陈建国's ID and phone masked

        rejected = documents_of(clerk, number[FAILING])  # what it went through before it was rejected
        assert set(rejected) == set(BAISHU_DOCUMENTS[:3]), sorted(rejected)
        assert "不符合脱贫标准" in text_of(clerk.page(f"/cases/{number[FAILING]}"))

        # The village notice's photo, uploaded afterwards from the case page's form, joins the case file; an
        # objection after the window has closed is refused on the page and writes nothing.
        case_page = f"/cases/{number[OBJECTED]}"
        clerk.submit(case_page, f"{case_page}/evidence", {"kind": "notice_photo"},
                     files={"file": ("柏树村公示照片.png", png())})
        assert "柏树村公示照片.png" in clerk.page(case_page)
        late = clerk.submit(case_page, f"{case_page}/objections", {"raised_by": "村民李某", "content": "收入不实"},
                            status=409)
        assert "本次未写入任何内容" in text_of(late.text) and "收入不实" not in text_of(late.text)

        # A form without its token writes nothing; a village's leader sees no other village's case.
        refused = clerk.client.post(f"/cases/{number[OBJECTED]}/decide", data={"stage": "COUNTY_APPROVAL"})
        assert refused.status_code == 403 and "表单已失效" in refused.text
        leader = web.log_in(GROUP_LEADER[BAISHU], CLERK_PASSWORD)
        fenglin = next(case for case, village in found.values() if village == FENGLIN)
        assert "案件不存在" in leader.page(f"/cases/{fenglin}", status=404)
        leader.page(f"/cases/{number[OBJECTED]}")


def test_a_township_s_household_exit_year_from_an_empty_database(office: Office) -> None:
    set_up_county(office)
    found = run_year(office)
    see_in_dashboard(office, found)
