"""The townships a run covers: the region itself if it is one, else every township under it."""

from __future__ import annotations

from datetime import datetime

from models.core.db import session_scope
from models.core.regions import townships_under
from models.door import machine
from tasks.context import moment


def townships_in(region_code: str) -> list[str]:
    """Codes of the townships inside (or equal to) a region."""
    with session_scope() as session:
        return townships_under(session, region_code)


def pending_work(chain: str, scope: str, year: int, now: str | datetime | None) -> set[str]:
    """A plain read: which stages of the scope have machine work now ("windows": windows due to close)."""
    with session_scope() as session:
        return machine.pending(session=session, chain=chain, scope=scope, year=year, now=moment(now))
