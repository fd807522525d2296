"""Chain B's year in 示范镇 from an empty database, as an office runs it: the county's regions and staff, the villages'
registered-poor roster and their non-poor households from docs/examples, the exiting households' and villages' cases
opened, every stage decided by the role that decides it, the acceptance forms, the county's wrong-exit and
missed-identification samples and the people's survey recorded (one village's on the dashboard's case page), the flows
and sweeps run through both publicity windows, then the cases and their documents seen and downloaded in the dashboard.

The dashboard runs on the real clock, so the year's dates are counted from today: the village stages and the first
publicity are dated in the days before today, the county's check today (the dashboard's and the commands' own clock,
no --now), the announcement's window in the days ahead."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

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
from tests.e2e.harness import EXAMPLES, Clerk, Office, docx_text, links, pdf_text, png, table_rows, text_of

CHAIN = "village-exit"
VILLAGES = {"柏树村": BAISHU, "枫林村": FENGLIN}
RETURN_REASON = "枫林村申请书缺驻村工作队签字，退回重新申请"
OBJECTION = "柏树村集体经济收入含一次性征地补偿款，不应计入"
RESOLUTION = "经核实村集体经济收入62000元为村合作社经营收入，不含征地补偿款，异议不成立"
# 一个确保、两个完善 as the township's and the county's teams score it: incidence 18 of 1,460 people (1.23%), 62,000
# yuan of collective income, 97 of 100 points; each indicator with its evidence.
FACTS = {"registered_population": "1460", "poor_people": "18", "incidence_evidence": "县扶贫办认定数据",
         "collective_income": "62000", "income_evidence": "村集体经济合作社账目"}
SCORES = {"main_road": "15", "group_roads": "14", "safe_water": "15", "electricity": "15", "school_clinic": "9",
          "social_security": "10", "committee": "9", "facilities": "10"}
ACCEPTANCE = {**FACTS, **SCORES, **{f"{code}_evidence": "现场查看并拍照" for code in SCORES}}
MIME = {"html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.now(SHANGHAI).date()


def day(offset: int, at: str) -> str:
    """A moment `offset` days from today (Shanghai), as --now reads it."""
    return f"{TODAY + timedelta(days=offset):%Y-%m-%d} {at}"


def on(when: str | None) -> list[str]:
    """The --now of a command dated `when`; none (the real clock) for today's."""
    return [] if when is None else ["--now", when]


def decide(office: Office, cases: list[str], stage: str, login: str, when: str | None, *more: str) -> str:
    return office.ok("decide", *cases, "--stage", stage, "--as", login, *on(when), *more)


def accept(office: Office, case: str, login: str, when: str | None, **changed: str) -> list[str]:
    """The `tuopin record` of the acceptance form (验收审批表) as the team fills it in."""
    values = {**ACCEPTANCE, **changed}
    return ["record", case, "--input", "village-acceptance", "--as", login, *on(when),
            *[arg for name, value in values.items() for arg in ("--set", f"{name}={value}")]]


