"""Walks cases through the household exit chain the way clerks and the machine would, stage by stage."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from models.actors import SYSTEM_NAME, Actor, Role, actor_named
from models.chain import chain_named
from models.checks import CheckInput, record_checks
from models.engine import Move, load_rows, open_cases, transition
from models.regions import Level, prefix
from models.sampling import SampleCase, draw_for_village
from models.standards import GUARANTEES
from models.windows import close_due_windows, open_window

CHAIN = "HOUSEHOLD_EXIT"
ALL_MET = dict.fromkeys(GUARANTEES, True)


def actor_for(world, role: Role, village: str) -> Actor:  # type: ignore[no-untyped-def]
    """The person in `role` whose region contains the village."""
    for level in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY):
        code = prefix(village, level).ljust(12, "0")
        found = world.session.scalars(select(Actor).where(Actor.role == role, Actor.region_code == code)).first()
        if found:
            return found
    raise AssertionError(role)


def open_all(world, now: datetime) -> list[int]:  # type: ignore[no-untyped-def]
    system = actor_named(world.session, SYSTEM_NAME)
    ids = open_cases(session=world.session, chain=CHAIN, year=2026, household_ids=world.area.household_ids,
                     now=now, actor=system)
    world.session.commit()
    return ids


def finish_stage(world, case_ids: list[int], now: datetime) -> datetime:  # type: ignore[no-untyped-def]
    """Do everything the current stage of these cases needs, so they move to the next; returns the new time."""
    session = world.session
    rows = list(load_rows(session, case_ids).values())
    stage = chain_named(CHAIN).stage(rows[0].stage)
    by_village: dict[str, list[int]] = {}
    for row in rows:
        by_village.setdefault(row.village_code, []).append(row.id)
    system = actor_named(session, SYSTEM_NAME)
    if stage.sampled:
        for village in by_village:
            draw_for_village(session=session, chain=CHAIN, year=2026, stage=stage.code, village_code=village,
                             now=now, actor_name=SYSTEM_NAME, seed=1)
        session.commit()
    if stage.assessed:
        for village, ids in by_village.items():
            if stage.sampled:
                ids = list(session.scalars(select(SampleCase.case_id).where(
                    SampleCase.case_id.in_(ids), SampleCase.drawn.is_(True))))  # type: ignore[attr-defined]
            if ids:
                record_checks(session=session, stage=stage.code, items=[CheckInput(i, ALL_MET) for i in ids],
                              actor=actor_for(world, stage.role, village), now=now)
        session.commit()
    if stage.role is not None:
        for village, ids in by_village.items():
            transition(session=session, chain=CHAIN, stage=stage.code, case_ids=ids, move=Move.APPROVE,
                       actor=actor_for(world, stage.role, village), now=now)
    if stage.window_scope is not None:
        groups: dict[str, list[int]] = {}
        for village, ids in by_village.items():
            groups.setdefault(prefix(village, stage.window_scope).ljust(12, "0"), []).extend(ids)
        for region, ids in groups.items():
            open_window(session=session, scope_code=region, case_ids=ids, now=now, actor=system)
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
