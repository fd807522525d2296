"""Chain E's year (两次识别) in 示范镇 from an empty database, as an office runs it: the county's regions and staff from
docs/examples, the applicants of docs/examples/applicants.csv imported and their cases opened, every stage decided by
the role that decides it, the city's random sample drawn and checked, the record cards filled in (one on the
dashboard's case page), the flows and sweeps run through both village notices, then the cases and their documents
seen and downloaded in the dashboard.

The dashboard runs on the real clock, so the year's dates are counted from today: what comes before the record card
filled in on the dashboard is dated in the days before, the record's approval in the days ahead."""

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

CHAIN = "relative-identify"
CITY_TEAM = "liguilan"  # 李桂兰, 长沙市's check team (docs/examples/staff.csv)
OBJECTED = "4301211012030501"  # 吴国栋: 1,400 yuan a head; a villager objects during the first notice, dismissed
ON_THE_PAGE = "4301211012030502"  # 谭秀珍: 1,300 (a 低保户, which chain E admits); her card is filled on the dashboard
FOUND_OUT = "4301211012040402"  # 曾凡贵: exactly 1,500.00 (以下 includes it); the city finds 600 yuan undeclared
ABOVE = "4301211012040501"  # 毛桂芝: 1,500.01, above the line: refused at the village review
REGISTERED = "4301211012030101"  # 陈建国 of docs/examples/roster.csv: a registered poor household, cannot apply
APPLYING = (OBJECTED, ON_THE_PAGE, FOUND_OUT, ABOVE)
INCOME = ("wages", "operating", "property_income", "transfer", "expenses")
# What the township's home visit measures of each listed household: as declared in applicants.csv.
VISITED = {OBJECTED: ("2400", "1500", "0", "900", "600"), ON_THE_PAGE: ("0", "1200", "0", "1800", "400"),
           FOUND_OUT: ("1800", "900", "0", "700", "400")}
