"""Two sweeps at once (the daily schedule and a clerk's `tuopin sweep`, or a sweep and a chain run), each in a thread
with its own session, doing what the sweep flow's tasks do, each step in a transaction of its own: close due windows,
release the cases they held, flag overdue stages. Each window closes once, each case moves once, each stage visit is
flagged once, and the audit trail holds one event for each.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from models.core.actors import system_actor
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case, StageRecord
from models.core.clock import parse
from models.core.db import session_scope
from models.core.errors import Conflict
from models.core.publicity import Window
from models.core.settings import get_settings
from models.door import machine
from models.door.engine import Result
from models.door.overdue import flag_overdue
from models.door.windows import close_due_windows
from tests.models.gate import Gate, together
from tests.walk import CHAIN, open_all, walk_to

OPENED = parse("2026-10-08 09:00")
Step = Callable[[Session], Any]


def _close(now: datetime) -> Step:
    def step(session: Session) -> list[int]:
        closed = close_due_windows(session=session, now=now, actor=system_actor(session))
        session.commit()
        return closed
    return step


def _release(now: datetime) -> Step:
    def step(session: Session) -> Result:
        result = machine.release(session=session, chain=CHAIN, stage="PUBLICITY", scope="", year=None, now=now,
                                 actor=system_actor(session))
        session.commit()
        return result
    return step


def _flag(now: datetime) -> Step:
    def step(session: Session) -> int:
        flagged = flag_overdue(session=session, now=now, actor=system_actor(session))
        session.commit()
        return flagged
    return step


def _retried(database: str, step: Step, retries: int = 2) -> Any:
    """A step as the sweep's task runs it: a Conflict (nothing written) is retried."""
    for attempt in range(retries + 1):
        try:
            with session_scope(database) as session:
                return step(session)
        except Conflict:
            if attempt == retries:
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def posted(world, monkeypatch) -> tuple[list[int], list[int], datetime]:
    """The first township's cases posted in village notices, the second's left undecided at the first stage;
    returns both lists of cases and a moment after the notices' windows end and the first stage's deadline."""
    for copy in ("TUOPIN_PDF", "TUOPIN_DOCX"):  # the notices' HTML is enough here
        monkeypatch.setenv(copy, "false")
    get_settings.cache_clear()
    ids = open_all(world, OPENED)
    township = world.township[:9]
    villages = dict(world.session.execute(select(col(Case.id), col(Case.village_code)).where(col(Case.id).in_(ids)))
                    .tuples().all())
    first = [i for i in ids if villages[i].startswith(township)]
    second = [i for i in ids if not villages[i].startswith(township)]
    now = walk_to(world, first, "PUBLICITY", OPENED)
    machine.post_notices(session=world.session, chain=CHAIN, stage="PUBLICITY", scope=township, year=2026, now=now,
                         actor=system_actor(world.session))
    world.session.commit()
    return first, second, now + timedelta(days=8)


def _counts(database: str) -> dict[str, Any]:
    with session_scope(database) as session:
        events = session.execute(select(col(AuditEvent.action), col(AuditEvent.case_id),
                                        col(AuditEvent.detail))).tuples().all()
        return {
            "events": len(events),
            "closes": Counter(json.loads(d)["window"] for a, _, d in events if a == "WINDOW.CLOSE"),
            "advances": Counter(c for a, c, _ in events if a == f"{CHAIN}.ADVANCE"),
            "overdue": Counter(c for a, c, _ in events if a == "STAGE.OVERDUE"),
            "windows": session.execute(select(col(Window.id), col(Window.closed_at))).tuples().all(),
            "cases": dict(session.execute(select(col(Case.id), col(Case.stage))).tuples().all()),
            "versions": dict(session.execute(select(col(Case.id), col(Case.version))).tuples().all()),
            "requests": Counter(session.scalars(select(col(StageRecord.case_id))
                                                .where(col(StageRecord.stage) == "COUNTY_REQUEST")).all()),
            "flagged": session.scalar(select(func.count()).select_from(StageRecord)
                                      .where(col(StageRecord.overdue_at).is_not(None))),
            "broken": first_broken(session),
        }


def _each_once(database: str, posted_cases: list[int], late_cases: list[int], now: datetime,
               before: dict[str, Any]) -> None:
    after = _counts(database)
    windows = [w for w, _ in after["windows"]]
    assert windows and all(closed == now for _, closed in after["windows"])
    assert after["closes"] == Counter(windows)
    assert after["advances"] == Counter(posted_cases)
    assert all(after["cases"][c] == "COUNTY_REQUEST" for c in posted_cases)
    assert all(after["versions"][c] == before["versions"][c] + 1 for c in posted_cases)
    assert after["requests"] == Counter(posted_cases)
    assert after["overdue"] == Counter(late_cases)
    assert after["flagged"] == len(late_cases)
    assert after["events"] == before["events"] + len(windows) + len(posted_cases) + len(late_cases)
    assert after["broken"] is None


def test_two_sweeps_in_lockstep_do_each_thing_once(database, posted):
    """Behind a gate at every step, both sweeps read the same due work before either writes."""
    posted_cases, late_cases, now = posted
    before = _counts(database)
    with Gate(database, "window") as gate:
        closed = together(database, [_close(now)] * 2, gate)
    assert sorted(len(c) for c in closed) == [0, len({w for w, _ in before["windows"]})]
    with Gate(database, "case") as gate:
        released = together(database, [_release(now)] * 2, gate)
    moved = [r for r in released if isinstance(r, Result)]
    assert len(moved) == 1 and sorted(moved[0].moved) == sorted(posted_cases)
    conflicts = [r for r in released if isinstance(r, Conflict)]
    assert len(conflicts) == 1, released
    again = _retried(database, _release(now))  # what the task's retry does after a Conflict
    assert (again.moved, again.refused) == ([], {})
    with Gate(database, "stagerecord") as gate:
        flagged = together(database, [_flag(now)] * 2, gate)
    assert sorted(flagged) == [0, len(late_cases)]
    _each_once(database, posted_cases, late_cases, now, before)


def test_two_whole_sweeps_at_once_do_each_thing_once(database, posted):
    posted_cases, late_cases, now = posted
    before = _counts(database)

    def sweep(session: Session) -> None:
        for step in (_close(now), _release(now), _flag(now)):
            _retried(database, step)

    assert together(database, [sweep] * 2) == [None, None]
    _each_once(database, posted_cases, late_cases, now, before)
