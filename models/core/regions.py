"""Regions from province to village, identified by 12-digit statistical division codes."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlmodel import Field, Session, SQLModel, col

from models.core.errors import NotFound


class Level(StrEnum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"
    VILLAGE = "VILLAGE"


LEVEL_NAMES = {
    Level.PROVINCE: "省级",
    Level.CITY: "市级",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇级",
    Level.VILLAGE: "村级",
}

# Significant leading digits of a code at each level (GB/T 2260 + 3 township + 3 village digits).
PREFIX_DIGITS = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}


class RegionBase(SQLModel):
    code: str = Field(primary_key=True, min_length=12, max_length=12)
    name: str
    level: Level
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True)
    office_name: str = Field(default="", description="the issuing organ, e.g. 示范镇人民政府 / 某村村民委员会")
    doc_prefix: str = Field(default="", description="organ code of document numbers, e.g. 示镇政 in 示镇政〔2026〕15号")
    contact_name: str = Field(default="", description="the office's contact person printed on documents")
    contact_phone: str = Field(default="", description="the office's own phone, printed in full")


class Region(RegionBase, table=True):
    pass


def prefix(code: str, level: Level) -> str:
    """The part of a code that every region inside it shares."""
    return code[: PREFIX_DIGITS[level]]


def code_prefix(code: str) -> str:
    """The shared prefix of a full 12-digit code (a code shorter than 12 digits is taken as a prefix already)."""
    if len(code) != 12:
        return code
    return next(code[:d] for d in sorted(PREFIX_DIGITS.values()) if set(code[d:]) <= {"0"})


def contains(outer_code: str, outer_level: Level, inner_code: str) -> bool:
    """Whether the region `outer_code` (at `outer_level`) contains or is `inner_code`."""
    return inner_code.startswith(prefix(outer_code, outer_level))


def townships_under(session: Session, code: str) -> list[str]:
    """Codes of the townships inside (or equal to) a registered region; NotFound for a village or an unknown code."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound(f"区划代码“{code}”未登记")
    if region.level is Level.VILLAGE:
        raise NotFound(f"{region.name}是村级区划，请给出乡镇或以上的区划代码")
    return list(session.execute(
        select(col(Region.code)).where(col(Region.level) == Level.TOWNSHIP,
                                       col(Region.code).startswith(prefix(region.code, region.level)))
        .order_by(col(Region.code))
    ).scalars())


# The digits of each level's own part of a code: province 43, city 01, county 21, township 101, village 201.
_SEGMENTS = ((Level.PROVINCE, 0, 2), (Level.CITY, 2, 4), (Level.COUNTY, 4, 6), (Level.TOWNSHIP, 6, 9),
             (Level.VILLAGE, 9, 12))


def level_of(code: str) -> Level | None:
    """The level a 12-digit code names (its last non-zero part), or None when it names none: not 12 digits, or a
    part above its level left at zero (430000101000 is no township)."""
    if len(code) != 12 or not code.isascii() or not code.isdigit():
        return None
    level = next(lv for lv, d in sorted(PREFIX_DIGITS.items(), key=lambda item: item[1]) if set(code[d:]) <= {"0"})
    for part, start, end in _SEGMENTS:
        if set(code[start:end]) <= {"0"}:
            return None
        if part is level:
            return level
    return None


def parent_code(code: str, level: Level) -> str | None:
    """The code of the region directly above (a village's township, a township's county...); None for a province."""
    above = [lv for lv, _, _ in _SEGMENTS]
    index = above.index(level)
    if index == 0:
        return None
    return prefix(code, above[index - 1]).ljust(12, "0")
