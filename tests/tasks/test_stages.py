"""The stage task's body (`.fn()`, no Prefect run): each stage of the household exit chain in a township whose cases
wait at five points does its own machine work once, flags its own overdue visits, and says what it left; its run is
named for the stage and its time limit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from prefect.logging import disable_run_logger
from sqlalchemy import func, select
from sqlmodel import Session, col

from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.chains.rectification.stages import RECTIFICATION
from models.core.audit import AuditEvent
from models.core.case import Case, StageRecord
from tasks.stages import StageRun, TimeLimit, run_stage, stage_task, time_limit
from tests.flows.township import YEAR, build_township

CHAIN = HOUSEHOLD_EXIT.code
pytestmark = pytest.mark.usefixtures("html_only")


@pytest.fixture
def township(session: Session) -> Iterator[tuple[str, datetime]]:
    with disable_run_logger():
        yield build_township(session)


def run_all(township: str, now: datetime) -> dict[str, StageRun]:
    """Every stage in table order, as the flow runs them for one township."""
    return {s.code: run_stage.fn(CHAIN, s.code, township, YEAR, now.isoformat()) for s in HOUSEHOLD_EXIT.stages}


def events(session: Session) -> int:
    session.rollback()
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def village_sizes(session: Session, township: str) -> list[int]:
    """Cases of each village of the township, in code order."""
    return list(session.scalars(select(func.count()).select_from(Case).where(
        col(Case.village_code).startswith(township[:9])).group_by(col(Case.village_code))
        .order_by(col(Case.village_code))))


def test_each_stage_does_its_own_work_once_and_says_what_it_left(session, township):
    code, now = township
    v1, v2, v3, v4, v5 = village_sizes(session, code)
    runs = run_all(code, now)
    work = {stage: run.work() for stage, run in runs.items() if run.work()}
    assert work == {
        # one paper per village (and day of decision) that had none: the round's earlier stages left them owed
        "GROUP_RECOMMEND": {"GROUP_RECOMMEND.documents": 5},
        "COMMITTEE_REVIEW": {"COMMITTEE_REVIEW.documents": 5},
        "HOME_CHECK": {"HOME_CHECK.documents": 5},
        # village 4's window ended: closed, its cases moved on; village 5's posted, and flagged: they reached the
        # stage in the round's first days, more than its 10 days ago
        "PUBLICITY": {"windows_closed": 1, "PUBLICITY.advanced": v4, "PUBLICITY.posted": v5,
                      "PUBLICITY.overdue_flagged": v5},
        "COUNTY_REQUEST": {"COUNTY_REQUEST.documents": 1},  # one letter for villages 1-3, one signer
        # villages 2 and 3 newly at the re-check get their samples; village 1's finished sample its form
        "COUNTY_RECHECK": {"COUNTY_RECHECK.samples": 2, "COUNTY_RECHECK.documents": 1},
        "COUNTY_APPROVAL": {"COUNTY_APPROVAL.posted": v1},  # village 1 in the county's announcement
    }
    left = {stage: (run.waiting, run.in_window, run.overdue) for stage, run in runs.items()}
    assert left == {"GROUP_RECOMMEND": (0, 0, 0), "COMMITTEE_REVIEW": (0, 0, 0), "CHECK_REQUEST": (0, 0, 0),
                    "HOME_CHECK": (0, 0, 0), "PUBLICITY": (0, v5, v5), "COUNTY_REQUEST": (v4, 0, 0),
                    "COUNTY_RECHECK": (v2 + v3, 0, 0), "COUNTY_APPROVAL": (0, v1, 0)}
    assert {run.time_limit for run in runs.values()} >= {"15天", "10天"}

    before = events(session)
    again = run_all(code, now)
    assert not any(run.work() for run in again.values())  # nothing new to do twice
    assert {s: (r.waiting, r.in_window, r.overdue) for s, r in again.items()} == left
    assert events(session) == before


def test_a_stage_flags_its_own_overdue_visits_and_no_other_stages(session, township):
    code, now = township
    _, v2, v3, _, _ = village_sizes(session, code)
    late = now + timedelta(days=60)  # every open visit is past its due moment by then
    run = run_stage.fn(CHAIN, "COUNTY_RECHECK", code, YEAR, late.isoformat(), machine_work=False, windows_due=False)
    assert (run.overdue_flagged, run.overdue, run.waiting) == (v2 + v3, v2 + v3, v2 + v3)
    assert run.work() == {"COUNTY_RECHECK.overdue_flagged": v2 + v3}
    session.rollback()
    flagged = session.execute(select(col(StageRecord.stage), func.count()).where(
        col(StageRecord.overdue_at).is_not(None)).group_by(col(StageRecord.stage))).tuples().all()
    assert flagged == [("COUNTY_RECHECK", v2 + v3)]  # village 5 waits at publicity past its limit too: not this stage's
    assert run_stage.fn(CHAIN, "COUNTY_RECHECK", code, YEAR, late.isoformat()).overdue_flagged == 0  # flagged once


def test_an_idle_stage_reads_and_writes_nothing(session, township):
    code, now = township
    before = events(session)
    run = run_stage.fn(CHAIN, "PUBLICITY", code, YEAR, now.isoformat(), idle=True)
    assert run == StageRun(CHAIN, "PUBLICITY", code, "10天")  # its time limit, and nothing done or counted
    assert events(session) == before
    session.rollback()
    assert not session.scalar(select(func.count()).select_from(Case).where(col(Case.stage) == "COUNTY_REQUEST"))


def test_the_time_limit_is_the_policys_in_calendar_or_working_days():
    assert time_limit("HOME_CHECK", "430121101000", YEAR) == TimeLimit(15)
    assert str(TimeLimit(15)) == "15天"
    assert str(time_limit("RECT_VERIFY", "430121101000", YEAR)) == "5个工作日"
    assert str(time_limit("RECT_FIX", "430121101000", YEAR)) == "无时限"  # the finding's own due date rules it


def test_the_task_is_named_for_the_stage_and_its_run_for_the_township_and_the_limit():
    named = stage_task(HOUSEHOLD_EXIT.stage("HOME_CHECK"), "430121101000", "示范镇", YEAR)
    assert named.name == "HOME_CHECK 乡镇入户核查"
    assert named.task_run_name == "HOME_CHECK 乡镇入户核查 · 示范镇 · 时限15天"
    assert not named.tags  # a tagged task run first asks the API for concurrency slots
    fix = stage_task(RECTIFICATION.stage("RECT_FIX"), "430121101000", "示范镇", YEAR)
    assert fix.task_run_name == "RECT_FIX 责任单位整改 · 示范镇 · 无时限"
