"""Walks village cases through the key-village chain as clerks and the machine would, without Prefect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from models.chains.key_village.figures import Figures, record_figures
from models.chains.key_village.spot_checks import draw_county_sample
from models.chains.key_village.stages import CODE, KEY_VILLAGE
from models.core.actors import Actor, Role, add_actor, system_actor
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.chain import Input
from models.door.sampling import Sample, SampleCase
from models.door.windows import close_due_windows
from synthetic.area import CITY, PROVINCE
from synthetic.clerks import Clerks

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ELIGIBLE = Figures(300, 60, Decimal("2600"), Decimal("12000"), "镇政府摸查核实")


def add_upper_levels(world) -> None:
    """The city's spot-check team and the provincial poverty office, once."""
    session = world.session
    roles = set(session.scalars(select(col(Actor.role))))
    if Role.CITY_CHECK_TEAM not in roles:
        add_actor(session, name="市抽查组 何建华", role=Role.CITY_CHECK_TEAM, region_code=CITY[0])
    if Role.PROVINCE_POVERTY_OFFICE not in roles:
        add_actor(session, name="省扶贫办 罗文斌", role=Role.PROVINCE_POVERTY_OFFICE, region_code=PROVINCE[0])
    session.commit()


def recorder(stage: str, kind: Input) -> Role:
    """The role that records this input at the stage, as the chain's table says."""
    return KEY_VILLAGE.stage(stage).recorders(kind)[0]


def actor_for(world, role: Role, village: str) -> Actor:
    return Clerks(world.session, CODE, 2026, "").actor(role, village)


def open_villages(world, villages: list[str] | None = None) -> list[int]:
    add_upper_levels(world)
    system = system_actor(world.session)
    ids = open_cases(session=world.session, chain=CODE, year=2026, village_codes=villages or world.villages,
                     now=T0, actor=system)
    world.session.commit()
    return ids


def record(world, case_ids: list[int], now: datetime, figures: Figures = ELIGIBLE) -> None:
    for case_id, row in load_rows(world.session, case_ids).items():
        record_figures(session=world.session, case_id=case_id, stage=row.stage, figures=figures, now=now,
                       actor=actor_for(world, recorder(row.stage, Input.VILLAGE_FIGURES), row.village_code))
    world.session.commit()


def draw(world, stage: str, now: datetime, seed: int | None = 7) -> Sample | None:
    """The stage's team draws the county's sample of the villages newly at its check (None: none waits)."""
    sample = draw_county_sample(session=world.session, stage=stage, county_code=world.area.county_code, year=2026,
                                now=now, actor=actor_for(world, recorder(stage, Input.SAMPLE), world.area.county_code),
                                seed=seed)
    world.session.commit()
    return sample


def drawn_now(world, case_ids: list[int]) -> list[int]:
    """The cases drawn in the samples of their current stage visits."""
    records = [r.record_id for r in load_rows(world.session, case_ids).values()]
    return sorted(world.session.scalars(select(col(SampleCase.case_id)).where(
        col(SampleCase.stage_record_id).in_(records), col(SampleCase.drawn).is_(True))))


def finish_stage(world, case_ids: list[int], now: datetime) -> datetime:
    """Do everything the cases' current stage needs so they move on; returns the new time. At a check, the county's
    sample is drawn and the drawn villages' figures are found equal to the county's."""
    session = world.session
    stage = KEY_VILLAGE.stage(next(iter(load_rows(session, case_ids).values())).stage)
    system = system_actor(session)
    if stage.takes(Input.SAMPLE):
        draw(world, stage.code, now)
        drawn = drawn_now(world, case_ids)
        if drawn:
            record(world, drawn, now)
    elif stage.takes(Input.VILLAGE_FIGURES):
        record(world, case_ids, now)
    Clerks(session, CODE, 2026, "").decide(stage.code, now, case_ids)
    if stage.window:
        machine.post_notices(session=session, chain=CODE, stage=stage.code, scope="", year=2026, now=now,
                             actor=system)
        session.commit()
        now += timedelta(days=8)
        close_due_windows(session=session, now=now, actor=system)
        machine.release(session=session, chain=CODE, stage=stage.code, scope="", year=2026, now=now, actor=system)
        session.commit()
    return now + timedelta(days=1)


def walk_to(world, case_ids: list[int], stage: str, now: datetime) -> datetime:
    """Move the cases stage by stage until they stand at `stage`."""
    while next(iter(load_rows(world.session, case_ids).values())).stage != stage:
        now = finish_stage(world, case_ids, now)
    return now
