"""The key-village documents render with their facts, and the scripted demo ends as seed 004's rules say."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from demo.rounds.key_village import RETURN_REASON, run_key_village_demo
from models.core.case import Status
from models.core.document import Document


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
    # The city's first sample (seed 2025, 2 of the 5 villages the county confirmed) draws b2 and finds its collective
    # income unlike the county's; b2 alone on its second visit is checked in full; the province draws b2 again.
    assert summary.city_drawn == [[a2, b2], [b2]] and summary.province_drawn == [b2]
    assert summary.returned == [b2]
    assert summary.return_reasons[b2] == ("市级抽查核实的村情数据与县级审核数据不符："
                                          f"村集体经济年收入县级审核29999.99元、核实29000.00元，{RETURN_REASON}")
    outcome = {v.village_code: v for v in summary.villages}
    assert outcome[a3].status == Status.REJECTED and outcome[a3].stage == "KEY_TOWNSHIP_VERIFY"
    assert "不符合“低于30000元”" in outcome[a3].reason
    assert {v for v in codes if outcome[v].status == Status.EXITED} == {a1, a2, b1, b2, b3}
    kinds = sorted(session.scalars(select(col(Document.kind))))
    # one application per applying village (6, none applies again), one list per township, one county summary; one
    # city check form per sample (the county's five villages, then the returned one alone) and one provincial form
    assert kinds == ["application"] * 6 + ["key_village_city_check_form"] * 2 + [
        "key_village_county_summary", "key_village_notice", "key_village_province_check_form",
        "key_village_township_list", "key_village_township_list"]


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


def test_the_check_forms_show_what_the_city_and_province_found(session):
    run_key_village_demo(session=session)
    first, second = (Path(d.path).read_text(encoding="utf-8") for d in session.scalars(
        select(Document).where(col(Document.kind) == "key_village_city_check_form").order_by(col(Document.id))))
    assert "<th>随机种子</th><td>2025</td>" in first and "<td>5个</td><th>应抽/实抽</th><td>2个/2个</td>" in first
    assert "<td>县级审核</td><td>320</td><td>48</td><td>15.00%</td><td>2600.00</td><td>29999.99</td>" in first
    assert "<td>市级抽查核实</td><td>320</td><td>48</td><td>15.00%</td><td>2600.00</td><td>29000.00</td>" in first
    assert "退回县级审核：市级抽查核实的村情数据与县级审核数据不符" in first and RETURN_REASON in first
    assert first.count("未抽中，随抽查结果通过") == 3
    # The second visit: the county's corrected figure, found again by the city.
    assert "<td>1个</td><th>应抽/实抽</th><td>1个/1个</td>" in second
    assert "<td>县级审核</td><td>320</td><td>48</td><td>15.00%</td><td>2600.00</td><td>29000.00</td>" in second
    province = text(session, "key_village_province_check_form")
    assert "重点帮扶村省级实地复核表" in province and "<th>随机种子</th><td>2028</td>" in province
    assert "<td>省级实地复核</td><td>320</td><td>48</td>" in province and province.count("未抽中，随抽查结果通过") == 4
