"""The city's spot-check and the province's field check of key villages: samples drawn per county from a stored
seed, the figures found in the drawn villages, the guard that reads them, and the forms written afterwards."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.chains.key_village.documents.check_form import (
    build_key_village_check_form_context,
    render_key_village_check_form,
)
from models.chains.key_village.figures import Figures, key_village_policy, record_figures
from models.chains.key_village.stages import CODE
from models.core.actors import Role
from models.core.case import Case
from models.core.document import Document
from models.core.errors import TransitionRefused
from models.door import machine
from models.door.engine import Move, transition
from models.door.sampling import Sample, SampleCase, Unit, draw, required_people
from models.policy.loading import Sampling
from tests.key_village_walk import ELIGIBLE, T0, actor_for, drawn_now, finish_stage, open_villages, record, walk_to
from tests.key_village_walk import draw as draw_sample

pytestmark = pytest.mark.usefixtures("html_only")
CITY, PROVINCE = "KEY_CITY_CHECK", "KEY_PROVINCE_CHECK"
NO_FIGURES = "（总户数、相对贫困户数、人均纯收入、集体经济收入）"


def approve(world, stage: str, case_ids: list[int], now, role: Role = Role.CITY_CHECK_TEAM):
    return transition(session=world.session, chain=CODE, stage=stage, case_ids=case_ids, move=Move.APPROVE,
                      actor=actor_for(world, role, world.area.county_code), now=now, strict=False)


def at_city(world, count: int, county_figures: Figures = ELIGIBLE):
    """`count` villages of the county walked to the city's check, the county's survey team having found
    `county_figures` in each."""
    villages = [v for t in world.area.townships for v in world.area.villages[t]][:count]
    ids = open_villages(world, villages)
    now = walk_to(world, ids, "KEY_COUNTY_CHECK", T0)
    record(world, ids, now, county_figures)
    approve(world, "KEY_COUNTY_CHECK", ids, now, Role.COUNTY_RECHECK_TEAM)
    now = finish_stage(world, ids, now)  # the county government confirms the summary table
    return ids, now


def test_the_policy_counts_the_samples_in_villages(world):
    standard = key_village_policy(world.area.county_code, 2026)
    assert standard.city_sample == Sampling(Decimal("0.3"), 3, 1)
    assert standard.province_sample == Sampling(Decimal("0.2"), 3, 1)


@pytest.mark.parametrize(("villages", "city", "province"), [
    (1, 1, 1), (2, 2, 2),  # fewer than 3 villages: every one is checked
    (3, 1, 1),  # 30% of 3 is 0.9, rounded up to 1
    (4, 2, 1), (5, 2, 1), (6, 2, 2), (7, 3, 2), (10, 3, 2),
])
def test_the_sample_size_covers_small_counties_and_rounds_up(world, villages, city, province):
    standard = key_village_policy(world.area.county_code, 2026)
    assert required_people(villages, standard.city_sample) == city
    assert required_people(villages, standard.province_sample) == province


def test_the_minimum_holds_where_the_share_rounds_lower():
    assert required_people(3, Sampling(Decimal("0.3"), 3, 2)) == 2
    assert required_people(0, Sampling(Decimal("0.3"), 3, 1)) == 0


def test_the_sample_is_reproducible_from_its_stored_seed(world):
    ids, now = at_city(world, 6)
    sample = draw_sample(world, CITY, now, seed=424242)
    assert sample is not None
    assert (sample.village_code, sample.seed, sample.people_total, sample.people_required, sample.people_drawn) == \
        (world.area.county_code, 424242, 6, 2, 2)
    assert sample.rule == "按县随机抽取不低于30%的县级确认村（向上取整），至少1个村，不足3个村的县全部核查"
    rows = world.session.scalars(select(SampleCase).where(col(SampleCase.sample_id) == sample.id)).all()
    assert sorted(r.case_id for r in rows) == sorted(ids)
    redrawn = draw([Unit(i, 1) for i in sorted(ids)], key_village_policy(world.area.county_code, 2026).city_sample,
                   sample.seed)
    assert sorted(redrawn) == sorted(r.case_id for r in rows if r.drawn) == drawn_now(world, ids)
    # Drawn once per visit: nothing waits, so a second draw finds nothing.
    assert draw_sample(world, CITY, now, seed=1) is None


def test_a_county_below_full_coverage_is_checked_in_full(world):
    ids, now = at_city(world, 2)
    sample = draw_sample(world, CITY, now)
    assert sample is not None and (sample.people_required, sample.people_drawn) == (2, 2)
    assert drawn_now(world, ids) == sorted(ids)


def test_no_village_passes_before_its_countys_sample_is_drawn(world):
    ids, now = at_city(world, 3)
    assert approve(world, CITY, ids, now).refused == dict.fromkeys(ids, "本县尚未抽取市级抽查核实样本")
    city = actor_for(world, Role.CITY_CHECK_TEAM, world.area.county_code)
    with pytest.raises(TransitionRefused) as raised:
        record_figures(session=world.session, case_id=ids[0], stage=CITY, figures=ELIGIBLE, actor=city, now=now)
    assert raised.value.reason == "本县尚未抽取“地市抽查核实”样本"


def test_a_drawn_village_waits_for_its_figures_and_the_others_pass(world):
    ids, now = at_city(world, 4)
    draw_sample(world, CITY, now)
    drawn = drawn_now(world, ids)
    others = [i for i in ids if i not in drawn]
    assert len(drawn) == 2
    result = approve(world, CITY, ids, now)
    assert result.refused == dict.fromkeys(drawn, f"该村已被抽中，尚未登记市级抽查核实的村情数据{NO_FIGURES}")
    assert result.moved == others
    record(world, drawn, now + timedelta(days=1))
    assert approve(world, CITY, drawn, now + timedelta(days=1)).moved == drawn
    world.session.expire_all()
    assert {world.session.get(Case, i).stage for i in ids} == {PROVINCE}


def test_an_undrawn_village_takes_no_figures(world):
    ids, now = at_city(world, 4)
    draw_sample(world, CITY, now)
    undrawn = next(i for i in ids if i not in drawn_now(world, ids))
    city = actor_for(world, Role.CITY_CHECK_TEAM, world.area.county_code)
    with pytest.raises(TransitionRefused) as raised:
        record_figures(session=world.session, case_id=undrawn, stage=CITY, figures=ELIGIBLE, actor=city, now=now)
    assert raised.value.reason == "该村未被抽中，“地市抽查核实”不登记其村情数据"


@pytest.mark.parametrize(("found", "why"), [
    ("29999.99", None),  # the county's figure, still 低于3万元
    # 低于3万元 excludes 30,000 itself (DOMAIN §3)
    ("30000", "不符合重点帮扶村申报条件：村集体经济年收入30000.00元，不符合“低于30000元”；"
              "市级抽查核实的村情数据与县级审核数据不符：村集体经济年收入县级审核29999.99元、核实30000.00元"),
])
def test_the_city_reads_the_condition_at_its_threshold(world, found, why):
    county = Figures(300, 60, Decimal("2600"), Decimal("29999.99"), "县统计局")
    ids, now = at_city(world, 2, county)  # two villages: both drawn
    draw_sample(world, CITY, now)
    record(world, ids[:1], now, Figures(300, 60, Decimal("2600"), Decimal(found), "市抽查"))
    result = approve(world, CITY, ids[:1], now)
    assert result.refused.get(ids[0]) == why
    assert result.moved == ([] if why else ids[:1])


def test_figures_unlike_the_countys_send_the_village_back_with_them(world):
    ids, now = at_city(world, 2)
    draw_sample(world, CITY, now)
    record(world, ids, now, Figures(300, 61, Decimal("2700"), Decimal("12000"), "市抽查"))
    why = approve(world, CITY, ids, now).refused[ids[0]]
    assert why == ("市级抽查核实的村情数据与县级审核数据不符：相对贫困户数县级审核60户、核实61户；"
                   "农民人均纯收入县级审核2600.00元、核实2700.00元")
    transition(session=world.session, chain=CODE, stage=CITY, case_ids=ids, move=Move.RETURN, now=now, reason=why,
               actor=actor_for(world, Role.CITY_CHECK_TEAM, world.area.county_code))
    world.session.expire_all()
    assert {world.session.get(Case, i).stage for i in ids} == {"KEY_COUNTY_CHECK"}


def test_the_province_checks_its_own_sample_in_the_field(world):
    ids, now = at_city(world, 6)
    now = finish_stage(world, ids, now)  # the city's check
    sample = draw_sample(world, PROVINCE, now, seed=5)
    assert sample is not None and (sample.stage, sample.people_total, sample.people_drawn) == (PROVINCE, 6, 2)
    drawn = drawn_now(world, ids)
    result = approve(world, PROVINCE, ids, now, Role.PROVINCE_POVERTY_OFFICE)
    assert result.refused == dict.fromkeys(drawn, f"该村已被抽中，尚未登记省级实地复核的村情数据{NO_FIGURES}")
    record(world, drawn, now)
    assert approve(world, PROVINCE, drawn, now, Role.PROVINCE_POVERTY_OFFICE).moved == drawn


def _forms(world, kind: str) -> list[Document]:
    return list(world.session.scalars(select(Document).where(col(Document.kind) == kind)))


def _render(world, stage: str, scope: str, now) -> int:
    count = machine.render_ready_documents(session=world.session, chain=CODE, stage=stage, scope=scope, year=2026,
                                           now=now)
    world.session.commit()
    return count


def test_the_city_form_is_written_once_every_drawn_village_is_decided(world):
    ids, now = at_city(world, 4)
    sample = draw_sample(world, CITY, now, seed=424242)
    assert sample is not None
    drawn = drawn_now(world, ids)
    record(world, drawn[:1], now)
    record(world, drawn[1:], now, Figures(300, 60, Decimal("2600"), Decimal("12500"), "市抽查（经管站账目）"))
    township = world.area.townships[0][:9]
    assert _render(world, CITY, "", now) == 0
    assert CITY not in machine.pending(session=world.session, chain=CODE, scope="", year=2026, now=now)
    why = approve(world, CITY, ids, now).refused[drawn[1]]
    assert CITY not in machine.pending(session=world.session, chain=CODE, scope="", year=2026, now=now)
    transition(session=world.session, chain=CODE, stage=CITY, case_ids=drawn[1:], move=Move.RETURN, now=now,
               reason=why, actor=actor_for(world, Role.CITY_CHECK_TEAM, world.area.county_code))
    assert CITY in machine.pending(session=world.session, chain=CODE, scope=township, year=2026, now=now)
    assert _render(world, CITY, township, now) == 1  # a township's run writes its county's form
    assert _render(world, CITY, "", now) == 0
    [form] = _forms(world, "key_village_city_check_form")
    world.session.refresh(sample)
    assert (form.stage, form.scope_code, form.public, sample.document_id) == (CITY, world.area.county_code, False,
                                                                              form.id)
    html = Path(form.path).read_text(encoding="utf-8")
    assert "长沙市2026年度" in html and "重点帮扶村市级抽查核实表" in html
    assert "<th>随机种子</th><td>424242</td>" in html and "不足3个村的县全部核查" in html
    assert "<th>县级确认村数</th><td>4个</td><th>应抽/实抽</th><td>2个/2个</td>" in html
    assert "村集体经济年收入低于30000元" in html
    assert "<td>县级审核</td><td>300</td><td>60</td><td>20.00%</td><td>2600.00</td><td>12000.00</td>" in html
    assert "<td>市级抽查核实</td><td>300</td><td>60</td><td>20.00%</td><td>2600.00</td><td>12500.00</td>" in html
    assert f"退回县级审核：{why}" in html and "村集体经济年收入县级审核12000.00元、核实12500.00元" in html
    assert html.count("未抽中，随抽查结果通过") == 2 and html.count(">通过<") == 1
    assert "市抽查组 何建华" in html
    assert render_key_village_check_form(world.session, sample_id=sample.id or 0, now=now).id == form.id  # once


def test_a_form_read_before_the_decisions_says_what_is_missing(world):
    ids, now = at_city(world, 3)
    sample = draw_sample(world, CITY, now)
    assert sample is not None
    doc = build_key_village_check_form_context(world.session, sample_id=sample.id or 0, now=now)
    assert [(r.drawn, r.result) for r in doc.rows] == [(True, "待核查：尚未登记市级抽查核实的村情数据"),
                                                       (False, "未抽中，待决定"), (False, "未抽中，待决定")]
    assert [line.label for line in doc.rows[0].lines] == ["县级审核"]


def test_the_provincial_form_names_the_province_and_its_team(world):
    ids, now = at_city(world, 2)
    now = finish_stage(world, ids, now)
    now = finish_stage(world, ids, now)  # the province draws both (fewer than 3), finds the county's figures
    assert _render(world, PROVINCE, "", now) == 1
    [form] = _forms(world, "key_village_province_check_form")
    html = Path(form.path).read_text(encoding="utf-8")
    assert "湖南省2026年度" in html and "重点帮扶村省级实地复核表" in html
    assert "按县随机抽取不低于20%的县级确认村" in html and "<td>2个/2个</td>" in html
    assert html.count("<td>省级实地复核</td>") == 2 and html.count(">通过<") == 2
    assert "湖南省扶贫办会同省统计局核查组成员（签字）" in html and "省扶贫办 罗文斌" in html
    assert world.session.scalars(select(Sample.document_id).where(col(Sample.stage) == PROVINCE)).one() == form.id
