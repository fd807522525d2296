"""Walks cases through the household exit chain as clerks and the machine would, stage by stage, without Prefect."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from models.core.actors import Actor, Role, system_actor
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.chain import Input, Sampler, chain_named
from models.door.engine import Move, transition
from models.door.sampling import SampleCase
from models.door.windows import close_due_windows
from synthetic.clerks import ALL_MET, Clerks

CHAIN = "HOUSEHOLD_EXIT"
__all__ = ["ALL_MET", "CHAIN", "actor_for", "finish_stage", "open_all", "walk_to"]


def actor_for(world, role: Role, village: str) -> Actor:  # type: ignore[no-untyped-def]
    """The person in `role` whose region holds the village."""
    return Clerks(world.session, CHAIN, 2026, "").actor(role, village)


def open_all(world, now: datetime) -> list[int]:  # type: ignore[no-untyped-def]
    system = system_actor(world.session)
    ids = open_cases(session=world.session, chain=CHAIN, year=2026, household_ids=world.area.household_ids,
                     now=now, actor=system)
    world.session.commit()
    return ids


def finish_stage(world, case_ids: list[int], now: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """Do everything the cases' current stage needs, so they move to the next; returns the new time."""
    session = world.session
    stage = chain_named(CHAIN).stage(next(iter(load_rows(session, case_ids).values())).stage)
    clerks = Clerks(session, CHAIN, 2026, "")
    system = system_actor(session)
    if stage.sampling is Sampler.MACHINE:
        machine.draw_samples(session=session, chain=CHAIN, stage=stage.code, scope="", year=2026, now=now,
                             actor=system)
        session.commit()
    if stage.takes(Input.HOME_CHECK):
        checked = case_ids
        if stage.sampling is not None:
            checked = list(session.scalars(select(SampleCase.case_id).where(
                SampleCase.case_id.in_(case_ids), SampleCase.drawn.is_(True))))  # type: ignore[attr-defined]
        clerks.check(stage.code, now, checked)
    if stage.role is not None:
        clerks.decide(stage.code, now, case_ids)
    if stage.window:
        machine.post_notices(session=session, chain=CHAIN, stage=stage.code, scope="", year=2026, now=now,
                             actor=system)
        session.commit()
        now = now + timedelta(days=8)
        close_due_windows(session=session, now=now, actor=system)
        transition(session=session, chain=CHAIN, stage=stage.code, case_ids=case_ids, move=Move.ADVANCE,
                   actor=system, now=now)
    return now + timedelta(hours=1)


def walk_to(world, case_ids: list[int], stage_code: str, now: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """Move the cases (all at one stage) forward until they reach `stage_code`."""
    while next(iter(load_rows(world.session, case_ids).values())).stage != stage_code:
        now = finish_stage(world, case_ids, now)
    return now
