"""The townships a run covers: the region itself if it is one, else every township under it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from models import machine
from models.db import session_scope
from models.errors import NotFound
from models.regions import Level, Region, prefix
from tasks.context import moment


def townships_in(region_code: str) -> list[str]:
    """Codes of the townships inside (or equal to) a region."""
    with session_scope() as session:
        region = session.get(Region, region_code)
        if region is None:
            raise NotFound(f"区划代码{region_code}未登记")
        if region.level is Level.VILLAGE:
            raise NotFound(f"{region.name}是村级区划，请给出乡镇或以上的区划代码")
        return list(session.execute(
            select(col(Region.code)).where(col(Region.level) == Level.TOWNSHIP,
                                           col(Region.code).startswith(prefix(region.code, region.level)))
            .order_by(col(Region.code))
        ).scalars())


def pending_work(chain: str, scope: str, year: int, now: str | datetime | None) -> set[str]:
    """A plain read: which stages of the scope have machine work now ("windows": windows due to close)."""
    with session_scope() as session:
        return machine.pending(session=session, chain=chain, scope=scope, year=year, now=moment(now))
