"""The whole file checked before anything is written: its columns, every row, every household, and every person
against the rest of the file and the database (one person belongs to one household)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from models.core.actors import Actor
from models.core.audit import AuditEvent
from models.core.clock import cn_date
from models.core.household import Household, Member
from models.importing.households import HouseholdCheck, Planned, group
from models.importing.layout import (
    HEADER_SCAN,
    INCOME,
    REQUIRED,
    VILLAGE,
    VILLAGE_CODE,
    Header,
    describe,
    find_header,
)
from models.importing.problems import WHOLE_FILE, Problem
from models.importing.reading import Sheet, Unreadable, read_sheet, text
from models.importing.rows import Row, RowReader
from models.importing.villages import Villages

ACTION = "HOUSEHOLD.IMPORT"
CHUNK = 2000  # values per IN (...) query


@dataclass
class Plan:
    """What a file would write, or why it cannot."""

    file_name: str
    sha256: str
    encoding: str = ""
    rows: int = 0
    households: list[Planned] = field(default_factory=list)
    unused: tuple[str, ...] = ()  # headers of columns the layout does not read
    problems: list[Problem] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(len(h.members) for h in self.households)

    @property
    def incomes(self) -> int:
        return sum(1 for h in self.households if h.income is not None)

    @property
    def villages(self) -> int:
        return len({h.village_code for h in self.households})


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _earlier_import(session: Session, sha256: str) -> Problem | None:
    """The file was imported before (same bytes): one clear problem instead of one per row."""
    event = session.exec(select(AuditEvent).where(col(AuditEvent.action) == ACTION,
                                                  col(AuditEvent.detail).contains(f'"sha256":"{sha256}"'))
                         .order_by(col(AuditEvent.seq))).first()
    if event is None:
        return None
    return Problem(0, WHOLE_FILE, "", f"这个文件已于{cn_date(event.at)}由{event.actor}导入（审计记录第{event.seq}条），"
                                      "不再重复导入；文件中的户和人员都已登记")


def _columns(header: Header) -> list[Problem]:
    problems = [Problem(header.row, title, title, f"与“{column}”是同一列，只能保留一列")
                for title, column in header.duplicates]
    for column in REQUIRED:
        if column.key not in header.positions:
            problems.append(Problem(header.row, column.header, "", f"缺少必填列{describe(column)}"))
    if VILLAGE.key not in header.positions and VILLAGE_CODE.key not in header.positions:
        problems.append(Problem(header.row, VILLAGE.header, "",
                                f"缺少必填列{describe(VILLAGE)}或{describe(VILLAGE_CODE)}"))
    present = [c for c in INCOME if c.key in header.positions]
    if present and len(present) < len(INCOME):
        names = "、".join(f"“{c.header}”" for c in INCOME)
        problems += [Problem(header.row, c.header, "", f"有收入列时须同时有这6列：{names}")
                     for c in INCOME if c not in present]
    return problems


def _people(session: Session, rows: list[Row], reader: RowReader) -> None:
    """Each resident ID once in the file and not yet in any household of the database."""
    first: dict[str, int] = {}
    for row in rows:
        number = row.resident_id
        if number is None:
            continue
        if number in first:
            reader.bad(row.number, "resident_id", number, f"与第{first[number]}行为同一人，一人只能属于一户")
        else:
            first[number] = row.number
    ids = list(first)
    for start in range(0, len(ids), CHUNK):
        taken = session.execute(select(col(Member.resident_id), col(Household.number), col(Household.head_name))
                                .join(Household, col(Household.id) == col(Member.household_id))
                                .where(col(Member.resident_id).in_(ids[start:start + CHUNK]))).tuples().all()
        for number, household, head in taken:
            reader.bad(first[number], "resident_id", number,
                       f"此人已登记在户编号{household}（户主{head}）中，一人只能属于一户")


def _numbers(session: Session, households: dict[str, list[Row]], reader: RowReader) -> None:
    """Each 户编号 new to the database."""
    numbers = list(households)
    for start in range(0, len(numbers), CHUNK):
        taken = session.execute(select(col(Household.number), col(Household.head_name))
                                .where(col(Household.number).in_(numbers[start:start + CHUNK]))).tuples().all()
        for number, head in taken:
            reader.bad(households[number][0].number, "number", number,
                       f"系统中已有此户编号（户主{head}），户编号不能重复")


def check_rows(session: Session, sheet: Sheet, plan: Plan, *, actor: Actor, today: date) -> Plan:
    """Every problem of the sheet in `plan.problems`, or (with none) its households in `plan.households`."""
    plan.encoding = sheet.encoding
    header = find_header([(number, [text(c) for c in cells]) for number, cells in sheet.rows[:HEADER_SCAN + 1]])
    if header is None:
        plan.problems.append(Problem(0, WHOLE_FILE, "", "前10行中没有表头行：表头须含“户编号”“姓名”“证件号码”"
                                                        "“与户主关系”等列名（列名见导入说明）"))
        return plan
    plan.unused = header.unused
    plan.problems += _columns(header)
    if plan.problems:
        return plan
    reader = RowReader(header, today, plan.problems)
    rows = [reader.read(number, cells) for number, cells in sheet.rows if number > header.row]
    plan.rows = len(rows)
    if not rows:
        plan.problems.append(Problem(header.row + 1, WHOLE_FILE, "", "表头下没有数据行"))
        return plan
    households = group(rows)
    check = HouseholdCheck(reader, Villages(session), actor)
    planned = [check.check(number, members) for number, members in households.items()]
    _people(session, rows, reader)
    _numbers(session, households, reader)
    position = {title: header.positions[key] for key, title in header.titles.items()}
    plan.problems.sort(key=lambda p: (p.row, position.get(p.column, len(position)), p.reason))
    if not plan.problems:
        plan.households = [p for p in planned if p is not None]
    return plan


def check_file(session: Session, path: Path, *, actor: Actor, today: date) -> Plan:
    """The file read and checked whole; nothing is written."""
    plan = Plan(path.name, sha256_of(path))
    try:
        sheet = read_sheet(path)
    except Unreadable as error:
        plan.problems.append(error.problem)
        return plan
    earlier = _earlier_import(session, plan.sha256)
    if earlier is not None:
        plan.problems.append(earlier)
        return plan
    return check_rows(session, sheet, plan, actor=actor, today=today)
