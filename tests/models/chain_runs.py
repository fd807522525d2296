"""Each chain walked to its end as an office runs it: people's entries and decisions through the one door, and after
each step the machine's part of every stage in each township (as the chain's flow runs it), on synthetic data alone.

Run as a program (`python -m tests.models.chain_runs CHAIN`, on the database the settings name) it walks the chain
and prints, as JSON, how many documents of each kind the run wrote, what a second run owes and renders, and the modules
of the `demo` package it imported,
for tests/models/test_document_registry.py; a fresh interpreter, so nothing another test imported counts.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlmodel import col, select

from models.chains.rectification.findings import FindingInput, record_findings, report_fix
from models.chains.relative_identify.city_check import draw_city_samples, record_city_check
from models.chains.relative_identify.record import RelativeRecordBase, write_record
from models.core.actors import Role, add_actor, system_actor
from models.core.case import Case, Status
from models.core.db import session_scope
from models.core.document import Document
from models.core.regions import townships_under
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.chain import Input, Sampler, chain_named
from models.door.sampling import SampleCase
from models.door.windows import close_due_windows
from synthetic.area import build_area
from synthetic.clerks import Clerks
from synthetic.edge_identify import Applicant as EdgeApplicant
from synthetic.relative_identify import Applicant as RelativeApplicant
from synthetic.relative_identify import add_applicants, city_team
from tests import edge_walk, key_village_walk, monitoring_walk, village_walk, walk
from tests.conftest import World

YEAR = 2026
Finish = Callable[[World, list[int], datetime], datetime]


def sweep(world: World, chain: str, now: datetime) -> None:
    """The machine's part of every stage of the chain, township by township: close due windows, move the cases they
    released, post notices, draw the machine's samples, render the papers whose inputs are complete."""
    session = world.session
    system = system_actor(session)
    close_due_windows(session=session, now=now, actor=system)
    for township in townships_under(session, world.area.county_code):
        scope = township[:9]
        for stage in chain_named(chain).stages:
            if stage.window:
                machine.release(session=session, chain=chain, stage=stage.code, scope=scope, year=YEAR, now=now,
                                actor=system)
                machine.post_notices(session=session, chain=chain, stage=stage.code, scope=scope, year=YEAR,
                                     now=now, actor=system)
            if stage.sampling is Sampler.MACHINE:
                machine.draw_samples(session=session, chain=chain, stage=stage.code, scope=scope, year=YEAR, now=now,
                                     actor=system)
            machine.render_ready_documents(session=session, chain=chain, stage=stage.code, scope=scope, year=YEAR,
                                           now=now)
        session.commit()


def walk_all(world: World, chain: str, case_ids: list[int], finish: Finish, now: datetime) -> None:
    """Finish the earliest stage any active case stands at, then sweep, until every case is done."""
    order = [s.code for s in chain_named(chain).stages]
    for _ in range(4 * len(order)):
        active = [r for r in load_rows(world.session, case_ids).values() if r.status == Status.ACTIVE]
        if not active:
            return
        stage = min({r.stage for r in active}, key=order.index)
        now = finish(world, [r.id for r in active if r.stage == stage], now)
        world.session.expire_all()
        sweep(world, chain, now)
    raise AssertionError(f"{chain}: cases still active at {sorted({r.stage for r in active})}")


def relative_finish(world: World, case_ids: list[int], now: datetime) -> datetime:
    """Chain E's stages: the windows run out; the city draws and re-checks; the record cards are filled in."""
    session, code = world.session, "RELATIVE_IDENTIFY"
    stage = chain_named(code).stage(next(iter(load_rows(session, case_ids).values())).stage)
    system = system_actor(session)
    if stage.window:
        machine.post_notices(session=session, chain=code, stage=stage.code, scope="", year=YEAR, now=now, actor=system)
        session.commit()
        return now + timedelta(days=8)
    clerks = Clerks(session, code, YEAR, "")
    if stage.takes(Input.SAMPLE):
        team = city_team(session)
        draw_city_samples(session=session, chain=code, year=YEAR, scope="", now=now, actor=team, seed=7)
        drawn = session.scalars(select(col(SampleCase.case_id)).where(
            col(SampleCase.case_id).in_(case_ids), col(SampleCase.drawn).is_(True))).all()
        for case_id in drawn:
            record_city_check(session=session, case_id=case_id, actor=team, now=now)
    if stage.takes(Input.RECORD_CARD):
        for case_id, actor in clerks.assign(stage.code, case_ids).items():
            write_record(session=session, case_id=case_id, actor=actor, now=now, data=RelativeRecordBase(
                cause="缺劳力", helper="帮扶干部", three_year_plan="三年帮扶规划", yearly_plan="年度帮扶计划",
                has_labour=False))
    session.commit()
    clerks.decide(stage.code, now, case_ids)
    session.commit()
    return now + timedelta(days=1)


