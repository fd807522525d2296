"""Who enters chain A in a year: the registered poor households that have not exited yet (DOMAIN §4 A)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from models.chains.household_exit.stages import CODE
from models.core.household import Household
from models.door.opening import Entry, finished_before


def _registered_poor(_session: Session, _year: int) -> ColumnElement[bool]:
    return col(Household.registered_poor).is_(True)


def _refused(session: Session, year: int, households: Sequence[Household]) -> dict[int, str]:
    exited = finished_before(session, CODE, year, household_ids=[h.id for h in households if h.id is not None])
    reasons: dict[int, str] = {}
    for household in households:
        assert household.id is not None
        if not household.registered_poor:
            reasons[household.id] = "不是建档立卡贫困户，不纳入脱贫退出"
        elif household.id in exited:
            reasons[household.id] = f"已于{exited[household.id]}年脱贫退出"
    return reasons


ENTRY = Entry(pool=_registered_poor, households=_refused)
