"""Who enters chain C: the households that apply (农户申请), save a registered poor household and those the year's
standard keeps off the edge list by their status (seed 002: 低保户、特困人员等群体暂不列入); income is checked later,
at the home verification."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from models.chains.edge_identify.policy import EDGE_EXCLUSION_NAMES
from models.chains.edge_identify.standards import standard_for
from models.core.household import Household
from models.door.opening import Entry


def _refused(_session: Session, year: int, households: Sequence[Household]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    for household in households:
        assert household.id is not None
        if household.registered_poor:
            reasons[household.id] = "是建档立卡贫困户，不能申请贫困边缘户"
            continue
        standard = standard_for(household.village_code, year)
        excluded = [flag for flag in (standard.excluded if standard else ()) if getattr(household, flag)]
        if excluded:
            reasons[household.id] = f"属{EDGE_EXCLUSION_NAMES[excluded[0]]}，按规定暂不列入贫困边缘户"
    return reasons


ENTRY = Entry(applies=True, households=_refused)
