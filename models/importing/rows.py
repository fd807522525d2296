"""One data row read cell by cell: the person it describes and the household values it fills, every bad cell
reported with its row, column and reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from models.importing import cells
from models.importing.layout import AMOUNTS, BY_KEY, FLAGS, PER_CAPITA, Header
from models.importing.problems import Problem, shown
from models.importing.reading import Cell, text


@dataclass(frozen=True)
class Person:
    row: int
    name: str
    resident_id: str
    relation: str
    sex: str
    phone: str
    resident: bool


@dataclass
class Row:
    number: int  # as Excel shows it
    household_number: str
    relation: str = ""
    resident_id: str | None = None  # when valid, even if another cell of the row is bad
    values: dict[str, object] = field(default_factory=dict)  # the household columns this row fills, read
    shown: dict[str, str] = field(default_factory=dict)  # the same cells' text as the clerk typed it
    person: Person | None = None  # None when a cell of the person is bad (already reported)
    bad: set[str] = field(default_factory=set)  # household columns whose cell here is bad (already reported)


T = TypeVar("T")
HEAD = "户主"
_TEXT = ("township", "village", "village_code", "group_name", "head_name")


def _readers(today: date) -> dict[str, Callable[[Cell], object]]:
    readers: dict[str, Callable[[Cell], object]] = dict.fromkeys(_TEXT, text)
    readers.update({"size": cells.count, **{c.key: cells.yes_no for c in FLAGS},
                    "year": lambda value: cells.year(value, today), PER_CAPITA.key: cells.amount})
    readers.update({c.key: cells.amount for c in AMOUNTS})
    return readers


class RowReader:
    """Reads data rows of one file under its header, adding each bad cell to `problems`."""

    def __init__(self, header: Header, today: date, problems: list[Problem]) -> None:
        self.header, self.today, self.problems = header, today, problems
        self.readers = {k: f for k, f in _readers(today).items() if k in header.positions}

    def title(self, key: str) -> str:
        return self.header.titles.get(key, BY_KEY[key].header)

    def bad(self, row: int, key: str, value: Cell, reason: str) -> None:
        self.problems.append(Problem(row, self.title(key), shown(value), reason))

    def read(self, number: int, values: Sequence[Cell]) -> Row:
        raw = {key: values[i] for key, i in self.header.positions.items() if i < len(values)}
        texts = {key: text(value) for key, value in raw.items()}
        row = Row(number, texts.get("number", ""), texts.get("relation", ""))
        if not row.household_number:
            self.bad(number, "number", None, f"必填项“{self.title('number')}”未填写")
        else:
            try:
                cells.household_number(raw["number"])
            except cells.BadCell as error:
                self.bad(number, "number", raw["number"], str(error))
                row.household_number = ""
        for key, reader in self.readers.items():
            if not texts.get(key):
                continue
            row.shown[key] = texts[key]
            try:
                row.values[key] = reader(raw[key])
            except cells.BadCell as error:
                row.bad.add(key)
                self.bad(number, key, texts[key], str(error))
        row.person = self._person(row, raw, texts)
        return row

    def _person(self, row: Row, raw: dict[str, Cell], texts: dict[str, str]) -> Person | None:
        number = row.number
        for key in ("name", "relation", "resident_id"):
            if not texts.get(key):
                self.bad(number, key, None, f"必填项“{self.title(key)}”未填写")

        def read(key: str, reader: Callable[[Cell], T], default: T) -> T | None:
            if not texts.get(key):
                return default
            try:
                return reader(raw[key])
            except cells.BadCell as error:
                self.bad(number, key, raw[key], str(error))
                return None

        row.resident_id = read("resident_id", lambda v: cells.resident_id(v, self.today), None)
        sex = read("sex", lambda v: cells.sex(v, row.resident_id), "")
        phone = read("phone", cells.phone, "")
        resident = read("resident", cells.yes_no, True)
        name, relation = texts.get("name"), texts.get("relation")
        if not name or not relation or row.resident_id is None or sex is None or phone is None or resident is None:
            return None
        return Person(number, name, row.resident_id, relation, sex or cells.sex_of(row.resident_id), phone, resident)
