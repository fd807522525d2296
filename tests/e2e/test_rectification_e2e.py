"""Chain G's round in 示范镇 from an empty database, as an office runs it: the county's regions, staff and roster
from docs/examples, the county re-check team's findings (each opens its case) handed to their responsible units,
the units' fixes with uploaded evidence (one sent back by the township's check team with its reason), the county's
close-out, the flow's ledger, and the last fix reported and closed through the served dashboard."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.county import (
    BAISHU,
    CLERK_PASSWORD,
    FENGLIN,
    RECHECK_TEAM,
    TOWNSHIP,
    YEAR,
    set_up_county,
)
from tests.e2e.harness import Clerk, Office, docx_text, links, pdf_text, png, table_rows, text_of

CHAIN = "rectification"
COUNTY = "430121000000"
UNIT = {BAISHU: "majun", FENGLIN: "songwenjie"}  # 整改责任单位 of docs/examples/staff.csv
CHECK_TEAM = "zhoujianjun"  # 示范镇's check team
RETURN_REASON = "整改不到位：收入调查表未经贫困户签字认可，转移性收入未与惠农补贴明白折核对"
LEDGER = "长沙县2026年大排查大整改整改台账及逾期未整改情况通报"
MIME = {"html": "text/html", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# (village, checklist item, responsible unit, what the inspection found)
FINDINGS = (
    (BAISHU, "1-5", "村(社区)扶贫专干", "全国扶贫开发信息系统中3户贫困户家庭人口与实际不符"),
    (BAISHU, "1-1", "帮扶责任人", "2户贫困户收入调查表照搬上年数据，转移性收入与惠农补贴明白折不一致"),
    (FENGLIN, "1-3", "各村(社区)扶贫专干", "5户贫困户家中扶贫手册与村级档案不一致，今年异动信息未备注"),
)


def counts(office: Office, when: str) -> dict[tuple[str, str], int]:
    """The counts table of `tuopin status`: (stage, status) -> cases."""
    out = office.ok("status", "--chain", CHAIN, "--now", when)
    return {(row[1], row[2]): int(row[3]) for row in table_rows(out) if len(row) == 4 and row[3].isdigit()}


def fix(office: Office, case: str, village: str, when: str, action: str, evidence: str, photo: Path) -> str:
    return office.ok("record", case, "--input", "fix", "--as", UNIT[village], "--now", when,
                     "--set", f"action={action}", "--set", f"evidence={evidence}", "--set", f"files={photo}",
                     says=["转乡镇核查验收"])


def run_round(office: Office) -> list[str]:
    # Findings open their cases one by one, not as a year's batch.
    office.refused(["open", "--chain", CHAIN, "--year", YEAR, "--region", TOWNSHIP, "--now", "2026-11-02 08:00"],
                   "该流程的案件由登记排查问题逐件立案，不能批量立案")
    office.ok("inputs", "--chain", CHAIN, says=["--input finding", "须为该排查事项所列责任单位之一"])
    office.refused(["record", "--chain", CHAIN, "--input", "finding", "--as", RECHECK_TEAM, "--now", "2026-11-02 09:00",
                    "--set", f"village={BAISHU}", "--set", "item=1-5", "--set", "unit=帮扶责任人",
                    "--set", "found=系统信息与实际不符"], "帮扶责任人", "须为该排查事项所列责任单位之一")
    cases = []
    for village, item, unit, found in FINDINGS:
        said = office.ok("record", "--chain", CHAIN, "--input", "finding", "--as", RECHECK_TEAM,
                         "--now", "2026-11-02 09:00", "--set", f"village={village}", "--set", f"item={item}",
                         "--set", f"unit={unit}", "--set", f"found={found}", says=[f"交{unit}整改"])
        cases.append(said.split("立案")[1].split("：")[0])
    data, income, archive = cases
    assert counts(office, "2026-11-02 10:00") == {("1. 排查问题交办", "办理中"): 3}
    office.ok("decide", *cases, "--stage", "RECT_ASSIGN", "--as", RECHECK_TEAM, "--now", "2026-11-03 10:00",
              says=["已通过：3件"])

    photo = office.root / "整改佐证.png"
    photo.write_bytes(png())
    # A unit reports only its own village's fix, and never without saying what its evidence is.
    office.refused(["record", data, "--input", "fix", "--as", UNIT[FENGLIN], "--now", "2026-11-09 16:00",
                    "--set", "action=已更正", "--set", "evidence=系统截图", "--set", f"files={photo}"],
                   "不在", "辖区内")
    office.refused(["record", income, "--input", "fix", "--as", UNIT[BAISHU], "--now", "2026-11-09 16:00",
                    "--set", "action=已重新核算收入", "--set", "evidence= ", "--set", f"files={photo}"],
                   "佐证材料说明", "必须填写")
    fix(office, income, BAISHU, "2026-11-10 16:00", "重新核算2户收入调查表", "收入调查表2份", photo)
    office.refused(["decide", income, "--stage", "RECT_VERIFY", "--as", CHECK_TEAM, "--move", "RETURN",
                    "--now", "2026-11-12 10:00"], "理由")  # a return needs its reason
    office.ok("decide", income, "--stage", "RECT_VERIFY", "--as", CHECK_TEAM, "--move", "RETURN",
              "--reason", RETURN_REASON, "--now", "2026-11-12 10:00", says=["已退回：1件"])
    fix(office, income, BAISHU, "2026-11-16 16:00", "逐户核对明白折后重算收入，户主签字认可",
        "收入调查表及户主签字2份、惠农补贴明白折复印件2份", photo)
    fix(office, data, BAISHU, "2026-11-20 17:00", "系统内3户人口及帮扶责任人信息已更正并完成校验",
        "系统更正截图3张、校验报告1份", photo)
    # The county cannot close a finding still being fixed.
    office.refused(["decide", archive, "--stage", "RECT_CLOSE", "--as", RECHECK_TEAM, "--now", "2026-11-20 17:30"],
                   "不在“县级复核销号”环节")
    office.ok("decide", data, income, "--stage", "RECT_VERIFY", "--as", CHECK_TEAM, "--now", "2026-11-26 10:00",
              says=["已通过：2件"])
    office.ok("decide", data, income, "--stage", "RECT_CLOSE", "--as", RECHECK_TEAM, "--now", "2026-11-27 10:00",
              says=["已通过：2件"])
    office.ok("run", TOWNSHIP, "--year", YEAR, "--chain", CHAIN, "--now", "2026-11-27 11:00",
              says=["（RECT_CLOSE）：生成文书1份"])
    office.ok("sweep", "--now", "2026-11-28 00:05")
    return cases


def documents_of(clerk: Clerk, case: str) -> dict[str, dict[str, str]]:
    """The documents a case page lists: title -> format -> link, each title read from its HTML copy."""
    page = clerk.page(f"/cases/{case}")
    found: dict[str, dict[str, str]] = {}
    for html_link in links(page, r"/documents/\d+/html"):
        title = text_of(clerk.download(html_link, MIME["html"]).text.split("</title>")[0]).strip()
        base = html_link.removesuffix("/html")
        found[title] = {kind: f"{base}/{kind}" for kind in MIME if f"{base}/{kind}" in page}
    return found


def finish_in_dashboard(office: Office, cases: list[str]) -> None:
    data, income, archive = cases
    with office.dashboard() as web:
        unit = web.log_in(UNIT[FENGLIN], CLERK_PASSWORD)
        page = f"/cases/{archive}"
        shown = text_of(unit.page(page))
        assert "责任单位整改" in shown and "佐证材料文件" in shown, shown[:800]
        # The fix with its evidence through the case page's form: without a file it is refused and writes nothing.
        fields = {"action": "逐户补录扶贫手册异动信息，与村级档案核对一致", "evidence": "扶贫手册照片5张"}
        empty = unit.submit(page, f"{page}/inputs/fix", fields, status=409)
        assert "本次未写入任何内容" in text_of(empty.text), text_of(empty.text)[:800]
        unit.submit(page, f"{page}/inputs/fix", fields, files={"files": ("扶贫手册照片.png", png())})
        assert "扶贫手册照片.png" in unit.page(page)

        team = web.log_in(CHECK_TEAM, CLERK_PASSWORD)
        team.submit(page, f"{page}/decide", {"stage": "RECT_VERIFY", "move": "APPROVE"})
        county = web.log_in(RECHECK_TEAM, CLERK_PASSWORD)
        county.submit(page, f"{page}/decide", {"stage": "RECT_CLOSE", "move": "APPROVE"})
        office.ok("run", COUNTY, "--year", YEAR, "--chain", CHAIN, says=["（RECT_CLOSE）：生成文书1份"])
        assert counts(office, "2026-12-31 09:00") == {("4. 县级复核销号", "已销号"): 3}

        returned = text_of(county.page(f"/cases/{income}"))
        assert "已销号" in returned and RETURN_REASON in returned, returned
        # What was found and each fix reported stay in the case's record.
        assert "2户贫困户收入调查表照搬上年数据" in returned and "交帮扶责任人整改" in returned, returned
        assert "报送整改情况：逐户核对明白折后重算收入" in returned, returned
        for case in cases:
            papers = documents_of(county, case)
            assert papers and set(papers) == {LEDGER}, (case, sorted(papers))
        for title, formats in documents_of(county, archive).items():
            assert {"html", "pdf"} <= set(formats), (title, formats)
            html = county.download(formats["html"], MIME["html"]).text
            assert title in html and "5户贫困户家中扶贫手册与村级档案不一致" in html
            assert title in pdf_text(county.download(formats["pdf"], MIME["pdf"]).content)
            if "docx" in formats:
                assert title in docx_text(county.download(formats["docx"], MIME["docx"]).content)


def test_a_county_s_rectification_round_from_an_empty_database(office: Office) -> None:
    set_up_county(office, UNIT[FENGLIN], CHECK_TEAM, RECHECK_TEAM)
    cases = run_round(office)
    finish_in_dashboard(office, cases)
