"""The key-village documents render with their facts, and the scripted demo ends as seed 004's rules say."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from models.case import Status
from models.document import Document
from models.key_village_demo import RETURN_REASON, run_key_village_demo


def text(session, kind: str) -> str:
    doc = session.scalars(select(Document).where(col(Document.kind) == kind)).one()
    return Path(doc.path).read_text(encoding="utf-8")


def test_the_demo_ranks_sends_one_back_and_publicises_the_rest(session):
    summary = run_key_village_demo(session=session)
    codes = [v.village_code for v in summary.villages]
    a1, a2, a3, b1, b2, b3 = codes
    # Township 1: equal figures, so by village code; the third has exactly 30,000 yuan and is not listed.
    assert summary.township_ranking[a1[:9] + "000"] == [a1, a2]
    # Township 2: per-capita income 2400 < 2600 < 2900.
    assert summary.township_ranking[b1[:9] + "000"] == [b1, b2, b3]
    # County: 2400 first; at 2600, 20% before 15%, the tie by code; 2900 last.
    assert summary.county_ranking == [b1, a1, a2, b2, b3]
    assert summary.returned == [b2]
    outcome = {v.village_code: v for v in summary.villages}
    assert outcome[a3].status == Status.REJECTED and outcome[a3].stage == "KEY_TOWNSHIP_VERIFY"
    assert "不符合“低于30000元”" in outcome[a3].reason
    assert {v for v in codes if outcome[v].status == Status.EXITED} == {a1, a2, b1, b2, b3}
    kinds = sorted(session.scalars(select(col(Document.kind))))
    # one application per applying village (6, none applies again), one list per township, one county summary
    assert kinds == ["application"] * 6 + ["key_village_county_summary", "key_village_notice",
                                           "key_village_township_list", "key_village_township_list"]
    assert RETURN_REASON.startswith("抽查核实")


def test_the_ranked_documents_print_places_and_the_rule(session):
    run_key_village_demo(session=session)
    township = text(session, "key_village_county_summary")
    assert "按相对贫困程度排序：农民人均纯收入由低到高" in township
    assert "<td>1</td><td>青山镇</td><td>欧阳海2村</td><td>400</td><td>100</td><td>25.00%</td>" \
           "<td>2400.00</td>" in township
    # The county's second check of the returned village shows its corrected collective income.
    assert "<td>4</td><td>青山镇</td><td>增家源2村</td><td>320</td><td>48</td><td>15.00%</td><td>2600.00</td>" \
           "<td>29000.00</td>" in township
    lists = session.scalars(select(Document).where(col(Document.kind) == "key_village_township_list")
                            .order_by(col(Document.scope_code))).all()
    first = Path(lists[0].path).read_text(encoding="utf-8")
    assert "符合申报条件（各项数据与上一名相同，按区划代码排序）" in first
    assert "<td></td><td>示范镇</td><td>柏树村</td>" in first
    assert "不符合：村集体经济年收入30000.00元" in first


def test_the_publicity_notice_is_public_and_prints_the_window_and_phone(session):
    run_key_village_demo(session=session)
    doc = session.scalars(select(Document).where(col(Document.kind) == "key_village_notice")).one()
    notice = Path(doc.path).read_text(encoding="utf-8")
    assert doc.public is True
    assert "湖南省2026年度" in notice and "公示期：2026年4月9日至4月15日" in notice
    assert "0731-82212345" in notice
    assert "柏树村<" not in notice and "欧阳海2村" in notice
