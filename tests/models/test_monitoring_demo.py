"""The scripted monitoring year: what the demo's campaign, rounds, assignments and close-outs come to."""

from __future__ import annotations

from datetime import date

from demo.rounds.monitoring import run_monitoring_demo
from models.core.case import Status


def test_the_demo_closes_out_three_warnings_one_overdue_and_one_returned(session):
    summary = run_monitoring_demo(session=session)
    assert [(n, a, b) for n, a, b in summary.phases][0] == ("排查阶段", date(2026, 3, 20), date(2026, 3, 24))
    assert (summary.rounds, summary.warnings) == (4, 3)
    assert [r.reason for r in summary.refusals][1:] == ["缺项“饮水安全”尚未交办行业部门", "乡镇尚未核实：饮水安全"]
    assert "处于录入阶段" in summary.refusals[0].reason
    by_item = {a.guarantee: a for a in summary.assignments}
    assert by_item["住房安全有保障"].due_on == date(2026, 10, 19)  # across National Day, 10-10 counted
    assert by_item["住房安全有保障"].timeliness == "按期"
    assert by_item["义务教育有保障"].due_on == date(2026, 10, 19)
    assert by_item["义务教育有保障"].timeliness == "逾期3个工作日"
    assert by_item["饮水安全"].due_on == date(2026, 10, 29)  # renewed when returned on 10-15
    assert (summary.overdue_at_due, summary.overdue_flagged) == (0, 1)
    assert summary.overdue_cases == [by_item["义务教育有保障"].case_id]
    assert [c for c, _ in summary.returned] == [by_item["饮水安全"].case_id]
    assert {c.status for c in summary.cases} == {Status.EXITED.value}
    kinds = sorted(p.rsplit("/", 1)[1].split("-")[0] for p in summary.documents)
    assert kinds.count("monitoring_assignment_notice") == 3 and kinds.count("monitoring_closeout_form") == 3
    assert kinds.count("monitoring_round_summary") == 4
