"""Who enters chain F in a year: the households that a monitoring campaign of the year covers (its township or
county, models/chains/monitoring/campaign.py); a round's warnings open the rest of them as the year goes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, or_
from sqlmodel import Session, col, select

from models.chains.monitoring.tables import MonitoringCampaign
from models.core.household import Household
from models.core.regions import code_prefix
from models.door.opening import Entry


def _campaigns(session: Session, year: int) -> list[str]:
    """The region prefixes of the year's campaigns."""
    codes = session.exec(select(MonitoringCampaign.region_code).where(MonitoringCampaign.year == year)).all()
    return [code_prefix(code) for code in codes]


def _covered(session: Session, year: int) -> ColumnElement[bool]:
    prefixes = _campaigns(session, year)
    return or_(*(col(Household.village_code).startswith(p) for p in prefixes)) if prefixes else false()


def _refused(session: Session, year: int, households: Sequence[Household]) -> dict[int, str]:
    prefixes = _campaigns(session, year)
    return {h.id: f"所在乡镇和县未部署{year}年度防止返贫监测工作" for h in households
            if h.id is not None and not any(h.village_code.startswith(p) for p in prefixes)}


ENTRY = Entry(pool=_covered, households=_refused)