def rectification_finish(world: World, case_ids: list[int], now: datetime) -> datetime:
    """Chain G's stages: the units report their fixes with evidence (which moves them); the others decide."""
    session, code = world.session, "RECTIFICATION"
    stage = chain_named(code).stage(next(iter(load_rows(session, case_ids).values())).stage)
    clerks = Clerks(session, code, YEAR, "")
    if stage.takes(Input.FIX):
        for case_id, unit in clerks.assign(stage.code, case_ids).items():
            report_fix(session=session, case_id=case_id, action="已整改", evidence="整改照片2张", actor=unit, now=now)
    else:
        clerks.decide(stage.code, now, case_ids)
    session.commit()
    return now + timedelta(days=1)


def monitoring_finish(setup: monitoring_walk.Setup) -> Finish:
    def finish(world: World, case_ids: list[int], now: datetime) -> datetime:
        for case_id in case_ids:
            monitoring_walk.finish(setup, case_id, now)
        world.session.commit()
        return now + timedelta(days=1)
    return finish


def run(world: World, chain: str) -> None:
    """Walk the chain's cases of the world's first township (or all its households) to the end."""
    session = world.session
    system = system_actor(session)
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    if chain == "HOUSEHOLD_EXIT":
        walk_all(world, chain, walk.open_all(world, start), walk.finish_stage, start)
    elif chain == "VILLAGE_EXIT":
        walk_all(world, chain, village_walk.open_villages(world), village_walk.finish_stage, village_walk.T0)
    elif chain == "EDGE_IDENTIFY":
        ids = edge_walk.apply_households(world, EdgeApplicant(0, 3, Decimal("10800")),
                                         EdgeApplicant(1, 2, Decimal("7600")))
        walk_all(world, chain, ids, edge_walk.finish_stage, edge_walk.T0)
    elif chain == "KEY_VILLAGE":
        walk_all(world, chain, key_village_walk.open_villages(world), key_village_walk.finish_stage,
                 key_village_walk.T0)
    elif chain == "RELATIVE_IDENTIFY":
        city_team(session)
        applicants = [RelativeApplicant(0, 3, Decimal("4200")), RelativeApplicant(1, 2, Decimal("3000"))]
        households = add_applicants(session, world.villages, YEAR, random.Random(5), applicants)
        ids = open_cases(session=session, chain=chain, year=YEAR, household_ids=households, now=start, actor=system)
        session.commit()
        walk_all(world, chain, ids, relative_finish, start)
    elif chain == "MONITORING":
        setup = monitoring_walk.setup(world)
        cases = [case for village in world.villages[:2] for case in monitoring_walk.warn(
            setup, village, {monitoring_walk.households(setup, village)[0]: ["housing"]}).values()]
        walk_all(world, chain, cases, monitoring_finish(setup), monitoring_walk.CONFIRM_AT)
    elif chain == "RECTIFICATION":
        for village in world.villages[:2]:
            add_actor(session, name=f"整改责任人{village[-3:]}", role=Role.RECTIFICATION_UNIT, region_code=village)
        team = Clerks(session, chain, YEAR, "").actor(Role.COUNTY_RECHECK_TEAM, world.villages[0])
        ids = record_findings(session=session, year=YEAR, actor=team, now=start, findings=[
            FindingInput(village, "1-1", found="收入调查表照搬上年数据", unit="帮扶责任人")
            for village in world.villages[:2]])
        session.commit()
        walk_all(world, chain, ids, rectification_finish, start)
    else:
        raise AssertionError(f"no run for {chain}")


def main(chain: str) -> None:
    with session_scope() as session:
        area = build_area(session, townships=2, villages_per_township=3, households=24, people=72, year=YEAR, seed=7)
        session.commit()
        world = World(session, area)
        run(world, chain_named(chain).code)
        kinds = dict(Counter(session.scalars(select(col(Document.kind)).where(col(Document.chain) == chain))))
        open_left = session.scalars(select(col(Case.stage)).where(col(Case.chain) == chain,
                                                                  col(Case.status) == Status.ACTIVE)).all()
        # Run again a year later: nothing is owed any more, and nothing is rendered twice.
        later = datetime(YEAR + 1, 1, 1, tzinfo=UTC)
        scopes = [t[:9] for t in townships_under(session, area.county_code)]
        owed = sorted({work for scope in scopes for work in machine.pending(
            session=session, chain=chain, scope=scope, year=YEAR, now=later)})
        again = sum(machine.render_ready_documents(session=session, chain=chain, stage=stage.code, scope=scope,
                                                   year=YEAR, now=later)
                    for scope in scopes for stage in chain_named(chain).stages)
    demo = sorted(m for m in sys.modules if m == "demo" or m.startswith("demo."))
    print(json.dumps({"kinds": kinds, "active": list(open_left), "owed": owed, "again": again,  # noqa: T201
                      "demo": demo}))


if __name__ == "__main__":
    main(sys.argv[1])
