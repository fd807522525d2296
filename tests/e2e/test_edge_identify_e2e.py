"""Chain C's year in 示范镇 from an empty database, as an office runs it: the county's regions and staff from
docs/examples, the applicants of docs/examples/applicants.csv imported and their cases opened, every stage decided by
the role that decides it (one home visit recorded on the dashboard's case page), the flows and sweeps run through the
two publicity notices and the announcement, then the cases and their documents seen and downloaded in the dashboard.

The dashboard runs on the real clock, so the year's dates are counted from today: what comes before the home visit
recorded on the dashboard is dated in the past, what comes after it in the days ahead."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.county import (
    BAISHU,
    CHECK_TEAM,
    CLERK_PASSWORD,
    COMMITTEE,
    FENGLIN,
    RECHECK_TEAM,
    TOWNSHIP,
    TOWNSHIP_GOVERNMENT,
    YEAR,
    set_up_county,
)
from tests.e2e.harness import EXAMPLES, Clerk, Office, docx_text, links, pdf_text, table_rows, text_of

CHAIN = "edge-identify"
LISTED = "4301211012030401"  # 李永华: 3,600 yuan a head, inside the band (above 3,326, below 4,000)
AT_THE_LINE = "4301211012030402"  # 钟秋生: exactly 3,326.00, not above the poverty line: refused at the review
ON_THE_PAGE = "4301211012040401"  # 刘德胜: 3,999.99, just below 4,000; his home visit is recorded on the dashboard
OBJECTED = "4301211012040502"  # 阳建军: 3,800; returned once for his application, then objected to and upheld
ALLOWANCE = "4301211012030502"  # 谭秀珍: a 低保户, which the policy keeps off the edge list
APPLYING = (LISTED, AT_THE_LINE, ON_THE_PAGE, OBJECTED)
# The income each household's home visit measures (工资性、家庭经营、财产性、转移性收入, 生产经营费用支出): as declared.
VISITED = {LISTED: ("9000", "2400", "0", "600", "1200"), ON_THE_PAGE: ("9600", "2800", "0", "599.97", "1000"),
           OBJECTED: ("8400", "2600", "0", "900", "500")}
INCOME = ("wages", "operating", "property_income", "transfer", "expenses")
# What the chain writes for 刘德胜's case (each title, and the phrase of it its PDF and DOCX copies print: the
# application's page begins 申请书：).
DOCUMENTS = {
    "枫林村2026年度贫困边缘户识别申请书": "申请书",
    "枫林村2026年度贫困边缘户民主评议会议记录": "枫林村2026年度贫困边缘户民主评议会议记录",
    "枫林村2026年度贫困边缘户入户核实登记表": "枫林村2026年度贫困边缘户入户核实登记表",
    "枫林村2026年度贫困边缘户第一次公示": "枫林村2026年度贫困边缘户第一次公示",
    "枫林村2026年度贫困边缘户第二次公示": "枫林村2026年度贫困边缘户第二次公示",
    "关于示范镇枫林村2026年度贫困边缘户的公告": "关于示范镇枫林村2026年度贫困边缘户的公告",
}
MIME = {"html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.now(SHANGHAI).date()


def day(offset: int, at: str) -> str:
    """A moment `offset` days from today (Shanghai), as --now reads it."""
    return f"{TODAY + timedelta(days=offset):%Y-%m-%d} {at}"


def decide(office: Office, cases: list[str], stage: str, login: str, when: str, *more: str) -> str:
    return office.ok("decide", *cases, "--stage", stage, "--as", login, "--now", when, *more)


def visit(office: Office, case: str, login: str, when: str, amounts: tuple[str, ...], note: str) -> str:
    fields = [arg for name, amount in zip(INCOME, amounts, strict=True) for arg in ("--set", f"{name}={amount}")]
    return office.ok("record", case, "--input", "home-visit", "--as", login, "--now", when, *fields,
                     "--set", f"note={note}")


def case_numbers(office: Office, when: str) -> dict[str, str]:
    """Each household's case (by 户编号), from `tuopin status`."""
    out = office.ok("status", "--chain", CHAIN, "--limit", "100", "--now", when)
    return {row[2]: row[0] for row in table_rows(out) if row[0].isdigit() and len(row) >= 5}


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    out = office.ok("status", "--chain", CHAIN, "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def before_the_visit(office: Office) -> dict[str, str]:
    """Applications, the democratic review and two home visits, dated in the days before today."""
    office.ok("import", str(EXAMPLES / "applicants.csv"), "--as", TOWNSHIP_GOVERNMENT, "--now", day(-12, "08:00"),
              says=["导入完成：2个村8户22人，收入8条（2026年度）"])
    # A list with one household the policy excludes opens none, and names it with the rule.
    office.refused(["open", "--chain", CHAIN, "--year", YEAR, "--households", ",".join((*APPLYING, ALLOWANCE)),
                    "--as", TOWNSHIP_GOVERNMENT, "--now", day(-12, "09:00")],
                   f"户{ALLOWANCE}（户主谭秀珍）：属低保户，按规定暂不列入贫困边缘户")
    office.ok("open", "--chain", CHAIN, "--year", YEAR, "--households", ",".join(APPLYING), "--as",
              TOWNSHIP_GOVERNMENT, "--now", day(-12, "09:05"), says=["已立案4件", "农户申请"])
    number = case_numbers(office, day(-12, "09:10"))
    assert set(number) == set(APPLYING), number
    baishu, fenglin = [number[LISTED], number[AT_THE_LINE]], [number[ON_THE_PAGE], number[OBJECTED]]

    # The committees accept the applications; 阳建军's goes back once for the head's signature.
    decide(office, baishu, "EDGE_APPLICATION", COMMITTEE[BAISHU], day(-12, "10:00"))
    decide(office, fenglin, "EDGE_APPLICATION", COMMITTEE[FENGLIN], day(-12, "10:00"))
    office.refused(["decide", number[OBJECTED], "--stage", "EDGE_REVIEW", "--as", COMMITTEE[FENGLIN],
                    "--move", "RETURN", "--now", day(-9, "14:00")], "理由")  # a return needs its reason
    decide(office, [number[OBJECTED]], "EDGE_REVIEW", COMMITTEE[FENGLIN], day(-9, "14:00"), "--move", "RETURN",
           "--reason", "申请书缺少户主签字，退回农户补签")
    decide(office, [number[OBJECTED]], "EDGE_APPLICATION", COMMITTEE[FENGLIN], day(-8, "09:00"))
    # The democratic review: 钟秋生's income is the poverty line itself, not above it.
    office.refused(["decide", number[AT_THE_LINE], "--stage", "EDGE_REVIEW", "--as", COMMITTEE[BAISHU],
                    "--now", day(-8, "15:00")], "不符合贫困边缘户识别标准", "3326")
    decide(office, [number[AT_THE_LINE]], "EDGE_REVIEW", COMMITTEE[BAISHU], day(-8, "15:00"), "--move", "REJECT",
           "--reason", "人均纯收入3326元，未高于建档立卡贫困户标准，不列入贫困边缘户")
    decide(office, [number[LISTED]], "EDGE_REVIEW", COMMITTEE[BAISHU], day(-8, "15:00"))
    decide(office, fenglin, "EDGE_REVIEW", COMMITTEE[FENGLIN], day(-8, "15:30"))

    # The township's home visits: a negative amount is refused and writes nothing.
    office.refused(["record", number[LISTED], "--input", "home-visit", "--as", CHECK_TEAM[BAISHU],
                    "--now", day(-4, "10:00"), *[a for n in INCOME for a in ("--set", f"{n}=-5" if n == "wages"
                                                                             else f"{n}=0")]],
                   "工资性收入", "-5", "负数")
    visit(office, number[LISTED], CHECK_TEAM[BAISHU], day(-4, "10:30"), VISITED[LISTED], "三口人，住砖混房，务工一人")
    visit(office, number[OBJECTED], CHECK_TEAM[FENGLIN], day(-4, "15:00"), VISITED[OBJECTED], "四口人，父亲外出")
    return number


def home_visit_on_the_dashboard(office: Office, number: dict[str, str]) -> None:
    """The check team opens 刘德胜's case page, sees what the stage waits for and records the visit on its form."""
    with office.dashboard() as web:
        team = web.log_in(CHECK_TEAM[FENGLIN], CLERK_PASSWORD)
        case_page = f"/cases/{number[ON_THE_PAGE]}"
        page = text_of(team.page(case_page))
        assert "入户核实" in page and "工资性收入" in page, page[:1500]
        action = f"{case_page}/inputs/home-visit"
        wrong = team.submit(case_page, action, {**dict(zip(INCOME, VISITED[ON_THE_PAGE], strict=True)),
                                                "transfer": "-1"}, status=409)
        assert "本次未写入任何内容" in text_of(wrong.text), text_of(wrong.text)[:800]
        team.submit(case_page, action, {**dict(zip(INCOME, VISITED[ON_THE_PAGE], strict=True)),
                                        "note": "三口人，夫妻务工，女儿上高中"})
        assert "吴海燕 记录入户核实" in text_of(team.page(case_page))  # the visit joins the case's record


def after_the_visit(office: Office, number: dict[str, str]) -> None:
    """Two publicity notices, the county's review, the announcement and the record, in the days ahead."""
    decide(office, [number[LISTED]], "EDGE_HOME_VISIT", CHECK_TEAM[BAISHU], day(1, "09:00"))
    decide(office, [number[ON_THE_PAGE], number[OBJECTED]], "EDGE_HOME_VISIT", CHECK_TEAM[FENGLIN], day(1, "09:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(1, "10:00"),
              says=["（EDGE_FIRST_PUBLICITY）：张贴公示3件"])

    # A villager objects to 阳建军 during the first notice; the township upholds it: wages left undeclared.
    said = office.ok("object", number[OBJECTED], "--by", "村民邓某", "--content", "该户儿子在长沙务工，工资收入未申报",
                     "--as", COMMITTEE[FENGLIN], "--now", day(3, "10:00"), says=[f"（案件{number[OBJECTED]}）"])
    objection = re.search(r"已登记异议(\d+)", said)
    assert objection, said
    office.ok("resolve", objection.group(1), "--uphold", "--resolution",
              "经核实该户儿子务工年收入2400元未申报，异议成立，退回重新入户核实", "--as", TOWNSHIP_GOVERNMENT,
              "--now", day(4, "15:00"), says=["成立"])
    visit(office, number[OBJECTED], CHECK_TEAM[FENGLIN], day(5, "10:00"), ("10800", "2600", "0", "900", "500"),
          "补记儿子务工收入2400元")
    office.refused(["decide", number[OBJECTED], "--stage", "EDGE_HOME_VISIT", "--as", CHECK_TEAM[FENGLIN],
                    "--now", day(5, "11:00")], "不符合贫困边缘户识别标准", "4600")
    decide(office, [number[OBJECTED]], "EDGE_HOME_VISIT", CHECK_TEAM[FENGLIN], day(5, "11:00"), "--move", "REJECT",
           "--reason", "补记务工收入后人均纯收入4600元，未低于4000元，不列入贫困边缘户")
    listed = [number[LISTED], number[ON_THE_PAGE]]
    # While the notices are up the township cannot review the cases.
    office.refused(["decide", listed[0], "--stage", "EDGE_TOWNSHIP_REVIEW", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", day(7, "23:59")], "公示")
    office.ok("sweep", "--now", day(8, "00:05"), says=["流转2件"])
    decide(office, listed, "EDGE_TOWNSHIP_REVIEW", TOWNSHIP_GOVERNMENT, day(8, "10:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(9, "09:00"),
              says=["（EDGE_SECOND_PUBLICITY）：张贴公示2件"])
    office.ok("sweep", "--now", day(16, "00:05"), says=["流转2件"])
    decide(office, listed, "EDGE_COUNTY_REVIEW", RECHECK_TEAM, day(16, "10:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(17, "09:00"),
              says=["（EDGE_ANNOUNCEMENT）：张贴公示2件"])
    office.ok("sweep", "--now", day(24, "00:05"), says=["流转2件"])
    decide(office, listed, "EDGE_RECORD", TOWNSHIP_GOVERNMENT, day(24, "10:00"))
    assert counts(office, day(24, "12:00")) == {
        ("9. 建档立卡", "已认定"): 2, ("2. 村民代表大会民主评议", "未通过"): 1, ("3. 入户核实", "未通过"): 1}


def documents_of(clerk: Clerk, case: str) -> dict[str, dict[str, str]]:
    """The documents a case page lists: title -> format -> link, each title read from its HTML copy."""
    page = clerk.page(f"/cases/{case}")
    found: dict[str, dict[str, str]] = {}
    for html_link in links(page, r"/documents/\d+/html"):
        title = text_of(clerk.download(html_link, MIME["html"]).text.split("</title>")[0]).strip()
        base = html_link.removesuffix("/html")
        found[title] = {kind: f"{base}/{kind}" for kind in MIME if f"{base}/{kind}" in page}
    return found


def see_in_dashboard(office: Office, number: dict[str, str]) -> None:
    with office.dashboard() as web:
        clerk = web.log_in(TOWNSHIP_GOVERNMENT, CLERK_PASSWORD)
        page = text_of(clerk.page(f"/cases/{number[OBJECTED]}"))
        assert "申请书缺少户主签字" in page and "工资收入未申报" in page and "4600" in page, page[:2000]
        assert "3326" in text_of(clerk.page(f"/cases/{number[AT_THE_LINE]}"))
        papers = documents_of(clerk, number[ON_THE_PAGE])
        assert len(papers) >= 5, sorted(papers)
        assert set(papers) == set(DOCUMENTS), sorted(papers)
        for title, formats in papers.items():
            assert {"html", "pdf"} <= set(formats), (title, formats)
            html = clerk.download(formats["html"], MIME["html"]).text
            assert title in html and "刘德胜" in html, title
            phrase = DOCUMENTS[title]
            assert phrase in pdf_text(clerk.download(formats["pdf"], MIME["pdf"]).content), title
            if "docx" in formats:
                assert phrase in docx_text(clerk.download(formats["docx"], MIME["docx"]).content), title
        # The registration form prints the income the check team typed on the case page: 3,999.99 a head.
        form = text_of(clerk.download(papers["枫林村2026年度贫困边缘户入户核实登记表"]["html"], MIME["html"]).text)
        assert "3999.99" in form, form[:1500]
        notice = text_of(clerk.download(papers["枫林村2026年度贫困边缘户第一次公示"]["html"], MIME["html"]).text)
        assert "13907365148" not in notice and "430121197601253513" not in notice  # 刘德胜's phone and ID masked
        assert "阳建军" in notice  # posted before the objection against him was upheld
        second = text_of(clerk.download(papers["枫林村2026年度贫困边缘户第二次公示"]["html"], MIME["html"]).text)
        assert "刘德胜" in second and "阳建军" not in second  # rejected at the home visit: off the second list


def test_a_township_s_edge_household_year_from_an_empty_database(office: Office) -> None:
    set_up_county(office, CHECK_TEAM[FENGLIN])
    number = before_the_visit(office)
    home_visit_on_the_dashboard(office, number)
    after_the_visit(office, number)
    see_in_dashboard(office, number)
