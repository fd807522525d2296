"""The rectification chain through the one door: findings per village, every move of its table allowed and refused,
the fix report with evidence, and the overdue report per responsible unit at the due-date boundary."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models.chains.rectification.documents.ledger import render_rectification_ledger
from models.chains.rectification.findings import (
    CODE,
    FindingInput,
    RectificationFix,
    finding_of,
    record_findings,
    report_fix,
)
from models.chains.rectification.report import days_overdue, unit_report
from models.chains.rectification.stages import RECTIFICATION
from models.core.actors import Actor, Role, add_actor
from models.core.case import Case, StageRecord, Status
from models.core.clock import parse
from models.core.errors import InvalidInput, TransitionRefused
from models.door.engine import Move, transition

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 office time


def unit_actor(world, village: str) -> Actor:
    found = world.session.exec(select(Actor).where(Actor.role == Role.RECTIFICATION_UNIT,
                                                   Actor.region_code == village)).first()
    return found or add_actor(world.session, name=f"整改联络人{village[-3:]}{village[6:9]}",
                              role=Role.RECTIFICATION_UNIT, region_code=village)


def find(world, *specs: tuple[str, str, str], now: datetime = T0) -> list[int]:
    """Findings (village, item, unit) recorded by the county team."""
    ids = record_findings(session=world.session, year=2026, actor=world.actor(Role.COUNTY_RECHECK_TEAM), now=now,
                          findings=[FindingInput(v, item, found="发现问题", unit=unit) for v, item, unit in specs])
    world.session.commit()
    return ids


def case(world, case_id: int) -> Case:
    world.session.expire_all()
    got = world.session.get(Case, case_id)
    assert got is not None
    return got


def move(world, stage: str, case_id: int, actor: Actor, when: str, mv: Move = Move.APPROVE, reason: str = ""):
    return transition(session=world.session, chain=CODE, stage=stage, case_ids=[case_id], move=mv, actor=actor,
                      now=parse(when), reason=reason)


def fix(world, case_id: int, when: str, evidence: str = "佐证材料") -> None:
    village = case(world, case_id).village_code
    report_fix(session=world.session, case_id=case_id, action="已整改", evidence=evidence,
               actor=unit_actor(world, village), now=parse(when))
    world.session.commit()


def assigned(world, item: str = "1-1", unit: str = "帮扶责任人", village: str | None = None) -> int:
    (case_id,) = find(world, (village or world.villages[0], item, unit))
    unit_actor(world, village or world.villages[0])
    move(world, "RECT_ASSIGN", case_id, world.actor(Role.COUNTY_RECHECK_TEAM), "2026-11-03 09:00")
    return case_id


def test_the_table_reads_as_domain_section_4g():
    assert [(s.code, s.level.value, s.role.value if s.role else None, s.sends_back_to) for s in RECTIFICATION.stages] \
        == [("RECT_ASSIGN", "COUNTY", "COUNTY_RECHECK_TEAM", None),
            ("RECT_FIX", "VILLAGE", "RECTIFICATION_UNIT", None),
            ("RECT_VERIFY", "TOWNSHIP", "TOWNSHIP_CHECK_TEAM", "RECT_FIX"),
            ("RECT_CLOSE", "COUNTY", "COUNTY_RECHECK_TEAM", "RECT_FIX")]
    assert [g.name for s in RECTIFICATION.stages for g in s.guards] == ["finding_recorded", "fix_reported"]
    assert RECTIFICATION.summary.startswith("县级排查交办")


def test_several_findings_in_one_village_are_cases_without_a_household(world):
    ids = find(world, (world.villages[0], "1-1", "帮扶责任人"), (world.villages[0], "1-3", "帮扶责任人"),
               (world.villages[0], "1-1", "村(社区)扶贫专干"))
    assert len(set(ids)) == 3
    rows = [case(world, i) for i in ids]
    assert {(c.chain, c.year, c.household_id, c.village_code, c.stage) for c in rows} == {
        (CODE, 2026, None, world.villages[0], "RECT_ASSIGN")}
    assert finding_of(world.session, ids[2]).unit == "村(社区)扶贫专干"


def test_a_finding_walks_every_stage_to_close_out(world):
    case_id = assigned(world)
    assert case(world, case_id).stage == "RECT_FIX"
    fix(world, case_id, "2026-11-05 10:00")
    assert case(world, case_id).stage == "RECT_VERIFY"
    move(world, "RECT_VERIFY", case_id, world.actor(Role.TOWNSHIP_CHECK_TEAM, world.township), "2026-11-06 10:00")
    move(world, "RECT_CLOSE", case_id, world.actor(Role.COUNTY_RECHECK_TEAM), "2026-11-09 10:00")
    got = case(world, case_id)
    assert (got.stage, got.status) == ("RECT_CLOSE", Status.EXITED)


def test_the_verifying_township_sends_an_insufficient_fix_back_with_its_reason(world):
    case_id = assigned(world)
    fix(world, case_id, "2026-11-05 10:00")
    checker = world.actor(Role.TOWNSHIP_CHECK_TEAM, world.township)
    with pytest.raises(TransitionRefused) as no_reason:
        move(world, "RECT_VERIFY", case_id, checker, "2026-11-06 10:00", Move.RETURN)
    assert no_reason.value.reason == "退回须写明理由"
    move(world, "RECT_VERIFY", case_id, checker, "2026-11-06 10:00", Move.RETURN, "佐证不足：收入调查表未签字")
    assert case(world, case_id).stage == "RECT_FIX"
    # Back at the unit, the earlier report does not count: a new one is needed.
    with pytest.raises(TransitionRefused) as refused:
        move(world, "RECT_FIX", case_id, unit_actor(world, world.villages[0]), "2026-11-07 10:00")
    assert refused.value.reason == "责任单位尚未报送整改情况及佐证材料"
    fix(world, case_id, "2026-11-09 10:00")
    assert case(world, case_id).stage == "RECT_VERIFY"


def test_a_fix_without_evidence_is_refused_and_writes_nothing(world):
    case_id = assigned(world)
    with pytest.raises(InvalidInput) as refused:
        report_fix(session=world.session, case_id=case_id, action="已整改", evidence="  ",
                   actor=unit_actor(world, world.villages[0]), now=parse("2026-11-05"))
    assert (refused.value.record, refused.value.field) == (f"案件{case_id}", "佐证材料")
    world.session.rollback()
    assert world.session.exec(select(RectificationFix)).all() == []
    assert case(world, case_id).stage == "RECT_FIX"


def test_a_finding_needs_a_unit_the_item_names_and_writes_nothing_otherwise(world):
    team = world.actor(Role.COUNTY_RECHECK_TEAM)
    with pytest.raises(InvalidInput) as refused:
        record_findings(session=world.session, year=2026, actor=team, now=T0, findings=[
            FindingInput(world.villages[0], "1-1", "发现问题", "帮扶责任人"),
            FindingInput(world.villages[1], "1-1", "发现问题", "县卫健局")])
    assert refused.value.field == "责任单位" and refused.value.value == "县卫健局"
    assert "帮扶责任人、村(社区)扶贫专干、驻村工作队或联村组长" in refused.value.rule
    world.session.rollback()
    assert world.session.exec(select(Case)).all() == []


def test_a_finding_says_what_was_found(world):
    with pytest.raises(InvalidInput) as empty:
        record_findings(session=world.session, year=2026, actor=world.actor(Role.COUNTY_RECHECK_TEAM), now=T0,
                        findings=[FindingInput(world.villages[0], "1-1", " ", "帮扶责任人")])
    assert empty.value.field == "发现问题"


def test_a_finding_may_be_withdrawn_with_a_reason(world):
    (case_id,) = find(world, (world.villages[0], "1-1", "帮扶责任人"))
    move(world, "RECT_ASSIGN", case_id, world.actor(Role.COUNTY_RECHECK_TEAM), "2026-11-03", Move.REJECT,
         "经核实不属实，撤销")
    assert case(world, case_id).status == Status.REJECTED
    assert unit_report(world.session, scope_prefix="430121", year=2026, now=parse("2026-12-31")) == []


def test_stage_time_limits_are_working_days_from_policy(world):
    case_id = assigned(world)
    fix(world, case_id, "2026-11-06 10:00")  # Friday
    world.session.expire_all()
    record = world.session.exec(select(StageRecord).where(StageRecord.case_id == case_id,
                                                          StageRecord.stage == "RECT_VERIFY")).one()
    # 5 working days after Friday 11-06: 11-09..11-13, due at 24:00 of Friday 11-13.
    assert record.due_at is not None and record.due_at.astimezone(UTC) == parse("2026-11-14 00:00")


def test_the_due_day_itself_is_not_overdue_and_the_next_day_is(world):
    (case_id,) = find(world, (world.villages[0], "1-5", "镇扶贫工作站"))
    due = finding_of(world.session, case_id).due_at
    assert days_overdue(due, parse("2026-11-30 23:59:59")) == 0
    assert days_overdue(due, parse("2026-12-01 00:00")) == 1
    assert days_overdue(due, parse("2026-12-09 08:00")) == 9
    on_due_day = unit_report(world.session, scope_prefix="430121", year=2026, now=parse("2026-11-30 23:59"))
    assert [(u.unit, u.open, u.overdue) for u in on_due_day] == [("镇扶贫工作站", 1, [])]
    next_day = unit_report(world.session, scope_prefix="430121", year=2026, now=parse("2026-12-01 00:00"))
    assert [(f.case_id, f.days_overdue, f.due_day) for f in next_day[0].overdue] == [(case_id, 1, date(2026, 11, 30))]


def test_the_report_counts_each_unit_and_a_fixed_finding_is_not_overdue(world):
    open_one, fixed_one = find(world, (world.villages[0], "1-1", "帮扶责任人"),
                               (world.villages[1], "1-1", "帮扶责任人"))
    (closed_one,) = find(world, (world.villages[2], "1-5", "镇扶贫工作站"))
    team = world.actor(Role.COUNTY_RECHECK_TEAM)
    for case_id in (open_one, fixed_one, closed_one):
        unit_actor(world, case(world, case_id).village_code)
        move(world, "RECT_ASSIGN", case_id, team, "2026-11-03 09:00")
    fix(world, fixed_one, "2026-11-10 10:00")
    fix(world, closed_one, "2026-11-10 10:00")
    move(world, "RECT_VERIFY", closed_one, world.actor(Role.TOWNSHIP_CHECK_TEAM, world.township), "2026-11-11")
    move(world, "RECT_CLOSE", closed_one, team, "2026-11-12")
    report = unit_report(world.session, scope_prefix="430121", year=2026, now=parse("2026-11-24 10:00"))
    lines = {u.unit: (u.open, u.fixed, u.verified, u.closed, [(f.case_id, f.days_overdue) for f in u.overdue])
             for u in report}
    # Undated item 1-1 found Monday 11-02: due 11-23 (15 working days); on 11-24 it is 1 day overdue.
    assert lines == {"帮扶责任人": (1, 1, 0, 0, [(open_one, 1)]), "镇扶贫工作站": (0, 0, 0, 1, [])}


def test_the_ledger_prints_units_overdue_days_and_the_cited_items(world):
    case_id = assigned(world, "1-1", "帮扶责任人")
    assert case(world, case_id).stage == "RECT_FIX"
    document = render_rectification_ledger(world.session, county_code="430121000000", year=2026,
                                           now=parse("2026-12-01 09:00"))
    html = open(document.path, encoding="utf-8").read()
    assert document.public is False and document.kind == "rectification_ledger"
    assert "逾期未整改" in html and "帮扶责任人" in html
    assert "<td>2026年11月23日</td><td>8</td>" in html
    assert "对照省考核标准,排查所有贫困户收入是否到达省脱贫标准(3700元)" in html
    assert "截至2026年12月1日，全县登记排查问题1个，已整改销号0个，逾期未整改1个，涉及责任单位1个。" in html


def test_the_case_page_s_record_says_what_was_found_and_the_fix_reported(world):
    from models.reads.case_view import case_view

    case_id = assigned(world)
    fix(world, case_id, "2026-11-09 16:00")
    view = case_view(world.session, case_id, parse("2026-11-10 09:00"))
    assert view is not None
    said = [e.detail for e in view.events]
    assert re.fullmatch(r"立案：发现问题（排查事项1-1，交帮扶责任人整改，2026-\d\d-\d\d前完成）", said[0]), said
    assert "报送整改情况：已整改" in said, said
