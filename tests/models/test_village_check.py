"""The county check of an exiting village: its two samples from stored seeds, 三率一度 against the county limits,
the documents of the chain, and the scripted demo round."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.rounds.village_exit import run_village_demo
from models.chains.village_exit.county_check import (
    Finding,
    VillageCheck,
    draw_village_check,
    missed_group,
    record_findings,
    sample_rows,
)
from models.chains.village_exit.documents.approval_form import render_village_approval_form
from models.chains.village_exit.documents.three_rates_summary import render_three_rates_summary
from models.chains.village_exit.standards import rate, village_exit_policy
from models.core.actors import Role
from models.core.document import Document
from models.core.errors import InvalidInput
from models.door.sampling import Unit, draw, required_people
from models.policy.loading import Comparison, Threshold
from tests.village_walk import T0, assess, county_check, finish_stage, open_villages, walk_to

STANDARD = village_exit_policy("430121101201", 2026)
RULE = STANDARD.wrong_exit_sampling


@pytest.mark.parametrize(("total", "required"), [(1, 1), (29, 29), (30, 30), (31, 30), (300, 30)])
def test_at_least_30_exiting_people_all_if_fewer(total, required):
    assert required_people(total, RULE) == required


@pytest.mark.parametrize(("sizes", "drawn_all"), [([1] * 29, True), ([1] * 30, True), ([1] * 31, False)])
def test_the_draw_takes_whole_households_until_30_people(sizes, drawn_all):
    units = [Unit(i + 1, n) for i, n in enumerate(sizes)]
    picked = draw(units, RULE, seed=3)
    assert (len(picked) == len(units)) is drawn_all
    assert len(picked) == min(len(units), 30)


@pytest.mark.parametrize(("wrong", "sampled", "comparison", "passed"), [
    (1, 50, Comparison.lt, False),  # exactly 2% fails the county's 低于2%
    (1, 51, Comparison.lt, True),
    (1, 50, Comparison.le, True),  # an office that writes 2% or less sets le, and exactly 2% passes
    (2, 99, Comparison.le, False),
])
def test_the_wrong_exit_limit_compares_the_exact_rate(wrong, sampled, comparison, passed):
    assert Threshold(Decimal(2), comparison).met_by(rate(wrong, sampled)) is passed


def test_the_approval_limit_is_strictly_above_90_percent():
    assert not STANDARD.approval_rate.met_by(rate(45, 50))
    assert STANDARD.approval_rate.met_by(rate(46, 50))


def test_the_samples_redraw_from_their_stored_seeds(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    team = world.actor(Role.COUNTY_RECHECK_TEAM)
    check = draw_village_check(session=world.session, case_id=ids[0], now=now, actor=team)
    world.session.commit()
    rows = sample_rows(world.session, check.id)
    exiting = [r for r in rows if r.kind == "WRONG_EXIT"]
    non_poor = [r for r in rows if r.kind == "MISSED"]
    redrawn = draw([Unit(r.household_id, r.people) for r in exiting], RULE, check.wrong_exit_seed)
    assert sorted(redrawn) == sorted(r.household_id for r in exiting if r.drawn)
    assert check.people_required == check.exiting_people == sum(r.people for r in exiting)  # fewer than 30: all
    group = missed_group([r.group_name for r in non_poor], check.missed_seed)
    assert group == check.missed_group
    assert {r.household_id for r in non_poor if r.drawn} == {r.household_id for r in non_poor if r.group_name == group}
    again = draw_village_check(session=world.session, case_id=ids[0], now=now, actor=team, seed=1)
    assert again.id == check.id and again.wrong_exit_seed == check.wrong_exit_seed


def test_a_finding_is_for_a_drawn_household_and_a_wrong_one_needs_a_reason(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    team = world.actor(Role.COUNTY_RECHECK_TEAM)
    check = draw_village_check(session=world.session, case_id=ids[0], now=now, actor=team, seed=1, group_seed=2)
    drawn = [r.household_id for r in sample_rows(world.session, check.id) if r.drawn]
    with pytest.raises(InvalidInput) as error:
        record_findings(session=world.session, check_id=check.id, actor=team, now=now,
                        findings={drawn[0]: Finding(True, " ")})
    assert error.value.rule == "认定错退或漏评须写明理由"
    with pytest.raises(InvalidInput) as error:
        record_findings(session=world.session, check_id=check.id, actor=team, now=now, findings={-1: Finding(False)})
    assert error.value.rule == "不是本次抽中的核查户"


def test_documents_render_with_their_facts(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_COUNTY_CHECK", T0)
    assess(world, ids, now)
    checks = county_check(world, ids, now, wrong=1)
    form = render_village_approval_form(world.session, case_id=ids[0], stage="VILLAGE_COUNTY_CHECK", now=now)
    summary = render_three_rates_summary(world.session, county_code=world.area.county_code, year=2026,
                                         check_ids=checks, now=now)
    world.session.commit()
    form_html = Path(form.path).read_text(encoding="utf-8")
    assert "长沙县2026年度贫困村退出验收审批表" in form_html
    assert "1.00%（未脱贫10人／农村户籍人口1000人）" in form_html and "86000.00元" in form_html
    assert "主干道通畅" in form_html and "主干道通畅：县行业主管部门认定数据及现场照片" in form_html
    assert "复核验收工作组" in form_html and not form.public
    summary_html = Path(summary.path).read_text(encoding="utf-8")
    check = world.session.get(VillageCheck, checks[0])
    wrong = [r for r in sample_rows(world.session, check.id) if r.drawn and r.found]
    assert f"随机种子{check.wrong_exit_seed}" in summary_html and f"抽取村民小组：{check.missed_group}" in summary_html
    assert "错退：人均纯收入未超过标准" in summary_html and len(wrong) == 1
    assert "96.00%" in summary_html and "不符合“低于2%”" in summary_html


def test_the_publicity_posts_the_village_list(world):
    ids = open_villages(world, world.villages[:1])
    now = walk_to(world, ids, "VILLAGE_PUBLICITY", T0)
    finish_stage(world, ids, now)
    notice = world.session.scalars(select(Document).where(Document.kind == "village_exit_notice")).one()
    html = Path(notice.path).read_text(encoding="utf-8")
    assert notice.public and "示范镇2026年度拟退出贫困村公示" in html and "公示期：2026年" in html
    assert "欧阳海村" in html and "1.00%" in html and "86000.00" in html


def test_the_demo_round_exits_two_villages_and_refuses_the_veto(session):
    summary = run_village_demo(session=session)
    assert [(v.status, v.stage) for v in summary.villages] == [
        ("EXITED", "VILLAGE_APPROVAL"), ("REJECTED", "VILLAGE_ACCEPTANCE"), ("EXITED", "VILLAGE_APPROVAL")]
    assert summary.villages[1].reason == "未达到贫困村退出标准：综合贫困发生率2.01%，不符合“不超过2%”（否决指标）"
    kinds = {Path(p).name.split("-")[0] for p in summary.documents}
    assert kinds == {"application", "minutes", "village_approval_form", "village_exit_notice", "village_request",
                     "three_rates_summary", "village_exit_announcement"}
    announcement = next(p for p in summary.documents if "announcement" in p)
    html = Path(announcement).read_text(encoding="utf-8")
    assert "长沙县2026年度贫困村退出公告" in html and "欧阳海村" in html and "柏树村" in html and "增家源村" not in html
