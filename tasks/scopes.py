"""The townships a run covers: the region itself if it is one, else every township under it."""

from __future__ import annotations

from sqlalchemy import select

from models.db import session_scope
from models.errors import NotFound
from models.regions import Level, Region, prefix


def townships_in(region_code: str) -> list[str]:
    """Codes of the townships inside (or equal to) a region."""
    with session_scope() as session:
        region = session.get(Region, region_code)
        if region is None:
            raise NotFound(f"区划代码{region_code}未登记")
        if region.level is Level.VILLAGE:
            raise NotFound(f"{region.name}是村级区划，请给出乡镇或以上的区划代码")
        return list(session.execute(
            select(Region.code).where(Region.level == Level.TOWNSHIP,
                                      Region.code.startswith(prefix(region.code, region.level)))  # type: ignore[attr-defined]
            .order_by(Region.code)
        ).scalars())
