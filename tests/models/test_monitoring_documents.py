"""The monitoring documents render with their facts: the assignment notice (交办单) with its working-day due date,
the close-out approval form (销号审批表), and the monthly round summary."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from models.chains.monitoring.documents.assignment_notice import render_assignment_notice
from models.chains.monitoring.documents.closeout_form import build_closeout_form_context, render_closeout_form
from models.chains.monitoring.documents.round_summary import build_round_summary_context, render_round_summary
from models.chains.monitoring.tables import MonitoringAssignment, MonitoringRound
from models.core.clock import parse
from models.core.workdays import PROVISIONAL_NOTE
from tests.monitoring_walk import finish, households, setup, walk_to, warn


def text(document) -> str:  # type: ignore[no-untyped-def]
    return Path(document.path).read_text(encoding="utf-8")


def _assigned(world, when: str):  # type: ignore[no-untyped-def]
    s = setup(world)
    village = world.villages[0]
    first = households(s, village)[0]
    case_id = warn(s, village, {first: ["housing"]}, parse(when))[first]
    walk_to(s, case_id, "MON_ASSIST", parse(when))
    assignment = world.session.scalars(select(MonitoringAssignment)).one()
    return s, case_id, assignment


def test_the_assignment_notice_prints_the_limit_in_working_days_and_the_holiday_arrangement(world):
    s, case_id, assignment = _assigned(world, "2026-09-29 10:00")
    html = text(render_assignment_notice(world.session, assignment_id=assignment.id, now=parse("2026-09-29 10:00")))
    assert "长沙县住房和城乡建设局" in html and "住房安全有保障" in html
    assert "10个工作日" in html and "2026年10月19日24时前" in html
    assert "期间不计的节假日：2026年10月1日、10月2日、10月5日、10月6日、10月7日。" in html
    assert "计入的调休上班日：2026年10月10日（星期六）。" in html
    assert PROVISIONAL_NOTE not in html


def test_the_assignment_notice_marks_a_due_date_in_an_unknown_year_provisional(world):
    s, case_id, assignment = _assigned(world, "2026-12-24 10:00")
    html = text(render_assignment_notice(world.session, assignment_id=assignment.id, now=parse("2026-12-24 10:00")))
    assert f"2027年1月7日24时前{PROVISIONAL_NOTE}" in html


def test_the_close_out_form_shows_lateness_in_working_days_and_the_approval(world):
    s, case_id, assignment = _assigned(world, "2026-09-29 10:00")
    finish(s, case_id, parse("2026-10-22 11:00"))  # 10-20, 10-21, 10-22 after the limit of 10-19
    context = build_closeout_form_context(world.session, case_id=case_id, now=parse("2026-10-22 11:00"))
    assert [(r.timeliness, r.verified) for r in context.rows] == [("逾期3个工作日", "未核实")]
    assert context.conclusion == "待乡镇核实"
    finish(s, case_id, parse("2026-10-23 10:00"))
    html = text(render_closeout_form(world.session, case_id=case_id, now=parse("2026-10-23 10:00")))
    assert "逾期3个工作日" in html and "达标：已达标" in html
    assert "经核实，缺项均已达标，同意销号（2026年10月23日批准）" in html


def test_a_close_out_asked_before_the_limit_ends_is_on_time(world):
    s, case_id, assignment = _assigned(world, "2026-09-29 10:00")
    finish(s, case_id, parse("2026-10-19 23:00"))
    context = build_closeout_form_context(world.session, case_id=case_id, now=parse("2026-10-19 23:00"))
    assert context.rows[0].timeliness == "按期"


def test_the_round_summary_counts_the_households_and_the_missing_items(world):
    s = setup(world)
    village = world.villages[0]
    a, b = households(s, village)[:2]
    warn(s, village, {a: ["housing", "water"], b: ["water"]})
    held = world.session.scalars(select(MonitoringRound)).one()
    context = build_round_summary_context(world.session, round_id=held.id, now=parse("2026-09-24 17:00"))
    assert context.households == len(households(s, village))
    assert (context.warned_households, context.warnings) == (2, 3)
    assert {i.label: i.households for i in context.by_item if i.households} == {"住房安全有保障": 1, "饮水安全": 2}
    assert context.phase == "成效巩固阶段"
    html = text(render_round_summary(world.session, round_id=held.id, now=parse("2026-09-24 17:00")))
    assert "2026年9月防止返贫动态监测汇总表" in html and "住房安全有保障、饮水安全" in html
    assert "标注预警2户、缺项3项，其中住房安全有保障1户、饮水安全2户" in html
