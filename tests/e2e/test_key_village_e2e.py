"""Chain D's year in 示范镇 from an empty database, as an office runs it: the county's regions and staff from
docs/examples, three villages' applications opened, their figures recorded and checked at the township, the county,
the city and the province by the role that checks them (one village's city figures on the dashboard's case page), the
city's and the province's samples drawn, the flows and sweeps run through the province's publicity, then the cases
and their documents seen and downloaded in the dashboard.

The dashboard runs on the real clock, so the year's dates are counted from today: the village, township and county
stages are dated in the days before today, the city's and the province's checks today (the dashboard's and the
commands' own clock, no --now), the publicity's window in the days ahead."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e.county import (
    BAISHU,
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
from tests.e2e.harness import Clerk, Office, docx_text, links, pdf_text, table_rows, text_of

CHAIN = "key-village"
XINTANG = "430121101205"  # 新塘村: collective income of exactly 30,000 yuan, not 低于3万元
VILLAGES = {"柏树村": BAISHU, "枫林村": FENGLIN, "新塘村": XINTANG}
APPLICANTS = {BAISHU: COMMITTEE[BAISHU], FENGLIN: COMMITTEE[FENGLIN], XINTANG: "zhengliping"}
CITY_TEAM, PROVINCE_OFFICE = "liguilan", "ouyangjianguo"  # 市级抽查组, 省级扶贫部门 (docs/examples/staff.csv)
# (农村总户数, 相对贫困户数, 农民人均纯收入, 村集体经济年收入) as each level finds them.
FIGURES = {BAISHU: ("300", "60", "2600", "12000"), FENGLIN: ("250", "40", "2700", "18000"),
           XINTANG: ("200", "30", "2600", "30000")}
RETURN_REASON = "枫林村申请未附村“两委”会议记录，退回村委会补充后重新申请"
REJECT_REASON = "村集体经济年收入30000元，未低于3万元，不符合重点帮扶村申报条件"
OBJECTION = "柏树村集体经济收入未计入光伏电站分红"
RESOLUTION = "经核实光伏电站分红已计入村集体经济年收入，异议不成立"
MIME = {"html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.now(SHANGHAI).date()
# The documents each confirmed village's case lists, each the title of its document.
DOCUMENTS = (
    "{village}2026年度重点帮扶村确认申请书",
    "示范镇2026年度重点帮扶村申报核实排序表",
    "长沙县2026年度相对贫困村申报汇总表",
    "长沙市2026年度重点帮扶村市级抽查核实表",
    "湖南省2026年度重点帮扶村省级实地复核表",
    "湖南省2026年度重点帮扶村名单公示",
)


def day(offset: int, at: str) -> str:
    """A moment `offset` days from today (Shanghai), as --now reads it."""
    return f"{TODAY + timedelta(days=offset):%Y-%m-%d} {at}"


def on(when: str | None) -> list[str]:
    """The --now of a command dated `when`; none (the real clock) for today's."""
    return [] if when is None else ["--now", when]


def decide(office: Office, cases: list[str], stage: str, login: str, when: str | None, *more: str) -> str:
    return office.ok("decide", *cases, "--stage", stage, "--as", login, *on(when), *more)


def figures(case: str, login: str, when: str | None, values: tuple[str, ...], source: str) -> list[str]:
    """The `tuopin record` of a village's figures (村情数据) at its case's stage."""
    names = ("households", "relative_poor_households", "per_capita_income", "collective_income")
    return ["record", case, "--input", "village-figures", "--as", login, *on(when),
            *[arg for name, value in zip(names, values, strict=True) for arg in ("--set", f"{name}={value}")],
            "--set", f"source={source}"]


