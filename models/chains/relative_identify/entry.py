"""Who enters chain E: the households that apply (seed 004, 农户申请), save one already registered as poor (建档立卡),
which the chain's identification would only register again."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from models.core.household import Household
from models.door.opening import Entry


def _refused(_session: Session, _year: int, households: Sequence[Household]) -> dict[int, str]:
    return {h.id: "已是建档立卡贫困户，不能申请相对贫困户识别" for h in households
            if h.id is not None and h.registered_poor}


ENTRY = Entry(applies=True, households=_refused)
