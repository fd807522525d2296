"""Roster files for the import tests: plausible families with valid resident IDs, written as CSV or .xlsx."""

from __future__ import annotations

import csv
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import Session

from models.core.audit import AuditEvent
from models.core.household import Household, Income, Member
from models.core.regions import Region
from models.importing.layout import COLUMNS
from synthetic.area import People

HEADERS = [c.header for c in COLUMNS]
Row = dict[str, object]


def family(people: People, rng: random.Random, *, village: Region, township: str, number: str, size: int,
           year: int = 2026) -> list[Row]:
    """One household's rows: a head, a spouse, then children; its income on every row, as exports write it."""
    surname = people.name()[0]
    born = date(rng.randrange(1955, 1985), rng.randrange(1, 13), rng.randrange(1, 29))
    rows: list[Row] = []
    for index in range(size):
        female = index == 1 or (index > 1 and rng.random() < 0.5)
        relation = ("户主", "配偶")[index] if index < 2 else ("女" if female else "子")
        birth = born if index < 2 else date(born.year + 20 + index, 3, 1)
        rows.append({"姓名": people.given(surname, female) if index != 1 else people.name(), "证件号码":
                     people.resident_id(birth, female), "与户主关系": relation, "性别": "女" if female else "男",
                     "联系电话": f"139{rng.randrange(10**8):08d}" if index == 0 else "", "是否常住": "是"})
    wages, operating, expenses = Decimal(6000 * size), Decimal("2400.50"), Decimal("300.50")
    per_capita = (wages + operating + Decimal(100) + Decimal(500) - expenses) / size
    shared: Row = {
        "乡（镇）": township, "行政村": village.name, "村代码": village.code, "村民小组": f"{rng.randrange(1, 6)}组",
        "户编号": number, "户主姓名": rows[0]["姓名"], "家庭人口": size, "是否建档立卡贫困户": "是", "是否低保户": "否",
        "是否特困供养": "否", "年度": year,
        "工资性收入": wages, "家庭经营收入": operating, "财产性收入": Decimal(100), "转移性收入": Decimal(500),
        "家庭生产经营费用支出": expenses, "人均纯收入": per_capita.quantize(Decimal("0.01")),
    }
    return [{**shared, **row} for row in rows]


def roster(session: Session, villages: list[str], *, households: int = 4, seed: int = 1,
           prefix: str = "IMP") -> list[Row]:
    """`households` new families spread over `villages`, sizes 1 to 4, numbered `prefix` + seed + serial."""
    rng = random.Random(seed)
    people = People(rng)
    rows: list[Row] = []
    for index in range(households):
        village = session.get(Region, villages[index % len(villages)])
        assert village is not None and village.parent_code is not None
        township = session.get(Region, village.parent_code)
        assert township is not None
        rows += family(people, rng, village=village, township=township.name, number=f"{prefix}{seed}{index:04d}",
                       size=1 + index % 4)
    return rows


def write_csv(path: Path, rows: list[Row], *, headers: list[str] | None = None, encoding: str = "utf-8",
              above: tuple[list[str], ...] = ()) -> Path:
    headers = headers or [h for h in HEADERS if h in rows[0]]
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        for line in above:
            writer.writerow(line)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else str(row.get(h)) for h in headers])
    return path


def write_xlsx(path: Path, rows: list[Row], *, headers: list[str] | None = None,
               above: tuple[list[str], ...] = ()) -> Path:
    headers = headers or [h for h in HEADERS if h in rows[0]]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def counts(session: Session) -> tuple[int, int, int, int]:
    """Households, members, incomes and audit events in the database (what an import may add)."""
    session.rollback()
    households, members, incomes, events = (int(session.scalar(select(func.count()).select_from(t)) or 0)
                                            for t in (Household, Member, Income, AuditEvent))
    return households, members, incomes, events
