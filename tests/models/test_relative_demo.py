"""The relative-poor household demo: the line, the priority order, the household failing the city check, and the
documents it leaves (its applications and registration forms, public notices masked, the check form with its seed,
the internal record cards)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from sqlmodel import col, select

from demo.rounds.relative_identify import run_relative_identify_demo
from models.core.case import Status
from models.core.document import Document
from models.door.sampling import Sample

MASKED_ID = re.compile(r"\d{6}\*{8}[0-9X]{4}")


def test_demo_outcome_order_and_documents(session) -> None:
    summary = run_relative_identify_demo(session=session, seed=2026)
    outcome = {h.case_id: h for h in summary.households}
    assert [outcome[i].status for i in sorted(outcome)] == [
        Status.EXITED, Status.EXITED, Status.REJECTED, Status.EXITED, Status.EXITED, Status.EXITED, Status.EXITED,
        Status.REJECTED]
    assert outcome[2].per_capita == Decimal("1500")  # at the line: listed
    assert (outcome[3].stage, outcome[3].per_capita) == ("REL_VILLAGE_REVIEW", Decimal("1500.01"))
    assert outcome[8].stage == "REL_TOWNSHIP_CHECK"
    assert outcome[8].reason == "不符合相对贫困户识别标准：人均纯收入1650.00元，不符合“不超过1500元”"
    heads = {h.case_id: h.head for h in summary.households}
    first_village, second_village = summary.lists.values()
    # 1000.00 (disabled member), 1400.00 in a 泥砖房, 1400.00, 1500.00
    assert first_village == [heads[5], heads[4], heads[1], heads[2]]
    assert second_village == [heads[7], heads[6]]
    assert any("市级核查未通过" in e and "务工收入600元" in e for e in summary.events)
    assert any("出具申请书2份（每村一份，每户一页）" in e for e in summary.events)
    assert any("入户核实登记表2份" in e for e in summary.events)
    assert any("另填入户核实登记表1份" in e for e in summary.events)

    counts = Counter(session.scalars(select(col(Document.kind))))
    assert counts == {
        "application": 2,  # eight applicants in two villages (5 and 3), all on the first day: one per village and day
        # 2 + 1: the township's first check, one form per village and day (seven households in both villages); then
        # one for the household the city sends back, checked again alone on a later day
        "registration_form": 3,
        "relative_notice": 4,  # two publicities, each posted in both villages
        "relative_city_check_form": 2,  # one sample per village
        "relative_record_card": 6,  # one per household listed
    }
    kinds = {kind: list(session.scalars(select(Document).where(col(Document.kind) == kind)))
             for kind in ("relative_notice", "relative_city_check_form", "relative_record_card")}
    assert all(d.public for d in kinds["relative_notice"]) and not any(d.public for d in kinds["relative_record_card"])
    final = Path(max(kinds["relative_notice"], key=lambda d: d.id or 0).path).read_text(encoding="utf-8")
    assert "公示期：2026年3月28日至4月3日" in final
    first = Path(min(kinds["relative_notice"], key=lambda d: d.id or 0).path).read_text(encoding="utf-8")
    assert "拟确认相对贫困户第一次公示" in first and "拟确认相对贫困户第二次公示" in final  # the two notices apart
    assert "不超过1500元" in final and "同等条件下优先" in final
    preamble, table = final.split("<table", 1)
    assert "残疾人" in preamble and "残疾" not in table.split("</table>")[0]  # no household's health detail
    assert MASKED_ID.search(table)
    seeds = set(session.scalars(select(col(Sample.seed)).where(col(Sample.stage) == "REL_CITY_CHECK")))
    assert seeds == {2026}
    form = "".join(Path(d.path).read_text(encoding="utf-8") for d in kinds["relative_city_check_form"])
    assert "2026" in form and "未通过：人均纯收入1650.00元" in form and "不足10人的村全部抽查" in form
    card = Path(kinds["relative_record_card"][0].path).read_text(encoding="utf-8")
    assert "致贫原因" in card and "帮扶责任人" in card and "劳动能力" in card
