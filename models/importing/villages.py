"""A roster's village cells (乡（镇）, 行政村, 村代码) resolved to a registered village's code."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlmodel import Session, col

from models.core.regions import Level, Region


class Villages:
    """The registered villages and townships, read once per file."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(col(Region.code), col(Region.name), col(Region.parent_code), col(Region.level))
                               .where(col(Region.level).in_([Level.VILLAGE, Level.TOWNSHIP]))).tuples().all()
        self.townships = {code: name for code, name, _parent, level in rows if level is Level.TOWNSHIP}
        self.villages = {code: (name, parent or "") for code, name, parent, level in rows if level is Level.VILLAGE}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for code, (name, _parent) in self.villages.items():
            self.by_name[name].append(code)

    def township_of(self, code: str) -> str:
        return str(self.townships.get(self.villages[code][1], ""))

    def resolve(self, *, township: str, village: str, code: str) -> tuple[str | None, str, str]:
        """(the village code or None, the key of the column at fault, the reason) from what a row gives."""
        if code:
            if code not in self.villages:
                return None, "village_code", "不是已登记的行政村代码（应为12位统计用区划代码）"
            name = self.villages[code][0]
            if village and village != name:
                return None, "village", f"与村代码{code}对应的村名“{name}”不符"
            if township and township != self.township_of(code):
                return None, "township", f"村代码{code}属于“{self.township_of(code)}”，与所填乡（镇）不符"
            return code, "", ""
        found = self.by_name.get(village, [])
        if township:
            found = [c for c in found if self.township_of(c) == township]
        if not found:
            where = f"“{township}”中" if township else ""
            return None, "village", f"{where}没有这个已登记的行政村，请核对村名或填写村代码"
        if len(found) > 1:
            towns = "、".join(sorted({self.township_of(c) for c in found}))
            return None, "village", f"村名在多个乡（镇）重名（{towns}），请填写“乡（镇）”列或“村代码”列"
        return found[0], "", ""