def case_numbers(office: Office, when: str) -> dict[str, str]:
    """Each village's case (by its code), from `tuopin status`."""
    out = office.ok("status", "--chain", CHAIN, "--limit", "100", "--now", when)
    return {VILLAGES[row[4]]: row[0] for row in table_rows(out) if row[0].isdigit() and len(row) >= 5}


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    out = office.ok("status", "--chain", CHAIN, "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def drawn_households(office: Office, case: str) -> list[str]:
    """The households the county's two samples drew for a village, read from the findings form's fields."""
    out = office.ok("inputs", case)
    return re.findall(r"found_(\d{16})", out)


def village_stages(office: Office) -> dict[str, str]:
    """Application, meeting (one village sent back once), acceptance and the first publicity, before today."""
    office.ok("import", str(EXAMPLES / "applicants.csv"), "--as", TOWNSHIP_GOVERNMENT, "--now", day(-16, "08:00"),
              says=["导入完成"])  # the villages' non-poor households, of which the county samples one group
    # The registered-poor households exiting this year: the county's wrong-exit sample is drawn from them.
    office.ok("open", "--chain", "household-exit", "--year", YEAR, "--region", TOWNSHIP, "--now", day(-16, "08:30"),
              says=["已立案12件"])
    villages = ",".join((BAISHU, FENGLIN))
    office.ok("open", "--chain", CHAIN, "--year", YEAR, "--region", TOWNSHIP, "--villages", villages,
              "--as", TOWNSHIP_GOVERNMENT, "--now", day(-16, "09:00"), says=["已立案2件", "村委会和驻村工作队申请退出"])
    office.refused(["open", "--chain", CHAIN, "--year", YEAR, "--villages", BAISHU, "--as", TOWNSHIP_GOVERNMENT,
                    "--now", day(-16, "09:10")], "柏树村（430121101203）：已有2026年度贫困村退出案件，不能重复立案")
    number = case_numbers(office, day(-16, "09:30"))
    assert set(number) == {BAISHU, FENGLIN}, number
    baishu, fenglin = number[BAISHU], number[FENGLIN]

    # A village's committee cannot apply for another village.
    office.refused(["decide", fenglin, "--stage", "VILLAGE_APPLICATION", "--as", COMMITTEE[BAISHU],
                    "--now", day(-15, "10:00")], "不在", "辖区内")
    for village, case in number.items():
        decide(office, [case], "VILLAGE_APPLICATION", COMMITTEE[village], day(-15, "10:00"))
    office.refused(["decide", fenglin, "--stage", "VILLAGE_MEETING", "--as", TOWNSHIP_GOVERNMENT, "--move", "RETURN",
                    "--now", day(-14, "10:00")], "理由")  # a return needs its reason
    decide(office, [fenglin], "VILLAGE_MEETING", TOWNSHIP_GOVERNMENT, day(-14, "10:00"), "--move", "RETURN",
           "--reason", RETURN_REASON)
    decide(office, [fenglin], "VILLAGE_APPLICATION", COMMITTEE[FENGLIN], day(-14, "15:00"))
    decide(office, [baishu, fenglin], "VILLAGE_MEETING", TOWNSHIP_GOVERNMENT, day(-13, "10:00"))

    # The township's acceptance: a score above an indicator's points is refused and writes nothing.
    office.refused(accept(office, baishu, CHECK_TEAM[BAISHU], day(-12, "10:00"), main_road="16"),
                   "主干道通畅", "“16”", "不得大于15")
    for village, case in number.items():
        office.ok(*accept(office, case, CHECK_TEAM[village], day(-12, "11:00")), says=["评分97分，达到退出标准"])
    decide(office, [baishu, fenglin], "VILLAGE_ACCEPTANCE", CHECK_TEAM[BAISHU], day(-11, "10:00"))

    # The flow writes the applications, minutes and approval forms and posts the township's list for 7 days.
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", day(-10, "09:00"),
              says=["（VILLAGE_ACCEPTANCE）：生成文书2份", "（VILLAGE_PUBLICITY）：张贴公示2件"])
    said = office.ok("object", baishu, "--by", "村民李某", "--content", OBJECTION, "--as", COMMITTEE[BAISHU],
                     "--now", day(-8, "10:00"), says=[f"（案件{baishu}）"])
    objection = re.search(r"已登记异议(\d+)", said)
    assert objection, said
    office.refused(["decide", baishu, "--stage", "VILLAGE_REQUEST", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", day(-7, "10:00")], "乡、村两级公示")  # the window is still open
    office.ok("resolve", objection.group(1), "--resolution", RESOLUTION, "--as", TOWNSHIP_GOVERNMENT,
              "--now", day(-6, "15:00"), says=["不成立"])
    office.ok("sweep", "--now", day(-3, "00:05"), says=["关闭公示1个，流转2件"])
    return number


def county_stages(office: Office, township: Clerk, county: Clerk, number: dict[str, str]) -> None:
    """Today: the township's request (after the notice's photos), the county's check of each village (柏树村's
    findings by the command, 枫林村's on its case page), the approval; then the announcement's window runs out."""
    baishu, fenglin = number[BAISHU], number[FENGLIN]
    office.refused(["decide", baishu, fenglin, "--stage", "VILLAGE_REQUEST", "--as", TOWNSHIP_GOVERNMENT],
                   "须先上传佐证材料：公示照片")
    for village, case in number.items():
        name = next(n for n, code in VILLAGES.items() if code == village)
        township.submit(f"/cases/{case}", f"/cases/{case}/evidence", {"kind": "notice_photo"},
                        files={"file": (f"{name}公示照片.png", png())})
    decide(office, [baishu, fenglin], "VILLAGE_REQUEST", TOWNSHIP_GOVERNMENT, None)
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, says=["（VILLAGE_REQUEST）：生成文书1份"])

    for case in (baishu, fenglin):
        office.ok(*accept(office, case, RECHECK_TEAM, None), says=["达到退出标准"])
        office.ok("record", case, "--input", "sample", "--set", "seed=2026", "--as", RECHECK_TEAM,
                  says=["随机种子2026存档"])
    office.refused(["record", baishu, "--input", "sample", "--as", RECHECK_TEAM], "不再重复抽取")  # sent twice
    drawn = drawn_households(office, baishu)
    assert drawn, "柏树村's samples drew no household"
    findings = [arg for household in drawn for arg in ("--set", f"found_{household}=否")]
    office.ok("record", baishu, "--input", "sample-findings", "--as", RECHECK_TEAM, *findings,
              "--set", "respondents=50", "--set", "satisfied=48", says=["群众认可度调查（48/50人认可）"])
    # 枫林村's findings and survey are entered on its case page by the county's team.
    page = f"/cases/{fenglin}"
    assert "抽样核查结果" in text_of(county.page(page))
    county.submit(page, f"{page}/inputs/sample-findings",
                  {**{f"found_{h}": "否" for h in drawn_households(office, fenglin)},
                   "respondents": "40", "satisfied": "38"})
    assert "群众认可度" in text_of(county.page(page))
    decide(office, [baishu, fenglin], "VILLAGE_COUNTY_CHECK", RECHECK_TEAM, None)
    decide(office, [baishu, fenglin], "VILLAGE_APPROVAL", COUNTY_GOVERNMENT, None)
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN,
              says=["（VILLAGE_COUNTY_CHECK）：生成文书", "（VILLAGE_APPROVAL）：张贴公示2件"])
    office.ok("sweep", "--now", day(8, "00:05"), says=["流转2件"])