FOUND = ("2400", "900", "0", "700", "400")  # 曾凡贵's income with his son's 600 yuan of wages: 1,800 a head
# What the chain writes for 谭秀珍's case (each title, and the phrase of it its PDF and DOCX copies print: the
# application's pages begin 申请书：).
DOCUMENTS = {
    "柏树村2026年度相对贫困户识别申请书": "申请书",
    "柏树村2026年度拟确认相对贫困户第一次公示": "柏树村2026年度拟确认相对贫困户第一次公示",
    "柏树村2026年度相对贫困户入户核实登记表": "柏树村2026年度相对贫困户入户核实登记表",
    "长沙市2026年度相对贫困户随机抽样核查表": "长沙市2026年度相对贫困户随机抽样核查表",
    "柏树村2026年度拟确认相对贫困户第二次公示": "柏树村2026年度拟确认相对贫困户第二次公示",
    "2026年度相对贫困户建档立卡登记表": "2026年度相对贫困户建档立卡登记表",
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


def amounts(values: tuple[str, ...]) -> list[str]:
    return [arg for name, amount in zip(INCOME, values, strict=True) for arg in ("--set", f"{name}={amount}")]


def visit(office: Office, case: str, login: str, when: str, values: tuple[str, ...]) -> str:
    return office.ok("record", case, "--input", "home-visit", "--as", login, "--now", when, *amounts(values))


def case_numbers(office: Office, when: str) -> dict[str, str]:
    """Each household's case (by 户编号), from `tuopin status`."""
    out = office.ok("status", "--chain", CHAIN, "--limit", "100", "--now", when)
    return {row[2]: row[0] for row in table_rows(out) if row[0].isdigit() and len(row) >= 5}


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    out = office.ok("status", "--chain", CHAIN, "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def first_identification(office: Office) -> dict[str, str]:
    """Applications, the village review and its notice, the township's and the county's checks."""
    office.ok("import", str(EXAMPLES / "applicants.csv"), "--as", TOWNSHIP_GOVERNMENT, "--now", day(-30, "08:00"),
              says=["导入完成：2个村8户22人，收入8条（2026年度）"])
    office.refused(["open", "--chain", CHAIN, "--year", YEAR, "--households", ",".join((*APPLYING, REGISTERED)),
                    "--as", TOWNSHIP_GOVERNMENT, "--now", day(-30, "09:00")],
                   f"户{REGISTERED}（户主陈建国）：已是建档立卡贫困户，不能申请相对贫困户识别")
    office.ok("open", "--chain", CHAIN, "--year", YEAR, "--households", ",".join(APPLYING), "--as",
              TOWNSHIP_GOVERNMENT, "--now", day(-30, "09:05"), says=["已立案4件", "农户申请"])
    number = case_numbers(office, day(-30, "09:10"))
    assert set(number) == set(APPLYING), number
    baishu, fenglin = [number[OBJECTED], number[ON_THE_PAGE]], [number[FOUND_OUT], number[ABOVE]]

    decide(office, baishu, "REL_APPLICATION", COMMITTEE[BAISHU], day(-30, "10:00"))
    decide(office, fenglin, "REL_APPLICATION", COMMITTEE[FENGLIN], day(-30, "10:00"))
    # The village review: 1,500.01 is above 人均纯收入1500元以下.
    office.refused(["decide", number[ABOVE], "--stage", "REL_VILLAGE_REVIEW", "--as", COMMITTEE[FENGLIN],
                    "--now", day(-27, "15:00")], "不符合相对贫困户识别标准", "1500.01")
    decide(office, [number[ABOVE]], "REL_VILLAGE_REVIEW", COMMITTEE[FENGLIN], day(-27, "15:00"), "--move", "REJECT",
           "--reason", "人均纯收入1500.01元，高于1500元，不列入相对贫困户")
    decide(office, baishu, "REL_VILLAGE_REVIEW", COMMITTEE[BAISHU], day(-27, "15:00"))
    decide(office, [number[FOUND_OUT]], "REL_VILLAGE_REVIEW", COMMITTEE[FENGLIN], day(-27, "15:30"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(-26, "09:00"),
              says=["（REL_VILLAGE_PUBLICITY）：张贴公示3件"])
    said = office.ok("object", number[OBJECTED], "--by", "村民吴某", "--content", "该户儿子吴小军在外务工，收入未计入",
                     "--as", COMMITTEE[BAISHU], "--now", day(-24, "10:00"), says=[f"（案件{number[OBJECTED]}）"])
    objection = re.search(r"已登记异议(\d+)", said)
    assert objection, said
    office.ok("resolve", objection.group(1), "--resolution",
              "经核实吴小军已在长沙落户另立门户，不是本户常住人口，异议不成立", "--as", TOWNSHIP_GOVERNMENT,
              "--now", day(-22, "15:00"), says=["不成立"])
    office.ok("sweep", "--now", day(-19, "00:05"), says=["流转3件"])

    visit(office, number[OBJECTED], CHECK_TEAM[BAISHU], day(-18, "10:00"), VISITED[OBJECTED])
    visit(office, number[ON_THE_PAGE], CHECK_TEAM[BAISHU], day(-18, "11:00"), VISITED[ON_THE_PAGE])
    visit(office, number[FOUND_OUT], CHECK_TEAM[FENGLIN], day(-18, "15:00"), VISITED[FOUND_OUT])
    decide(office, baishu, "REL_TOWNSHIP_CHECK", CHECK_TEAM[BAISHU], day(-17, "09:00"))
    decide(office, [number[FOUND_OUT]], "REL_TOWNSHIP_CHECK", CHECK_TEAM[FENGLIN], day(-17, "09:00"))
    decide(office, [*baishu, number[FOUND_OUT]], "REL_COUNTY_CHECK", RECHECK_TEAM, day(-15, "10:00"))
    return number


def second_identification(office: Office, number: dict[str, str]) -> None:
    """The city's random sample and its checks, the village team's verification and the final notice."""
    listed = [number[OBJECTED], number[ON_THE_PAGE]]
    # Fewer than 10 people a village: every household is drawn; the seed is stored with the sample.
    office.ok("record", number[OBJECTED], "--input", "sample", "--set", f"scope={TOWNSHIP}", "--set", "seed=2026",
              "--as", CITY_TEAM, "--now", day(-13, "09:00"), says=["已抽取示范镇2个村的市级抽查样本，抽中7人"])
    for case in listed:
        office.ok("record", case, "--input", "income-recheck", "--as", CITY_TEAM, "--now", day(-12, "10:00"),
                  says=["通过"])
    office.ok("record", number[FOUND_OUT], "--input", "income-recheck", "--as", CITY_TEAM, "--now",
              day(-12, "15:00"), *amounts(FOUND), "--set", "finding=儿子外出务工收入600元未申报",
              says=["未通过"])
    office.refused(["decide", number[FOUND_OUT], "--stage", "REL_CITY_CHECK", "--as", CITY_TEAM,
                    "--now", day(-12, "16:00")], "市级随机抽样核查未通过", "600元未申报")
    decide(office, [number[FOUND_OUT]], "REL_CITY_CHECK", CITY_TEAM, day(-12, "16:00"), "--move", "RETURN",
           "--reason", "市级随机抽样核查发现收入未如实申报，退回镇核查")
    decide(office, listed, "REL_CITY_CHECK", CITY_TEAM, day(-12, "16:30"))
    # The township visits 曾凡贵 again: with the wages found he is above the line.
    visit(office, number[FOUND_OUT], CHECK_TEAM[FENGLIN], day(-11, "10:00"), FOUND)
    decide(office, [number[FOUND_OUT]], "REL_TOWNSHIP_CHECK", CHECK_TEAM[FENGLIN], day(-11, "11:00"), "--move",
           "REJECT", "--reason", "补记务工收入后人均纯收入1800元，高于1500元，不列入相对贫困户")

    decide(office, listed, "REL_TEAM_VERIFY", COMMITTEE[BAISHU], day(-11, "15:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(-10, "09:00"),
              says=["（REL_FINAL_PUBLICITY）：张贴公示2件"])
    office.ok("sweep", "--now", day(-3, "00:05"), says=["流转2件"])
    # The record: approving before the card is filled in is refused.
    office.refused(["decide", number[OBJECTED], "--stage", "REL_RECORD", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", day(-2, "09:00")], "尚未填写建档立卡内容")
    office.ok("record", number[OBJECTED], "--input", "record-card", "--as", TOWNSHIP_GOVERNMENT,
              "--now", day(-2, "10:00"), "--set", "cause=缺技术、缺资金", "--set", "helper=县农业农村局 刘建华",
              "--set", "helper_unit=县农业农村局", "--set", "three_year_plan=发展油茶种植，劳动力转移就业",
              "--set", "yearly_plan=扶持种植油茶10亩，组织1人参加技能培训", "--set", "has_labour=是",
              "--set", "funds=5000", "--set", "projects=油茶种植10亩", says=["有劳动能力"])


def record_card_on_the_dashboard(office: Office, number: dict[str, str]) -> None:
    """The township opens 谭秀珍's case page, sees the card's form, and fills it in (once wrongly)."""
    with office.dashboard() as web:
        clerk = web.log_in(TOWNSHIP_GOVERNMENT, CLERK_PASSWORD)
        case_page = f"/cases/{number[ON_THE_PAGE]}"
        page = text_of(clerk.page(case_page))
        assert "致贫原因" in page and "帮扶责任人" in page, page[:1500]
        action = f"{case_page}/inputs/record-card"
        card = {"cause": "缺劳力", "helper": "县民政局 陈秀英", "helper_unit": "县民政局",
                "three_year_plan": "落实低保兜底，医疗救助全覆盖", "yearly_plan": "落实低保兜底和医疗救助",
                "has_labour": "否", "funds": "2000", "projects": ""}
        wrong = clerk.submit(case_page, action, {**card, "funds": "-2000"}, status=409)
        assert "本次未写入任何内容" in text_of(wrong.text), text_of(wrong.text)[:800]
        clerk.submit(case_page, action, card)
        assert "黄丽娟 建立帮扶档案" in text_of(clerk.page(case_page))  # the card joins the case's record


def the_record(office: Office, number: dict[str, str]) -> None:
    listed = [number[OBJECTED], number[ON_THE_PAGE]]
    decide(office, listed, "REL_RECORD", TOWNSHIP_GOVERNMENT, day(1, "09:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(1, "10:00"))
    assert counts(office, day(1, "11:00")) == {
        ("9. 建档立卡", "已建档立卡"): 2, ("2. 村评议", "未通过"): 1, ("4. 镇核查", "未通过"): 1}


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
        page = text_of(clerk.page(f"/cases/{number[FOUND_OUT]}"))
        assert "退回镇核查" in page and "1800" in page, page[:2000]
        assert "异议不成立" in text_of(clerk.page(f"/cases/{number[OBJECTED]}"))
        assert "1500.01" in text_of(clerk.page(f"/cases/{number[ABOVE]}"))
        papers = documents_of(clerk, number[ON_THE_PAGE])
        assert set(papers) == set(DOCUMENTS), sorted(papers)
        for title, formats in papers.items():
            assert {"html", "pdf"} <= set(formats), (title, formats)
            html = clerk.download(formats["html"], MIME["html"]).text
            assert title in html and "谭秀珍" in html, title
            phrase = DOCUMENTS[title]
            assert phrase in pdf_text(clerk.download(formats["pdf"], MIME["pdf"]).content), title
            if "docx" in formats:
                assert phrase in docx_text(clerk.download(formats["docx"], MIME["docx"]).content), title
        # The card prints what was typed on the case page; the final list goes lowest income first, phones masked.
        card = text_of(clerk.download(papers["2026年度相对贫困户建档立卡登记表"]["html"], MIME["html"]).text)
        assert "县民政局 陈秀英" in card and "缺劳力" in card and "无劳动能力" in card, card[:1500]
        final = text_of(clerk.download(papers["柏树村2026年度拟确认相对贫困户第二次公示"]["html"], MIME["html"]).text)
        assert final.index("谭秀珍") < final.index("吴国栋"), final[:1500]  # 1,300 before 1,400 a head
        assert "13548720613" not in final


def test_a_township_s_relative_poor_year_from_an_empty_database(office: Office) -> None:
    set_up_county(office)
    number = first_identification(office)
    second_identification(office, number)
    record_card_on_the_dashboard(office, number)
    the_record(office, number)
    see_in_dashboard(office, number)