def case_numbers(office: Office, when: str) -> dict[str, str]:
    """Each village's case (by its code), from `tuopin status`."""
    out = office.ok("status", "--chain", CHAIN, "--limit", "100", "--now", when)
    return {VILLAGES[row[4]]: row[0] for row in table_rows(out) if row[0].isdigit() and len(row) >= 5}


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    out = office.ok("status", "--chain", CHAIN, "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def village_to_county(office: Office) -> dict[str, str]:
    """Applications (one sent back once), the township's figures and ranking (one village refused), the county's check
    and confirmation, before today."""
    office.ok("open", "--chain", CHAIN, "--year", YEAR, "--region", TOWNSHIP, "--villages", ",".join(VILLAGES.values()),
              "--as", TOWNSHIP_GOVERNMENT, "--now", day(-20, "09:00"), says=["已立案3件", "村委会申请"])
    office.refused(["open", "--chain", CHAIN, "--year", YEAR, "--villages", BAISHU, "--as", TOWNSHIP_GOVERNMENT,
                    "--now", day(-20, "09:10")], "柏树村（430121101203）：已有2026年度重点帮扶村确认案件，不能重复立案")
    number = case_numbers(office, day(-20, "09:30"))
    assert set(number) == set(VILLAGES.values()), number
    for village, case in number.items():
        decide(office, [case], "KEY_APPLICATION", APPLICANTS[village], day(-19, "10:00"))
    decide(office, [number[FENGLIN]], "KEY_TOWNSHIP_VERIFY", TOWNSHIP_GOVERNMENT, day(-18, "10:00"),
           "--move", "RETURN", "--reason", RETURN_REASON)
    decide(office, [number[FENGLIN]], "KEY_APPLICATION", APPLICANTS[FENGLIN], day(-18, "15:00"))

    # The township's figures: more relative-poor households than households is refused and writes nothing.
    office.refused(figures(number[BAISHU], TOWNSHIP_GOVERNMENT, day(-17, "09:00"), ("300", "400", "2600", "12000"),
                           "镇摸查核实"), "相对贫困户数", "“400”", "须在0与农村总户数之间")
    for village, case in number.items():
        office.ok(*figures(case, TOWNSHIP_GOVERNMENT, day(-17, "10:00"), FIGURES[village], "镇摸查核实"),
                  says=[f"已登记案件{case}的村情数据（镇级核实并排序）"])
    office.refused(["decide", number[XINTANG], "--stage", "KEY_TOWNSHIP_VERIFY", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", day(-16, "10:00")], "不符合重点帮扶村申报条件", "不符合“低于30000元”")
    decide(office, [number[XINTANG]], "KEY_TOWNSHIP_VERIFY", TOWNSHIP_GOVERNMENT, day(-16, "10:00"),
           "--move", "REJECT", "--reason", REJECT_REASON)
    going = [number[BAISHU], number[FENGLIN]]
    decide(office, going, "KEY_TOWNSHIP_VERIFY", TOWNSHIP_GOVERNMENT, day(-16, "11:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(-15, "09:00"),
              says=["（KEY_APPLICATION）：生成文书3份", "（KEY_TOWNSHIP_VERIFY）：生成文书1份"])

    # The county's survey team checks the figures again; the township may not.
    office.refused(figures(number[BAISHU], TOWNSHIP_GOVERNMENT, day(-14, "09:00"), FIGURES[BAISHU], "县统计局"),
                   "县级复核组")
    for village in (BAISHU, FENGLIN):
        office.ok(*figures(number[village], RECHECK_TEAM, day(-14, "10:00"), FIGURES[village], "县扶贫办会同统计局"))
    decide(office, going, "KEY_COUNTY_CHECK", RECHECK_TEAM, day(-13, "10:00"))
    decide(office, going, "KEY_COUNTY_CONFIRM", COUNTY_GOVERNMENT, day(-12, "10:00"))
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(-11, "09:00"),
              says=["（KEY_COUNTY_CONFIRM）：生成文书1份"])
    return number


def city_and_province(office: Office, city: Clerk, number: dict[str, str]) -> None:
    """Today: the city's sample and figures (枫林村's on its case page), the province's field check and its
    publicity; an objection during the window, dismissed; the window runs out."""
    baishu, fenglin = number[BAISHU], number[FENGLIN]
    going = [baishu, fenglin]
    office.ok("record", baishu, "--input", "sample", "--set", "seed=2025", "--as", CITY_TEAM,
              says=["随机种子2025存档", "2个村中抽中2个"])  # fewer than 3 villages: the county is checked in full
    office.refused(["record", fenglin, "--input", "sample", "--as", CITY_TEAM], "不再重复抽取")  # sent twice
    office.ok(*figures(baishu, CITY_TEAM, None, FIGURES[BAISHU], "市扶贫办会同市统计局抽查核实"))
    page = f"/cases/{fenglin}"
    assert "登记村情数据" in text_of(city.page(page))
    names = ("households", "relative_poor_households", "per_capita_income", "collective_income")
    city.submit(page, f"{page}/inputs/village-figures",
                {**dict(zip(names, FIGURES[FENGLIN], strict=True)), "source": "市统计局核对村账目"})
    assert "李桂兰 记录村情数据" in text_of(city.page(page))  # written, and in the case's record
    decide(office, going, "KEY_CITY_CHECK", CITY_TEAM, None)
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, says=["（KEY_CITY_CHECK）：生成文书1份"])

    office.ok("record", baishu, "--input", "sample", "--set", "seed=2028", "--as", PROVINCE_OFFICE,
              says=["随机种子2028存档"])
    for village in (BAISHU, FENGLIN):
        office.ok(*figures(number[village], PROVINCE_OFFICE, None, FIGURES[village], "省扶贫办会同省统计局实地核查"))
    decide(office, going, "KEY_PROVINCE_CHECK", PROVINCE_OFFICE, None)
    decide(office, going, "KEY_PUBLICITY", PROVINCE_OFFICE, None)
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN,
              says=["（KEY_PROVINCE_CHECK）：生成文书1份", "（KEY_PUBLICITY）：张贴公示2件"])

    said = office.ok("object", baishu, "--by", "村民张某", "--content", OBJECTION, "--as", COMMITTEE[BAISHU],
                     "--now", day(2, "10:00"), says=[f"（案件{baishu}）"])
    objection = re.search(r"已登记异议(\d+)", said)
    assert objection, said
    office.ok("resolve", objection.group(1), "--resolution", RESOLUTION, "--as", PROVINCE_OFFICE,
              "--now", day(3, "15:00"), says=["不成立"])
    office.ok("sweep", "--now", day(8, "00:05"), says=["流转2件"])


def documents_of(clerk: Clerk, case: str) -> dict[str, dict[str, str]]:
    """The documents a case page lists: title -> format -> link, each title read from its HTML copy."""
    page = clerk.page(f"/cases/{case}")
    found: dict[str, dict[str, str]] = {}
    for html_link in links(page, r"/documents/\d+/html"):
        title = text_of(clerk.download(html_link, MIME["html"]).text.split("</title>")[0]).strip()
        base = html_link.removesuffix("/html")
        found[title] = {kind: f"{base}/{kind}" for kind in MIME if f"{base}/{kind}" in page}
    return found


def see_in_dashboard(clerk: Clerk, number: dict[str, str]) -> None:
    for name, village in VILLAGES.items():
        if village == XINTANG:
            continue
        papers = documents_of(clerk, number[village])
        assert set(papers) == {title.format(village=name) for title in DOCUMENTS}, sorted(papers)
        for title, formats in papers.items():
            assert {"html", "pdf"} <= set(formats), title
            assert title in clerk.download(formats["html"], MIME["html"]).text, title
            phrase = "重点帮扶村确认申请" if title.endswith("申请书") else title  # the application's heading: 申请书
            assert phrase in pdf_text(clerk.download(formats["pdf"], MIME["pdf"]).content), title
            if "docx" in formats:
                assert phrase in docx_text(clerk.download(formats["docx"], MIME["docx"]).content), title
    notice = clerk.download(documents_of(clerk, number[BAISHU])["湖南省2026年度重点帮扶村名单公示"]["html"],
                            MIME["html"]).text
    assert "柏树村" in notice and "枫林村" in notice and "新塘村" not in notice

    page = text_of(clerk.page(f"/cases/{number[FENGLIN]}"))
    assert RETURN_REASON in page and "已确认" in page  # the return's reason stays on the case
    page = text_of(clerk.page(f"/cases/{number[BAISHU]}"))
    assert OBJECTION in page and RESOLUTION in page
    page = text_of(clerk.page(f"/cases/{number[XINTANG]}"))
    assert REJECT_REASON in page


def test_a_county_s_key_village_year_from_an_empty_database(office: Office) -> None:
    set_up_county(office, CITY_TEAM)
    number = village_to_county(office)
    with office.dashboard() as web:
        city = web.log_in(CITY_TEAM, CLERK_PASSWORD)
        city_and_province(office, city, number)
        assert counts(office, day(9, "09:00")) == {("7. 省扶贫开发领导小组审议并公示", "已确认"): 2,
                                                   ("2. 镇级核实并排序", "未通过"): 1}
        see_in_dashboard(web.log_in(TOWNSHIP_GOVERNMENT, CLERK_PASSWORD), number)
        # A village's group leader sees its own village's case, not another's.
        leader = web.log_in(GROUP_LEADER[BAISHU], CLERK_PASSWORD)
        assert "案件不存在" in leader.page(f"/cases/{number[FENGLIN]}", status=404)
        leader.page(f"/cases/{number[BAISHU]}")
