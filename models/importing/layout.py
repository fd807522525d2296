"""The roster's column layout (建档立卡户花名册, one row per person): each column's header, the variants a
township's own sheet may use for it, and whether it belongs to the household or to the person."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from models.core.household import INCOME_FIELDS


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    variants: tuple[str, ...] = ()
    household: bool = True  # the same for every row of a household; may be left blank on all but one

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.variants)


TOWNSHIP = Column("township", "乡（镇）", ("乡镇", "乡", "镇", "乡镇（街道）", "所在乡镇"))
VILLAGE = Column("village", "行政村", ("村", "村名", "所在村", "村（社区）"))
VILLAGE_CODE = Column("village_code", "村代码", ("行政村代码", "村区划代码", "区划代码", "统计用区划代码"))
GROUP = Column("group_name", "村民小组", ("组", "村民组", "小组", "组别"))
NUMBER = Column("number", "户编号", ("户号",))
HEAD = Column("head_name", "户主姓名", ("户主",))
SIZE = Column("size", "家庭人口", ("人数", "家庭人口数", "户人口", "家庭人数"))
REGISTERED = Column("registered_poor", "是否建档立卡贫困户", ("建档立卡贫困户", "是否贫困户"))
ALLOWANCE = Column("minimum_allowance", "是否低保户",
                   ("低保户", "是否低保", "是否享受低保", "是否享受农村居民最低生活保障"))
DESTITUTE = Column("destitute", "是否特困供养",
                   ("特困人员", "是否特困人员", "是否特困", "特困供养户", "是否五保户", "五保户"))
FLAGS = (REGISTERED, ALLOWANCE, DESTITUTE)  # 是/否; blank: 是 for the first, 否 for the others
YEAR = Column("year", "年度", ("收入年度", "统计年度"))
AMOUNTS = (
    Column("wages", INCOME_FIELDS["wages"], ("工资收入",)),
    Column("operating", INCOME_FIELDS["operating"], ("生产经营性收入", "家庭经营性收入", "经营性收入")),
    Column("property_income", INCOME_FIELDS["property_income"], ("财产收入",)),
    Column("transfer", INCOME_FIELDS["transfer"], ("转移收入",)),
    Column("expenses", INCOME_FIELDS["expenses"], ("生产经营性支出", "家庭经营费用支出", "生产经营费用支出")),
)
PER_CAPITA = Column("per_capita", "人均纯收入", ("年人均纯收入", "家庭年人均纯收入", "家庭人均纯收入"))
NAME = Column("name", "姓名", (), household=False)
RESIDENT_ID = Column("resident_id", "证件号码", ("身份证号", "身份证号码", "公民身份号码", "身份证"), household=False)
RELATION = Column("relation", "与户主关系", ("与户主的关系", "关系"), household=False)
SEX = Column("sex", "性别", (), household=False)
PHONE = Column("phone", "联系电话", ("电话", "手机号", "手机号码", "联系方式"), household=False)
RESIDENT = Column("resident", "是否常住", ("常住", "是否常住人口"), household=False)

# The order of the export and of the documentation.
COLUMNS = (TOWNSHIP, VILLAGE, VILLAGE_CODE, GROUP, NUMBER, HEAD, SIZE, *FLAGS, NAME, RESIDENT_ID, RELATION, SEX,
           PHONE, RESIDENT, YEAR, *AMOUNTS, PER_CAPITA)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = (GROUP, NUMBER, NAME, RESIDENT_ID, RELATION)  # plus 行政村 or 村代码
INCOME = (YEAR, *AMOUNTS)  # all or none
HEADER_SCAN = 10  # rows above the header (a title, a date line) are skipped


def normalize(header: str) -> str:
    """A header as compared: no spaces or line breaks, half-width brackets, no * marks, no (元) unit."""
    text = re.sub(r"\s+", "", header).replace("（", "(").replace("）", ")").strip("*＊")
    return re.sub(r"\((元|元/人|人|年)\)$", "", text)


_LOOKUP = {normalize(name): column for column in COLUMNS for name in column.names()}


def match(header: str) -> Column | None:
    """The column a header names, if any."""
    return _LOOKUP.get(normalize(header))


@dataclass(frozen=True)
class Header:
    """Where the header ends (1-based, as Excel numbers rows; data starts below) and which column index holds
    each key."""

    row: int
    positions: dict[str, int]
    titles: dict[str, str]  # the header text this file uses for each key
    duplicates: tuple[tuple[str, str], ...]  # (header text, the column it repeats)
    unused: tuple[str, ...]


def _sub_header(cells: Sequence[str], below: Sequence[str]) -> list[str] | None:
    """The two header rows as one, where the row below names columns under merged group titles
    (家庭收入情况 over 工资性收入, 家庭经营收入…) or blank cells of the first; None when it is not a header."""
    merged = list(cells) + [""] * (len(below) - len(cells))
    named = 0
    for index, cell in enumerate(below):
        if match(cell) is not None:
            if match(merged[index]) is not None:
                return None  # a value under a named column: a data row
            merged[index] = cell
            named += 1
    return merged if named else None


def find_header(rows: Sequence[tuple[int, Sequence[str]]]) -> Header | None:
    """The first of the leading rows naming at least three known columns (with its sub-header row, if any),
    read into positions."""
    for index, (number, cells) in enumerate(rows[:HEADER_SCAN]):
        if sum(1 for cell in cells if match(cell) is not None) < 3:
            continue
        following = rows[index + 1] if index + 1 < len(rows) else None
        merged = _sub_header(cells, following[1]) if following and following[0] == number + 1 else None
        if merged is not None and following is not None:
            cells, number = merged, following[0]
        positions: dict[str, int] = {}
        titles: dict[str, str] = {}
        duplicates: list[tuple[str, str]] = []
        unused: list[str] = []
        for position, cell in enumerate(cells):
            column = match(cell)
            if column is None:
                if cell.strip():
                    unused.append(cell.strip())
            elif column.key in positions:
                duplicates.append((cell.strip(), column.header))
            else:
                positions[column.key] = position
                titles[column.key] = cell.strip()
        return Header(number, positions, titles, tuple(duplicates), tuple(unused))
    return None


def describe(column: Column) -> str:
    """A column's name with its accepted variants, for a clerk."""
    if not column.variants:
        return f"“{column.header}”"
    return f"“{column.header}”（也可写作：{'、'.join(column.variants)}）"
