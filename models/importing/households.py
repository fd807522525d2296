"""A household assembled from its rows (one per person, joined by 户编号): its rows must agree, it has one head,
a registered village in the importer's area and, where the file has incomes, a complete year of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from models.core.actors import Actor
from models.core.household import IncomeBase
from models.home_checks.standards import per_capita_net_income, round_yuan
from models.importing.layout import AMOUNTS, FLAGS, INCOME, PER_CAPITA, REGISTERED
from models.importing.problems import Problem, shown
from models.importing.rows import HEAD, Person, Row, RowReader
from models.importing.villages import Villages

Missing = Callable[[str, str], None]


@dataclass
class Planned:
    """A household ready to be written."""

    number: str
    village_code: str
    group_name: str
    head_name: str
    phone: str
    registered_poor: bool
    minimum_allowance: bool
    destitute: bool
    members: list[Person]
    income: IncomeBase | None


def group(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Rows by 户编号, in the order households first appear (rows without one are already reported)."""
    households: dict[str, list[Row]] = {}
    for row in rows:
        if row.household_number:
            households.setdefault(row.household_number, []).append(row)
    return households


class HouseholdCheck:
    """The household-level rules, reporting through the file's row reader."""

    def __init__(self, reader: RowReader, villages: Villages, actor: Actor) -> None:
        self.reader, self.villages, self.actor = reader, villages, actor
        self.has_income = all(c.key in reader.header.positions for c in INCOME)

    def bad(self, row: int, key: str, value: str, reason: str) -> None:
        self.reader.problems.append(Problem(row, self.reader.title(key), shown(value), reason))

    def agreed(self, number: str, rows: list[Row]) -> dict[str, tuple[object, Row]]:
        """Each household column's value and the row it was first given on; a later row giving another is bad."""
        found: dict[str, tuple[object, Row]] = {}
        for row in rows:
            for key, value in row.values.items():
                if key not in found:
                    found[key] = (value, row)
                elif value != found[key][0]:
                    first = found[key][1]
                    self.bad(row.number, key, row.shown[key],
                             f"同一户（户编号{number}）各行应一致：第{first.number}行填的是“{first.shown[key]}”")
        return found

    def check(self, number: str, rows: list[Row]) -> Planned | None:
        """The household, or None when one of its rules is broken (each reported)."""
        before = len(self.reader.problems)
        found = self.agreed(number, rows)
        heads = [row for row in rows if row.relation == HEAD]
        anchor = heads[0] if heads else rows[0]  # where a missing household value is reported

        def value(key: str) -> object:
            return found[key][0] if key in found else None

        def missing(key: str, reason: str) -> None:
            if not any(key in row.bad for row in rows):
                self.bad(anchor.number, key, "", reason)

        if not heads:
            self.bad(rows[0].number, "relation", rows[0].relation,
                     f"户编号{number}的各行中没有“户主”，每户须有且只有1名户主")
        for extra in heads[1:]:
            self.bad(extra.number, "relation", HEAD,
                     f"户编号{number}已有户主（第{heads[0].number}行），每户只能有1名户主")
        code = self._village(number, found, missing)
        if value("group_name") is None:
            missing("group_name", f"户编号{number}的各行都没有填写村民小组")
        members = [row.person for row in rows if row.person is not None]
        complete = len(members) == len(rows)
        head = next((p for p in members if p.relation == HEAD), None)
        if head is not None and value("head_name") not in (None, head.name):
            self.bad(found["head_name"][1].number, "head_name", str(value("head_name")),
                     f"与户主行（第{head.row}行）的姓名“{head.name}”不符")
        size = value("size")
        if size is not None and size != len(rows):
            self.bad(found["size"][1].number, "size", str(size),
                     f"户编号{number}在文件中有{len(rows)}行（人），与家庭人口不符")
        if complete and not any(p.resident for p in members):
            self.bad(rows[0].number, "resident", "否", f"户编号{number}没有常住成员，人均纯收入无法计算")
        income = self._income(number, found, missing, members if complete else None) if self.has_income else None
        if len(self.reader.problems) > before or head is None or code is None or not complete:
            return None
        flags = {c.key: bool(value(c.key)) if c.key in found else c is REGISTERED for c in FLAGS}
        return Planned(number, code, str(value("group_name")), head.name, head.phone, flags["registered_poor"],
                       flags["minimum_allowance"], flags["destitute"], members, income)

    def _village(self, number: str, found: dict[str, tuple[object, Row]], missing: Missing) -> str | None:
        given = {key: str(found[key][0]) if key in found else "" for key in ("township", "village", "village_code")}
        if not given["village"] and not given["village_code"]:
            missing("village", f"户编号{number}的各行都没有填写行政村")
            return None
        code, key, reason = self.villages.resolve(township=given["township"], village=given["village"],
                                                  code=given["village_code"])
        if code is None:
            row = found[key][1]  # the column at fault is always one the household filled
            self.bad(row.number, key, row.shown[key], reason)
            return None
        if not self.actor.covers(code):
            key = "village_code" if "village_code" in found else "village"
            self.bad(found[key][1].number, key, found[key][1].shown[key], f"不在{self.actor.title()}的辖区内，不能导入")
            return None
        return code

    def _income(self, number: str, found: dict[str, tuple[object, Row]], missing: Missing,
                members: list[Person] | None) -> IncomeBase | None:
        """The household's year of income; its 人均纯收入, where given, must match the parts (to the yuan)."""
        absent = [c for c in INCOME if c.key not in found]
        for column in absent:
            missing(column.key, f"户编号{number}的各行都没有填写{column.header}（没有这项收支的填0）")
        if absent:
            return None
        income = IncomeBase.model_validate({"year": found["year"][0], **{c.key: found[c.key][0] for c in AMOUNTS}})
        residents = sum(1 for p in members or () if p.resident)
        given = found.get(PER_CAPITA.key)
        if given is not None and residents:
            computed = round_yuan(per_capita_net_income(income, residents))
            if abs(Decimal(str(given[0])) - computed) >= 1:
                self.bad(given[1].number, PER_CAPITA.key, given[1].shown[PER_CAPITA.key],
                         f"与各项收支按{residents}名常住成员算出的{computed}元不符（(四项收入−生产经营费用支出)÷常住人口）")
        return income

