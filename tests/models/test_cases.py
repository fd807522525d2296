"""Opening cases (models/door/cases.py::open_cases): households or villages as the subject, one code path writing
the case rows, their first stage records with due dates, and their audit events; bad subjects write nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from models.chains.household_exit.stages import CODE as EXIT
from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.chains.key_village.stages import CODE as KEY_VILLAGE
from models.chains.key_village.stages import KEY_VILLAGE as KEY_VILLAGE_CHAIN
from models.core.actors import Role, system_actor
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case, StageRecord, Status
from models.core.errors import InvalidInput
from models.door.cases import due_at, open_cases
from models.policy.loading import policy_for

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)


def count(world, table) -> int:
    return int(world.session.scalar(select(func.count()).select_from(table)))


def test_households_open_at_the_first_stage_with_a_due_record_and_an_audit_event(world):
    households = world.area.household_ids[:3]
    system = system_actor(world.session)
    ids = open_cases(session=world.session, chain=EXIT, year=2026, household_ids=households, now=T0, actor=system)
    world.session.commit()
    cases = [world.session.get(Case, i) for i in ids]
    assert [c.household_id for c in cases] == households
    assert all((c.stage, c.status, c.version) == (HOUSEHOLD_EXIT.first.code, Status.ACTIVE, 1) for c in cases)
    records = world.session.scalars(select(StageRecord).where(StageRecord.case_id.in_(ids))).all()  # type: ignore[attr-defined]
    due = due_at(policy_for(world.villages[0], 2026), HOUSEHOLD_EXIT.first, T0)
    assert sorted(r.case_id for r in records) == sorted(ids)
    assert all(r.stage == HOUSEHOLD_EXIT.first.code and r.due_at == due and r.left_at is None for r in records)
    events = world.session.scalars(select(AuditEvent).where(AuditEvent.action == f"{EXIT}.OPEN")).all()
    assert sorted(e.case_id for e in events) == sorted(ids)
    assert [json.loads(e.detail) for e in events] == [{"stage": HOUSEHOLD_EXIT.first.code}] * 3
    assert first_broken(world.session) is None


def test_a_household_gets_one_case_of_a_chain_a_year(world):
    system = system_actor(world.session)
    first, second = world.area.household_ids[:2]
    [opened] = open_cases(session=world.session, chain=EXIT, year=2026, household_ids=[first, first], now=T0,
                          actor=system)
    again = open_cases(session=world.session, chain=EXIT, year=2026, household_ids=[second, first], now=T0,
                       actor=system)
    assert len(again) == 1 and again[0] != opened
    assert world.session.get(Case, again[0]).household_id == second


def test_villages_open_village_cases_once_a_year(world):
    system = system_actor(world.session)
    codes = world.villages[:2]
    ids = open_cases(session=world.session, chain=KEY_VILLAGE, year=2026, village_codes=codes, now=T0, actor=system)
    cases = [world.session.get(Case, i) for i in ids]
    assert [(c.village_code, c.household_id, c.stage) for c in cases] == [
        (code, None, KEY_VILLAGE_CHAIN.first.code) for code in codes]
    assert open_cases(session=world.session, chain=KEY_VILLAGE, year=2026, village_codes=codes, now=T0,
                      actor=system) == []


def test_a_village_may_open_any_number_of_cases_when_each_is_its_own(world):
    system = system_actor(world.session)
    village = world.villages[0]
    details = [{"item": "1.1"}, {"item": "2.3"}]
    ids = open_cases(session=world.session, chain=KEY_VILLAGE, year=2026, village_codes=[village, village], now=T0,
                     actor=system, one_a_year=False, details=details)
    assert len(set(ids)) == 2
    events = {e.case_id: json.loads(e.detail) for e in world.session.scalars(select(AuditEvent).where(
        AuditEvent.case_id.in_(ids)))}  # type: ignore[union-attr]
    assert [events[i]["item"] for i in ids] == ["1.1", "2.3"]


@pytest.mark.parametrize(("subject", "record", "field", "rule"), [
    ({"household_ids": [999_999]}, "立案", "户ID", "没有这一户"),
    ({"village_codes": ["430121999999"]}, "立案", "村区划代码", "不是已登记的行政村代码"),
])
def test_a_subject_that_does_not_exist_is_refused_and_nothing_is_written(world, subject, record, field, rule):
    system = system_actor(world.session)
    chain = EXIT if "household_ids" in subject else KEY_VILLAGE
    good = {"household_ids": world.area.household_ids[:1]} if "household_ids" in subject else {
        "village_codes": world.villages[:1]}
    both = {key: good[key] + value for key, value in subject.items()}
    with pytest.raises(InvalidInput) as error:
        open_cases(session=world.session, chain=chain, year=2026, now=T0, actor=system, **both)
    assert (error.value.record, error.value.field, error.value.rule) == (record, field, rule)
    assert count(world, Case) == 0 and count(world, AuditEvent) == 0


def test_a_person_opens_cases_only_in_their_area(world):
    committee = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    elsewhere = world.villages[1]
    with pytest.raises(InvalidInput) as error:
        open_cases(session=world.session, chain=KEY_VILLAGE, year=2026, village_codes=[world.villages[0], elsewhere],
                   now=T0, actor=committee)
    assert error.value.rule == f"不在{committee.title()}的辖区内" and error.value.value == elsewhere
    assert count(world, Case) == 0


def test_a_case_has_one_kind_of_subject(world):
    with pytest.raises(ValueError, match="household or a village"):
        open_cases(session=world.session, chain=EXIT, year=2026, household_ids=world.area.household_ids[:1],
                   village_codes=world.villages[:1], now=T0, actor=system_actor(world.session))
