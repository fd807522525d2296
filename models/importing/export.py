"""A region's roster written to .xlsx in the import layout, one row per person, unmasked (an internal working
file: who exported it, and its SHA-256, go to the audit trail)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models.core import audit
from models.core.actors import Actor, Role
from models.core.clock import to_db
from models.core.errors import InvalidInput, NotFound
from models.core.household import Household, Income, Member
from models.core.regions import Level, Region, code_prefix, prefix
from models.home_checks.standards import per_capita_net_income, round_yuan
from models.importing.layout import AMOUNTS, COLUMNS, FLAGS

EXPORT_ACTION = "HOUSEHOLD.EXPORT"
SHEET = "花名册"
WIDTHS = {"township": 12, "village": 12, "village_code": 15, "number": 17, "resident_id": 21, "phone": 14}


@dataclass(frozen=True)
class Exported:
    path: Path
    households: int
    people: int
    sha256: str


def _households(session: Session, shared: str, year: int | None) -> tuple[list[Household], dict[int, list[Member]],
                                                                          dict[int, Income]]:
    households = list(session.exec(select(Household).where(col(Household.village_code).startswith(shared))
                                   .order_by(col(Household.village_code), col(Household.number))).all())
    ids = [h.id for h in households]
    members: dict[int, list[Member]] = defaultdict(list)
    incomes: dict[int, Income] = {}
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        present = select(Member).where(col(Member.household_id).in_(chunk), col(Member.left).is_(False))
        for member in session.exec(present.order_by(col(Member.id))):
            members[member.household_id].append(member)
        query = select(Income).where(col(Income.household_id).in_(chunk))
        if year is not None:
            query = query.where(col(Income.year) == year)
        for income in session.exec(query.order_by(col(Income.year))):
            incomes[income.household_id] = income  # the latest year wins when none is asked
    return households, members, incomes


def _row(household: Household, member: Member, size: int, income: Income | None, residents: int,
         places: dict[str, tuple[str, str]]) -> dict[str, object]:
    village, township = places[household.village_code]
    row: dict[str, object] = {
        "township": township, "village": village, "village_code": household.village_code,
        "group_name": household.group_name, "number": household.number, "head_name": household.head_name,
        "size": size, **{c.key: "是" if getattr(household, c.key) else "否" for c in FLAGS}, "name": member.name,
        "resident_id": member.resident_id, "relation": member.relation, "sex": member.sex, "phone": member.phone,
        "resident": "是" if member.resident else "否",
    }
    if income is not None:
        row.update({"year": income.year, **{c.key: getattr(income, c.key) for c in AMOUNTS}})
        if residents:
            row["per_capita"] = round_yuan(per_capita_net_income(income, residents))
    return row


def export_roster(*, session: Session, region: str, path: Path, actor: Actor, now: datetime,
                  year: int | None = None) -> Exported:
    """Every household of a region (a code or its leading digits) with its members and one year's income (`year`,
    or each household's latest) to `path`; the export is recorded in the audit trail (the caller commits)."""
    shared = code_prefix(region.strip())
    if not shared.isdigit() or len(shared) > 12:
        raise InvalidInput(f"区划{region}", "区划代码", region, "应为12位统计用区划代码或其前几位")
    if actor.role is not Role.SYSTEM and not shared.startswith(prefix(actor.region_code, actor.level)):
        raise NotFound(f"区划“{region}”不在{actor.title()}的辖区内")
    households, members, incomes = _households(session, shared, year)
    if not households:
        raise NotFound(f"区划“{region}”下没有已登记的农户")
    regions = {r.code: r for r in session.exec(select(Region).where(col(Region.code).startswith(shared[:6])))}
    places = {code: (r.name, regions[r.parent_code].name if r.parent_code in regions else "")
              for code, r in regions.items() if r.level is Level.VILLAGE}
    from openpyxl import Workbook  # imported here: it takes 0.15 s, and only exports need it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streamed: a county's 30,000 rows never sit in memory as cell objects
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.key, 10)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    people = 0
    for household in households:
        assert household.id is not None
        family = members[household.id]
        residents = sum(1 for m in family if m.resident)
        for member in family:
            row = _row(household, member, len(family), incomes.get(household.id), residents, places)
            sheet.append([row.get(c.key) for c in COLUMNS])
            people += 1
    book.save(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    audit.append(session, [audit.Event(to_db(now), actor.name, EXPORT_ACTION, None, {
        "file": path.name, "sha256": sha256, "region": shared, "year": year, "households": len(households),
        "members": people,
    })])
    return Exported(path, len(households), people, sha256)
