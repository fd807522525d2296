"""Chain F's year in 示范镇 from an empty database, as an office runs it: the county's regions, staff and roster
from docs/examples, the township's monitoring campaign, the villages' monthly rounds that warn three households, the
township handing each missing item to an industry department, the departments' close-out requests and the
township's verification (one sent back), the flows and sweeps on the year's dates, then the last verification and
every document in the served dashboard."""

from __future__ import annotations

from tests.e2e.county import (
    BAISHU,
    CLERK_PASSWORD,
    COMMITTEE,
    FENGLIN,
    TOWNSHIP,
    TOWNSHIP_GOVERNMENT,
    YEAR,
    set_up_county,
)
from tests.e2e.harness import Clerk, Office, docx_text, links, pdf_text, table_rows, text_of

CHAIN = "monitoring"
HOUSING = "4301211012030101"  # 陈建国, 柏树村: put under monitoring before the rounds; his house is unsafe
WATER = "4301211012030202"  # 赵德明, 柏树村: no safe water; the first fix is sent back
EDUCATION = "4301211012040101"  # 罗建华, 枫林村: a child out of school; the department is late
HOUSING_DEPARTMENT, WATER_DEPARTMENT = "chenxiuying", "yangzhiqiang"  # 行业部门 of docs/examples/staff.csv
CHECK_TEAM = "zhoujianjun"
RETURN_REASON = "核实未达标：饮水安全，入户管网未通水"
MIME = {"html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# Each document the chain lists, by a phrase of its title.
TITLES = {"monitoring_round_summary": "防止返贫动态监测汇总表",
          "monitoring_assignment_notice": "防止返贫监测预警交办单",
          "monitoring_closeout_form": "防止返贫监测预警销号审批表"}


def case_numbers(office: Office) -> dict[str, str]:
    """Each household's case (by 户编号), from `tuopin status`."""
    out = office.ok("status", "--chain", CHAIN, "--limit", "100", "--now", "2026-10-09 12:00")
    return {row[2]: row[0] for row in table_rows(out) if row[0].isdigit() and len(row) >= 5}


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    """The counts table of `tuopin status`: (stage, status) -> cases."""
    out = office.ok("status", "--chain", CHAIN, "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def run_year(office: Office) -> dict[str, str]:
    # The township deploys the year's campaign with the policy's phases.
    office.ok("monitoring", "campaign", "--region", TOWNSHIP, "--year", YEAR, "--as", TOWNSHIP_GOVERNMENT,
              "--now", "2026-10-08 09:00", says=["已部署示范镇2026年度防止返贫监测和帮扶工作", "成效巩固阶段"])
    office.ok("open", "--chain", CHAIN, "--year", YEAR, "--households", HOUSING, "--as", TOWNSHIP_GOVERNMENT,
              "--now", "2026-10-08 09:30", says=["已立案1件", "村级标注预警"])
    office.refused(["open", "--chain", CHAIN, "--year", YEAR, "--households", HOUSING, "--as", TOWNSHIP_GOVERNMENT,
                    "--now", "2026-10-08 09:40"], "已有2026年度防止返贫监测和帮扶案件，不能重复立案")

    # The monthly rounds: one dated in the entry phase is refused; October's warn three households.
    office.refused(["record", "--chain", CHAIN, "--input", "warning", "--as", COMMITTEE[BAISHU],
                    "--now", "2026-10-09 10:00", "--set", "held_on=2026-04-15"], "处于录入阶段", "每月动态监测须在")
    office.ok("record", "--chain", CHAIN, "--input", "warning", "--as", COMMITTEE[BAISHU], "--now", "2026-10-09 10:00",
              "--set", f"lacking_housing={HOUSING}", "--set", f"lacking_water={WATER}",
              says=["已登记柏树村10月动态监测：监测6户，标注预警2项，涉及2户"])
    office.ok("record", "--chain", CHAIN, "--input", "warning", "--as", COMMITTEE[FENGLIN], "--now", "2026-10-09 11:00",
              "--set", f"lacking_education={EDUCATION}", says=["标注预警1项"])
    number = case_numbers(office)
    assert set(number) == {HOUSING, WATER, EDUCATION}, number
    housing, water, education = number[HOUSING], number[WATER], number[EDUCATION]
    office.ok("decide", housing, water, "--stage", "MON_FLAG", "--as", COMMITTEE[BAISHU], "--now", "2026-10-09 16:00",
              says=["已通过：2件"])
    office.ok("decide", education, "--stage", "MON_FLAG", "--as", COMMITTEE[FENGLIN], "--now", "2026-10-09 16:00")

    # The township confirms: not before every item is handed to a department.
    office.refused(["decide", housing, "--stage", "MON_CONFIRM", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", "2026-10-12 09:00"], "缺项“住房安全有保障”尚未交办行业部门")
    office.ok("inputs", housing, says=["--input assignment", "住房安全有保障责任人"])
    office.refused(["record", education, "--input", "assignment", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", "2026-10-12 09:30", "--set", f"liaison_water={WATER_DEPARTMENT}"],
                   "饮水安全责任人", "该户此项未预警或已交办")
    for case, item, department in ((housing, "housing", HOUSING_DEPARTMENT), (water, "water", WATER_DEPARTMENT),
                                   (education, "education", HOUSING_DEPARTMENT)):
        office.ok("record", case, "--input", "assignment", "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-12 09:30",
                  "--set", f"liaison_{item}={department}", says=["已交办", "限2026-10-26前完成"])
    office.ok("decide", housing, water, education, "--stage", "MON_CONFIRM", "--as", TOWNSHIP_GOVERNMENT,
              "--now", "2026-10-12 10:00", says=["已通过：3件"])
    # The flow writes each village's round summary and a notice to the department of each item handed out.
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", "2026-10-12 11:00",
              says=["（MON_FLAG）：生成文书2份", "（MON_CONFIRM）：生成文书3份"])

    # The departments ask for close-out; the township finds the water not fixed and sends it back with the reason.
    office.refused(["decide", housing, "--stage", "MON_ASSIST", "--as", HOUSING_DEPARTMENT,
                    "--now", "2026-10-16 15:00"], "尚未提出销号申请")
    for case, department, measures in ((housing, HOUSING_DEPARTMENT, "实施农村危房改造，加固墙体、更换屋面"),
                                       (water, WATER_DEPARTMENT, "新建集中供水管网入户")):
        office.ok("record", case, "--input", "closeout-request", "--as", department, "--now", "2026-10-16 15:00",
                  "--set", f"measures={measures}", says=["销号申请"])
        office.ok("decide", case, "--stage", "MON_ASSIST", "--as", department, "--now", "2026-10-16 15:10")
    office.ok("record", water, "--input", "closeout-check", "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-19 10:00",
              "--set", "met_water=否", "--set", "note=入户管网未通水", says=["未达标饮水安全，重新限时帮扶"])
    office.refused(["decide", water, "--stage", "MON_CLOSEOUT", "--as", TOWNSHIP_GOVERNMENT,
                    "--now", "2026-10-19 10:05"], "核实未达标：饮水安全（长沙县水利局）")
    office.ok("decide", water, "--stage", "MON_CLOSEOUT", "--as", TOWNSHIP_GOVERNMENT, "--move", "RETURN",
              "--reason", RETURN_REASON, "--now", "2026-10-19 10:05", says=["已退回：1件"])
    office.ok("record", housing, "--input", "closeout-check", "--as", CHECK_TEAM, "--now", "2026-10-19 11:00",
              "--set", "met_housing=是", "--set", "note=现场核实住房安全", says=["全部达标"])
    office.ok("decide", housing, "--stage", "MON_CLOSEOUT", "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-19 11:05")

    # The education item's ten working days end on 10-26: the sweep flags it just after midnight, not before.
    office.ok("sweep", "--now", "2026-10-26 23:00", says=["标记超期0件"])
    office.ok("sweep", "--now", "2026-10-27 00:05", says=["标记超期1件"])
    office.ok("record", education, "--input", "closeout-request", "--as", HOUSING_DEPARTMENT,
              "--now", "2026-10-27 10:00", "--set", "measures=劝返学生入校就读并落实教育资助")
    office.ok("decide", education, "--stage", "MON_ASSIST", "--as", HOUSING_DEPARTMENT, "--now", "2026-10-27 10:10")
    office.ok("record", water, "--input", "closeout-request", "--as", WATER_DEPARTMENT, "--now", "2026-10-28 10:00",
              "--set", "measures=入户管网已通水，水质检测合格")
    office.ok("decide", water, "--stage", "MON_ASSIST", "--as", WATER_DEPARTMENT, "--now", "2026-10-28 10:10")
    office.ok("record", water, "--input", "closeout-check", "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-29 10:00",
              "--set", "met_water=是", "--set", "note=现场核实已通水")
    office.ok("decide", water, "--stage", "MON_CLOSEOUT", "--as", TOWNSHIP_GOVERNMENT, "--now", "2026-10-29 10:30")
    return number


def documents_of(clerk: Clerk, case: str) -> dict[str, dict[str, str]]:
    """The documents a case page lists: title -> format -> link, each title read from its HTML copy."""
    page = clerk.page(f"/cases/{case}")
    found: dict[str, dict[str, str]] = {}
    for html_link in links(page, r"/documents/\d+/html"):
        title = text_of(clerk.download(html_link, MIME["html"]).text.split("</title>")[0]).strip()
        base = html_link.removesuffix("/html")
        found[title] = {kind: f"{base}/{kind}" for kind in MIME if f"{base}/{kind}" in page}
    return found


def finish_in_dashboard(office: Office, number: dict[str, str]) -> None:
    education = number[EDUCATION]
    with office.dashboard() as web:
        clerk = web.log_in(TOWNSHIP_GOVERNMENT, CLERK_PASSWORD)
        page = f"/cases/{education}"
        shown = text_of(clerk.page(page))
        assert "罗建华" in shown and "乡镇核实批准销号" in shown and "销号核实" in shown, shown[:800]
        # The last verification through the case page's form: an item never assigned is refused, nothing written.
        wrong = clerk.submit(page, f"{page}/inputs/closeout-check", {"met_water": "是", "met_education": "是"},
                             status=409)
        assert "不是本案交办的缺项" in text_of(wrong.text) and "本次未写入任何内容" in text_of(wrong.text)
        clerk.submit(page, f"{page}/inputs/closeout-check", {"met_education": "是", "note": "学生已返校就读"})
        clerk.submit(page, f"{page}/decide", {"stage": "MON_CLOSEOUT", "move": "APPROVE"})
        office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, says=["（MON_CLOSEOUT）：生成文书3份"])
        assert counts(office, "2026-12-31 09:00") == {("4. 乡镇核实批准销号", "已销号"): 3}

        returned = text_of(clerk.page(f"/cases/{number[WATER]}"))
        assert "赵德明" in returned and "已销号" in returned and RETURN_REASON in returned
        seen: set[str] = set()
        for household, case in number.items():
            papers = documents_of(clerk, case)
            kinds = {kind for kind, phrase in TITLES.items() if any(phrase in title for title in papers)}
            assert kinds == set(TITLES), (household, sorted(papers))
            for title, formats in papers.items():
                assert {"html", "pdf"} <= set(formats), (title, formats)
                if formats["html"] in seen:
                    continue
                seen.add(formats["html"])
                phrase = next(p for p in TITLES.values() if p in title)
                assert phrase in clerk.download(formats["html"], MIME["html"]).text, title
                assert phrase in pdf_text(clerk.download(formats["pdf"], MIME["pdf"]).content), title
                if "docx" in formats:
                    assert phrase in docx_text(clerk.download(formats["docx"], MIME["docx"]).content), title
        village = documents_of(clerk, number[HOUSING])
        assert "柏树村2026年10月防止返贫动态监测汇总表" in village, sorted(village)


def test_a_township_s_monitoring_year_from_an_empty_database(office: Office) -> None:
    set_up_county(office)
    number = run_year(office)
    finish_in_dashboard(office, number)
