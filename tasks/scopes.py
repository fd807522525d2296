"""Plain reads a chain's flow makes before its stage tasks: the townships a run covers (the region itself if it is
one, else every township under it), and what each township's stages have to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from models.core.case import Status
from models.core.db import session_scope
from models.core.regions import Region, townships_under
from models.door import machine
from models.door.cases import CASE
from tasks.context import moment


@dataclass(frozen=True)
class Township:
    code: str
    name: str


def townships_in(region_code: str) -> list[Township]:
    """The townships inside (or equal to) a region, in code order."""
    with session_scope() as session:
        codes = townships_under(session, region_code)
        names = dict(session.execute(select(col(Region.code), col(Region.name))
                                     .where(col(Region.code).in_(codes))).tuples().all())
    return [Township(code, names[code]) for code in codes]


@dataclass(frozen=True)
class Outlook:
    """What a township's stages have to do, read at once: `todo` as machine.pending says it ("windows" when a window
    is due to close, and the stages with machine work); `occupied`: the stages where active cases are."""

    todo: frozenset[str]
    occupied: frozenset[str]

    def idle(self, stage: str) -> bool:
        """No case at the stage and no machine work: its task has nothing to read or write."""
        return stage not in self.todo and stage not in self.occupied


def outlook(chain: str, scope: str, year: int, now: str | datetime | None) -> Outlook:
    """The outlook of one township (or any region prefix) for one chain and year."""
    with session_scope() as session:
        todo = machine.pending(session=session, chain=chain, scope=scope, year=year, now=moment(now))
        occupied = session.execute(
            select(CASE.c.stage).where(CASE.c.chain == chain, CASE.c.year == year, CASE.c.status == Status.ACTIVE,
                                       CASE.c.village_code.startswith(scope)).distinct()
        ).scalars().all()
    return Outlook(frozenset(todo), frozenset(occupied))
