"""Walks applicant households through the edge household identification chain as clerks and the machine would."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from models.chains.edge_identify.stages import CODE, EDGE_IDENTIFY
from models.core.actors import Actor, Role, system_actor
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.windows import close_due_windows
from synthetic.clerks import Clerks
from synthetic.edge_identify import Applicant, add_applicants

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
INSIDE = Applicant(0, 3, Decimal("10800"))  # 3600.00 a head


def actor_for(world, role: Role, village: str) -> Actor:
    return Clerks(world.session, CODE, 2026, "").actor(role, village)


def apply_households(world, *applicants: Applicant, villages: list[str] | None = None) -> list[int]:
    """Applicant households added in the first township's villages and a case opened for each."""
    session = world.session
    households = add_applicants(session, villages or world.villages, 2026, random.Random(3),
                                applicants or (INSIDE,))
    ids = open_cases(session=session, chain=CODE, year=2026, household_ids=households, now=T0,
                     actor=system_actor(session))
    session.commit()
    return ids


def finish_stage(world, case_ids: list[int], now: datetime) -> datetime:
    """Do what the cases' current stage needs so they move on; returns the new time."""
    session = world.session
    stage = EDGE_IDENTIFY.stage(next(iter(load_rows(session, case_ids).values())).stage)
    if stage.window:
        system = system_actor(session)
        machine.post_notices(session=session, chain=CODE, stage=stage.code, scope="", year=2026, now=now,
                             actor=system)
        session.commit()
        now += timedelta(days=8)
        close_due_windows(session=session, now=now, actor=system)
        machine.release(session=session, chain=CODE, stage=stage.code, scope="", year=2026, now=now, actor=system)
        session.commit()
        return now
    Clerks(session, CODE, 2026, "").decide(stage.code, now, case_ids)
    return now + timedelta(days=1)


def walk_to(world, case_ids: list[int], stage: str, now: datetime) -> datetime:
    """Move the cases on until they stand at `stage`."""
    while next(iter(load_rows(world.session, case_ids).values())).stage != stage:
        now = finish_stage(world, case_ids, now)
    return now
