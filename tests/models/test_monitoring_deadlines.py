"""Holiday-aware time limits of assistance: working days on the State Council's calendar across the Spring Festival
and National Day 2026 (days off skipped, make-up weekend days counted), the overdue sweep at the limit's end, and the
provisional note where a limit reaches a year whose holiday arrangement is not known."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.chains.monitoring.stages import MONITORING
from models.chains.monitoring.tables import MonitoringAssignment
from models.core.actors import system_actor
from models.core.case import StageRecord
from models.core.clock import parse
from models.core.workdays import PROVISIONAL_NOTE, workday_deadline
from models.door.cases import due_at, due_note
from models.door.overdue import flag_overdue
from models.policy.loading import policy_for
from tests.monitoring_walk import case, finish, households, setup, walk_to, warn

# 国务院办公厅关于2026年部分节假日安排的通知: 春节 2/15–2/23 off, Saturdays 2/14 and 2/28 worked;
# 国庆节 10/1–10/7 off, Saturday 10/10 worked.


def test_ten_working_days_from_the_eve_of_national_day_count_the_make_up_saturday():
    # 09-30, 10-08, 10-09, 10-10 (Saturday, worked), 10-12 … 10-16, 10-19
    assert workday_deadline(parse("2026-09-29 10:00"), 10).last_day == date(2026, 10, 19)
    # 10-08, 10-09, 10-10: a limit may end on the make-up Saturday itself
    assert workday_deadline(parse("2026-09-30 10:00"), 3).last_day == date(2026, 10, 10)


def test_working_days_across_the_spring_festival_skip_the_holiday_and_count_its_saturdays():
    # 02-13, 02-14 (Saturday, worked), then 02-24, 02-25, 02-26
    assert workday_deadline(parse("2026-02-12 10:00"), 5).last_day == date(2026, 2, 26)
    # 02-25, 02-26, 02-27, 02-28 (Saturday, worked)
    assert workday_deadline(parse("2026-02-24 10:00"), 4).last_day == date(2026, 2, 28)


def test_the_policy_sets_the_assistance_limit_in_working_days():
    policy = policy_for("430121101201", 2026)
    assert policy.deadline_workdays["MON_ASSIST"] == 10
    due = due_at(policy, MONITORING.stage("MON_ASSIST"), parse("2026-09-29 10:00"))
    assert due == parse("2026-10-20 00:00")  # 24:00 office time of 10-19


def _confirmed(world, when: str, dates=None):  # type: ignore[no-untyped-def]
    s = setup(world, dates)
    village = world.villages[0]
    first = households(s, village)[0]
    case_id = warn(s, village, {first: ["education"]}, parse(when))[first]
    walk_to(s, case_id, "MON_ASSIST", parse(when))
    assignment = world.session.scalars(select(MonitoringAssignment)
                                       .where(MonitoringAssignment.case_id == case_id)).one()
    record = world.session.scalars(select(StageRecord).where(StageRecord.case_id == case_id,
                                                             StageRecord.stage == "MON_ASSIST")).one()
    return s, case_id, assignment, record


def test_an_assignment_confirmed_before_national_day_is_due_on_october_19(world):
    s, case_id, assignment, record = _confirmed(world, "2026-09-29 10:00")
    assert (assignment.workdays, assignment.due_on, assignment.provisional) == (10, date(2026, 10, 19), False)
    assert assignment.due_at == record.due_at == parse("2026-10-20 00:00")


def test_an_assignment_across_the_spring_festival_is_due_on_march_4(world):
    # A campaign whose monitoring starts in January (each campaign sets its own dates).
    dates = {"screening": (date(2026, 1, 5), date(2026, 1, 6)), "visits": (date(2026, 1, 7), date(2026, 1, 8)),
             "assessment": (date(2026, 1, 9), date(2026, 1, 10)), "entry": (date(2026, 1, 11), date(2026, 1, 12)),
             "dynamic": (date(2026, 1, 13), date(2026, 6, 30))}
    # 02-13, 02-14 (Saturday, worked), 02-24 … 02-27, 02-28 (Saturday, worked), 03-02, 03-03, 03-04
    s, case_id, assignment, record = _confirmed(world, "2026-02-12 10:00", dates)
    assert assignment.due_on == date(2026, 3, 4)
    assert record.due_at == parse("2026-03-05 00:00")


def test_the_sweep_flags_an_assistance_not_asked_to_close_out_once_its_last_working_day_is_over(world):
    s, case_id, assignment, record = _confirmed(world, "2026-09-29 10:00")
    system = system_actor(world.session)
    assert flag_overdue(session=world.session, now=parse("2026-10-19 23:59:59"), actor=system) == 0
    assert flag_overdue(session=world.session, now=parse("2026-10-20 00:00"), actor=system) == 1
    world.session.commit()
    world.session.refresh(record)
    assert record.overdue_at == parse("2026-10-20 00:00")


def test_a_close_out_asked_in_time_is_not_flagged(world):
    s, case_id, assignment, record = _confirmed(world, "2026-09-29 10:00")
    finish(s, case_id, parse("2026-10-19 17:00"))
    assert case(s, case_id).stage == "MON_CLOSEOUT"
    system = system_actor(world.session)
    assert flag_overdue(session=world.session, now=parse("2026-10-20 00:05"), actor=system) == 0


def test_a_limit_reaching_a_year_without_holiday_data_is_provisional(world):
    s, case_id, assignment, record = _confirmed(world, "2026-12-24 10:00")
    # 12-25, 12-28 … 12-31, then 2027 on weekends alone: 01-01, 01-04 … 01-07
    assert (assignment.due_on, assignment.provisional) == (date(2027, 1, 7), True)
    note = due_note(policy_for("430121101201", 2026), "MON_ASSIST", record.opened_at, record.due_at)
    assert note == PROVISIONAL_NOTE
