"""What the township's per-household forms share (入户核查表 of the household exit, 入户核实登记表 of the edge and
relative-poor identifications): a sheet per household to sign, the items checked beside the income computed from its
parts. The templates' half is templates/_household_sheet.html.j2."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from models.core.household import IncomeBase
from models.documents.render import yuan

PARTS = (("wages", "工资性收入"), ("operating", "家庭经营收入"), ("property_income", "财产性收入"),
         ("transfer", "转移性收入"))
# One row of a sheet's check table: (item, answer, income line, amount), either half blank when the other is longer.
Line = tuple[str, str, str, str]


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def income_lines(record: IncomeBase | None, residents: int) -> list[tuple[str, str]]:
    """一算 line by line: the four parts of the income, the production expenses and the resident members (the
    amounts blank where the household has no income record for the year)."""
    amounts = [yuan(getattr(record, key)) if record is not None else "" for key, _ in PARTS]
    lines = [(f"{label}（元）", amount) for (_, label), amount in zip(PARTS, amounts, strict=True)]
    expenses = yuan(record.expenses) if record is not None else ""
    return lines + [("生产经营性支出（元）", expenses), ("常住人口（人）", str(residents))]


def side_by_side(items: Sequence[tuple[str, str]], sums: Sequence[tuple[str, str]]) -> tuple[Line, ...]:
    """The items checked beside the income lines, row by row, so that a household's sheet stays one page."""
    return tuple((item, answer, part, amount)
                 for (item, answer), (part, amount) in zip_longest(items, sums, fillvalue=("", "")))
