"""A small township whose cases wait at five different points of the household exit chain, so that one run of the
chain's flow does the machine's part of several stages: close a window, release its cases, post a village notice,
write the township's request letter, draw a sample, write a spot-check form and post the county announcement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.core.actors import system_actor
from models.core.case import Case
from models.core.clock import parse
from models.door import machine
from synthetic.area import Area, build_area
from synthetic.clerks import Clerks
from tests.walk import CHAIN, open_all, walk_to

YEAR = 2026


@dataclass
class Township:
    session: Session
    area: Area

    @property
    def code(self) -> str:
        return self.area.townships[0]

    @property
    def villages(self) -> list[str]:
        return self.area.villages[self.code]


def build_township(session: Session) -> tuple[str, datetime]:
    """Five villages of three households; returns the township's code and the moment to run the flow at.

    Village 1 is approved by the county, awaiting its announcement (and its finished sample's form); villages 2
    and 3 wait at the county re-check for their samples, and with village 1 for the township's request letter
    (village 3 was approved by the township last); village 4's notice window has ended; village 5 passed the home
    check, awaiting its notice.
    """
    area = build_area(session, townships=1, villages_per_township=5, households=15, people=45, year=YEAR, seed=11)
    session.commit()
    world = Township(session, area)
    start = parse("2026-10-08 09:00")
    ids = open_all(world, start)
    by_village: dict[str, list[int]] = {v: [] for v in world.villages}
    for case_id, village in session.execute(select(col(Case.id), col(Case.village_code)).where(col(Case.id).in_(ids))
                                            .order_by(col(Case.id))).tuples():
        by_village[village].append(case_id)
    groups = [by_village[v] for v in world.villages]
    clerks = Clerks(session, CHAIN, YEAR, "")
    latest = walk_to(world, groups[0], "COUNTY_APPROVAL", start)
    clerks.decide("COUNTY_APPROVAL", latest, groups[0])
    latest = max(latest, walk_to(world, groups[1], "COUNTY_RECHECK", start))
    latest = max(latest, walk_to(world, groups[2], "COUNTY_REQUEST", start))
    clerks.decide("COUNTY_REQUEST", latest, groups[2])
    latest = max(latest, walk_to(world, groups[4], "PUBLICITY", start))
    latest = max(latest, walk_to(world, groups[3], "PUBLICITY", start))
    machine.post_notices(session=session, chain=CHAIN, stage="PUBLICITY", scope=world.villages[3], year=YEAR,
                         now=latest, actor=system_actor(session))
    session.commit()
    return world.code, latest + timedelta(days=8)
