"""Who enters chain B: the villages that apply, save one that exited in an earlier year."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from models.chains.village_exit.stages import CODE
from models.core.regions import Region
from models.door.opening import Entry, finished_before


def _refused(session: Session, year: int, villages: Sequence[Region]) -> dict[str, str]:
    exited = finished_before(session, CODE, year, village_codes=[v.code for v in villages])
    return {str(code): f"已于{when}年贫困村退出" for code, when in exited.items()}


ENTRY = Entry(villages=_refused)