# What each village's case lists, each the title of its document (the acceptance approval form twice, the township's
# and the county's), and a phrase its PDF prints (the application's heading is 申请书 alone).
DOCUMENTS = {
    "{village}2026年度贫困村退出申请书": "{village}提出2026年度贫困村退出申请",
    "{village}2026年度贫困村退出乡村研究退出会议会议记录": "{village}2026年度贫困村退出乡村研究退出会议会议记录",
    "长沙县2026年度贫困村退出验收审批表": "长沙县2026年度贫困村退出验收审批表",
    "示范镇2026年度拟退出贫困村公示": "示范镇2026年度拟退出贫困村公示",
    "关于示范镇2026年度贫困村退出的请示": "关于示范镇2026年度贫困村退出的请示",
    "长沙县2026年贫困退出“三率一度”验收核查情况汇总表": "长沙县2026年贫困退出“三率一度”验收核查情况汇总表",
    "长沙县2026年度贫困村退出公告": "长沙县2026年度贫困村退出公告",
}


def documents_of(clerk: Clerk, case: str) -> dict[str, list[dict[str, str]]]:
    """The documents a case page lists: title -> each copy's format -> link, each title read from its HTML copy."""
    page = clerk.page(f"/cases/{case}")
    found: dict[str, list[dict[str, str]]] = {}
    for html_link in links(page, r"/documents/\d+/html"):
        title = text_of(clerk.download(html_link, MIME["html"]).text.split("</title>")[0]).strip()
        base = html_link.removesuffix("/html")
        found.setdefault(title, []).append({kind: f"{base}/{kind}" for kind in MIME if f"{base}/{kind}" in page})
    return found


def see_in_dashboard(clerk: Clerk, number: dict[str, str]) -> None:
    for name, village in VILLAGES.items():
        papers = documents_of(clerk, number[village])
        expected = {title.format(village=name): phrase.format(village=name) for title, phrase in DOCUMENTS.items()}
        assert set(papers) == set(expected), sorted(papers)
        assert len(papers["长沙县2026年度贫困村退出验收审批表"]) == 2  # the township's and the county's
        for title, copies in papers.items():
            for formats in copies:
                assert {"html", "pdf"} <= set(formats), title
                assert title in clerk.download(formats["html"], MIME["html"]).text, title
                assert expected[title] in pdf_text(clerk.download(formats["pdf"], MIME["pdf"]).content), title
                if "docx" in formats:
                    assert expected[title] in docx_text(clerk.download(formats["docx"], MIME["docx"]).content), title
    notice = clerk.download(documents_of(clerk, number[BAISHU])["示范镇2026年度拟退出贫困村公示"][0]["html"],
                            MIME["html"]).text
    assert "柏树村" in notice and "枫林村" in notice

    page = text_of(clerk.page(f"/cases/{number[FENGLIN]}"))
    assert RETURN_REASON in page and "已退出" in page  # the return's reason stays on the case
    page = text_of(clerk.page(f"/cases/{number[BAISHU]}"))
    assert OBJECTION in page and RESOLUTION in page and "公示照片" in page


def test_a_township_s_village_exit_year_from_an_empty_database(office: Office) -> None:
    set_up_county(office, RECHECK_TEAM)
    number = village_stages(office)
    with office.dashboard() as web:
        township = web.log_in(TOWNSHIP_GOVERNMENT, CLERK_PASSWORD)
        county = web.log_in(RECHECK_TEAM, CLERK_PASSWORD)
        county_stages(office, township, county, number)
        assert counts(office, day(9, "09:00")) == {("7. 县级审批公告", "已退出"): 2}
        see_in_dashboard(township, number)
        # A village's group leader sees its own village's case, not another's.
        leader = web.log_in(GROUP_LEADER[BAISHU], CLERK_PASSWORD)
        assert "案件不存在" in leader.page(f"/cases/{number[FENGLIN]}", status=404)
        leader.page(f"/cases/{number[BAISHU]}")
