"""Two runs of a chain's flow over the same township at once (the sweep asks for one while a clerk starts
another): each notice is posted once, each village sampled once, each letter written once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from models.core.actors import system_actor
from models.core.audit import first_broken
from models.core.case import Case
from models.core.clock import parse
from models.core.db import session_scope
from models.core.document import Document
from models.core.publicity import Window, WindowCase
from models.door import machine
from models.door.sampling import Sample
from tests.models.gate import Gate, together
from tests.walk import CHAIN, open_all, walk_to

OPENED = parse("2026-10-08 09:00")
RUNS = 3


pytestmark = pytest.mark.usefixtures("html_only")


def _cases_at(world, stage: str) -> tuple[dict[int, str], str, datetime]:
    """Every case walked to `stage`; returns the first township's cases with their villages, its prefix, the time."""
    ids = open_all(world, OPENED)
    now = walk_to(world, ids, stage, OPENED)
    township = world.township[:9]
    villages = dict(world.session.execute(select(col(Case.id), col(Case.village_code)).where(col(Case.id).in_(ids)))
                    .tuples().all())
    return {c: v for c, v in villages.items() if v.startswith(township)}, township, now


def _post(township: str, now: datetime):
    def step(session: Session) -> int:
        posted = machine.post_notices(session=session, chain=CHAIN, stage="PUBLICITY", scope=township, year=2026,
                                      now=now, actor=system_actor(session))
        session.commit()
        return posted
    return step


def _draw(township: str, now: datetime):
    def step(session: Session) -> int:
        drawn = machine.draw_samples(session=session, chain=CHAIN, stage="COUNTY_RECHECK", scope=township, year=2026,
                                     now=now, actor=system_actor(session))
        session.commit()
        return drawn
    return step


@pytest.mark.parametrize("gated", [True, False], ids=["lockstep", "free"])
def test_notices_are_posted_once_when_two_runs_post_at_once(database, world, gated):
    cases, township, now = _cases_at(world, "PUBLICITY")
    calls = [_post(township, now)] * RUNS
    if gated:
        with Gate(database, "case") as gate:
            outcomes = together(database, calls, gate)
    else:
        outcomes = together(database, calls)
    assert sorted(outcomes) == [0] * (RUNS - 1) + [len(cases)], outcomes
    with session_scope(database) as session:
        links = Counter(session.scalars(select(col(WindowCase.case_id))).all())
        windows = session.scalar(select(func.count()).select_from(Window))
        notices = session.scalar(select(func.count()).select_from(Document)
                                 .where(col(Document.kind) == "village_notice"))
        assert links == Counter(list(cases))  # every case of the township in exactly one window
        assert windows == notices == len(set(cases.values()))  # one window and one notice per village
        assert first_broken(session) is None


def test_each_village_is_sampled_once_when_two_runs_draw_at_once(database, world):
    cases, township, now = _cases_at(world, "COUNTY_RECHECK")
    with Gate(database, "case") as gate:
        outcomes = together(database, [_draw(township, now + timedelta(hours=1))] * RUNS, gate)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    with session_scope(database) as session:
        per_village = Counter(session.scalars(select(col(Sample.village_code))).all())
    assert per_village and set(per_village.values()) == {1}
    assert sum(outcomes) == len(per_village)
