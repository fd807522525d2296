"""Walks village cases through the village exit chain as clerks and the machine would, without Prefect."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from models.chains.village_exit.county_check import (
    Finding,
    draw_village_check,
    record_findings,
    record_survey,
    sample_rows,
)
from models.chains.village_exit.stages import CODE, VILLAGE_EXIT
from models.chains.village_exit.standards import record_assessment
from models.core.actors import Actor, Role, system_actor
from models.core.household import Household
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.chain import Input
from models.door.windows import close_due_windows
from synthetic.clerks import Clerks
from synthetic.village_exit import Scenario, add_non_poor_households, facts_for

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
PASSING = Scenario(1000, 10, Decimal("86000"), 0)  # 1%, well above every mark


def actor_for(world, role: Role, village: str) -> Actor:  # type: ignore[no-untyped-def]
    return Clerks(world.session, CODE, 2026, "").actor(role, village)


def open_villages(world, villages: list[str] | None = None, non_poor: int = 6) -> list[int]:  # type: ignore[no-untyped-def]
    """Village cases for the first township's villages, with their households proposed to exit and some
    non-poor households for the missed-identification sample."""
    session = world.session
    villages = villages or world.villages
    system = system_actor(session)
    rng = random.Random(5)
    for village in villages:
        add_non_poor_households(session, village, non_poor, rng)
    poor = list(session.scalars(select(Household.id).where(
        Household.village_code.in_(villages), Household.registered_poor.is_(True))))  # type: ignore[attr-defined]
    open_cases(session=session, chain="HOUSEHOLD_EXIT", year=2026, household_ids=poor, now=T0, actor=system)
    ids = open_cases(session=session, chain=CODE, year=2026, village_codes=villages, now=T0, actor=system)
    session.commit()
    return ids


def assess(world, case_ids: list[int], now: datetime, scenario: Scenario = PASSING) -> None:  # type: ignore[no-untyped-def]
    rows = load_rows(world.session, case_ids)
    for case_id, row in rows.items():
        actor = actor_for(world, VILLAGE_EXIT.stage(row.stage).recorders(Input.VILLAGE_ACCEPTANCE)[0], row.village_code)
        record_assessment(session=world.session, case_id=case_id, stage=row.stage, actor=actor, now=now,
                          facts=facts_for(scenario, row.village_code, 2026))
    world.session.commit()


def county_check(world, case_ids: list[int], now: datetime, wrong: int = 0, satisfied: int = 48) -> list[int]:  # type: ignore[no-untyped-def]
    """Draw, check every drawn household (the first `wrong` exiting ones found wrongly exited), survey 50 people."""
    checks = []
    for case_id, row in load_rows(world.session, case_ids).items():
        actor = actor_for(world, Role.COUNTY_RECHECK_TEAM, row.village_code)
        check = draw_village_check(session=world.session, case_id=case_id, now=now, actor=actor, seed=11,
                                   group_seed=12)
        drawn = [h for h in sample_rows(world.session, check.id) if h.drawn]
        wrongs = {h.household_id for h in drawn if h.kind == "WRONG_EXIT"}
        wrongs = set(sorted(wrongs)[:wrong])
        record_findings(session=world.session, check_id=check.id, actor=actor, now=now,
                        findings={h.household_id: Finding(h.household_id in wrongs, "人均纯收入未超过标准")
                                  for h in drawn})
        record_survey(session=world.session, check_id=check.id, respondents=50, satisfied=satisfied, actor=actor,
                      now=now)
        checks.append(check.id)
    world.session.commit()
    return checks


def finish_stage(world, case_ids: list[int], now: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """Do everything the cases' current stage needs so they move on; returns the new time."""
    session = world.session
    stage = VILLAGE_EXIT.stage(next(iter(load_rows(session, case_ids).values())).stage)
    clerks = Clerks(session, CODE, 2026, "")
    system = system_actor(session)
    if stage.takes(Input.VILLAGE_ACCEPTANCE):
        assess(world, case_ids, now)
    if stage.takes(Input.SAMPLE_FINDINGS):
        county_check(world, case_ids, now)
    if stage.role is not None:
        clerks.decide(stage.code, now, case_ids)
    if stage.window:
        machine.post_notices(session=session, chain=CODE, stage=stage.code, scope="", year=2026, now=now,
                             actor=system)
        session.commit()
        clerks.photograph_notices(stage.code, now, case_ids)
        now = now + timedelta(days=8)
        close_due_windows(session=session, now=now, actor=system)
        machine.release(session=session, chain=CODE, stage=stage.code, scope="", year=2026, now=now, actor=system)
        session.commit()
    return now + timedelta(hours=1)


def walk_to(world, case_ids: list[int], stage_code: str, now: datetime) -> datetime:  # type: ignore[no-untyped-def]
    while next(iter(load_rows(world.session, case_ids).values())).stage != stage_code:
        now = finish_stage(world, case_ids, now)
    return now
