"""The change sheet (户籍人口变更表, one row per change; the rows of one 分户 share its 新户编号), read with the roster
import's file reading and checked whole: every row is applied in turn against the registry as the rows above left it,
and one bad row among many names its Excel row, column, value and rule, and nothing is written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models.core.actors import Actor
from models.core.audit import AuditEvent
from models.core.clock import cn_date
from models.core.errors import InvalidInput
from models.importing.checking import sha256_of
from models.importing.layout import normalize
from models.importing.problems import WHOLE_FILE, ImportRefused, Problem, shown
from models.importing.reading import Cell, Unreadable, read_sheet, text
from models.registry.changes import Change, Mover, apply_change
from models.registry.kinds import ACTION, BY_NAME, KIND_NAMES, ChangeKind

HEADER_SCAN = 10
# key -> the header and the variants a sheet may use
COLUMNS = {
    "number": ("户编号", ("户号",)),
    "kind": ("变更类型", ("变更事项", "类型")),
    "name": ("姓名", ("成员姓名",)),
    "resident_id": ("证件号码", ("身份证号", "身份证号码", "公民身份号码")),
    "relation": ("与户主关系", ("与户主的关系", "关系")),
    "sex": ("性别", ()),
    "on": ("变更日期", ("日期", "发生日期")),
    "new_number": ("新户编号", ("新户号", "并入户编号")),
    "flag": ("标识", ("变更标识",)),
    "value": ("新值", ("变更后", "新电话")),
    "note": ("说明", ("备注", "原因")),
}
REQUIRED = ("number", "kind", "on")
_LOOKUP = {normalize(n): key for key, (header, variants) in COLUMNS.items() for n in (header, *variants)}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class SheetPlan:
    """What a change sheet does, or why it cannot."""

    file_name: str
    sha256: str
    rows: int = 0
    changes: list[tuple[int, Change]] = field(default_factory=list)  # (first Excel row, change)
    problems: list[Problem] = field(default_factory=list)
    person_rows: dict[str, int] = field(default_factory=dict)  # resident ID -> the first row naming it

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for _, change in self.changes:
            found[KIND_NAMES[change.kind]] = found.get(KIND_NAMES[change.kind], 0) + 1
        return found


def change_day(value: Cell) -> date:
    """A 变更日期 as a sheet or a form gives it; ValueError with the rule in Chinese."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _DATE.match(text(value))
    if found is None:
        raise ValueError("日期应写作2026-10-12（或2026/10/12、2026年10月12日）")
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError as error:
        raise ValueError("日期不存在") from error


def _header(rows: Sequence[tuple[int, list[Cell]]]) -> tuple[int, dict[str, int]] | None:
    for number, cells in rows[:HEADER_SCAN]:
        positions: dict[str, int] = {}
        for position, cell in enumerate(cells):
            key = _LOOKUP.get(normalize(text(cell)))
            if key is not None and key not in positions:
                positions[key] = position
        if len(positions) >= 3:
            return number, positions
    return None


def _changes(rows: Sequence[tuple[int, dict[str, Cell]]], plan: SheetPlan, source: dict[str, str]) -> None:
    """The rows as changes (the rows of one 分户 joined), every unreadable cell reported."""
    splits: dict[tuple[str, str], int] = {}  # (户编号, 新户编号) -> index in plan.changes
    for number, cells in rows:
        values = {key: text(value) for key, value in cells.items()}
        bad = len(plan.problems)
        for key in REQUIRED:
            if not values.get(key):
                plan.problems.append(Problem(number, COLUMNS[key][0], "", f"必填项“{COLUMNS[key][0]}”未填写"))
        kind = BY_NAME.get(values.get("kind", ""))
        if values.get("kind") and kind is None:
            plan.problems.append(Problem(number, "变更类型", shown(values["kind"]),
                                         f"变更类型应为{'、'.join(BY_NAME)}之一"))
        on = None
        if values.get("on"):
            try:
                on = change_day(cells["on"])
            except ValueError as error:
                plan.problems.append(Problem(number, "变更日期", shown(values["on"]), str(error)))
        if len(plan.problems) > bad or kind is None or on is None:
            continue
        mover = Mover(values.get("resident_id", "").upper(), values.get("name", ""), values.get("relation", ""))
        people = (mover,) if mover.resident_id or mover.name or mover.relation else ()
        split = (values["number"], values.get("new_number", ""))
        if mover.resident_id:
            plan.person_rows.setdefault(mover.resident_id, number)
        if kind is ChangeKind.SPLIT and split in splits:
            first, joined = plan.changes[splits[split]]
            plan.changes[splits[split]] = (first, replace(joined, people=(*joined.people, *people),
                                                        value=joined.value or values.get("value", "")))
            continue
        change = Change(number=values["number"], kind=kind, on=on, people=people,
                        new_number=values.get("new_number", ""), flag=values.get("flag", ""),
                        value=values.get("value", ""), note=values.get("note", ""), sex=values.get("sex", ""),
                        source={**source, "row": number})
        if kind is ChangeKind.SPLIT:
            splits[split] = len(plan.changes)
        plan.changes.append((number, change))


def _earlier(session: Session, sha256: str) -> Problem | None:
    event = session.exec(select(AuditEvent).where(col(AuditEvent.action) == ACTION,
                                                  col(AuditEvent.detail).contains(f'"sha256":"{sha256}"'))
                         .order_by(col(AuditEvent.seq))).first()
    if event is None:
        return None
    return Problem(0, WHOLE_FILE, "", f"这个变更表已于{cn_date(event.at)}由{event.actor}登记"
                                      f"（审计记录第{event.seq}条），不再重复登记")


def check_sheet(session: Session, path: Path, plan: SheetPlan) -> list[tuple[int, dict[str, Cell]]]:
    """The sheet's data rows by column key; problems of the file or its columns in `plan.problems`."""
    try:
        sheet = read_sheet(path)
    except Unreadable as error:
        plan.problems.append(error.problem)
        return []
    earlier = _earlier(session, plan.sha256)
    if earlier is not None:
        plan.problems.append(earlier)
        return []
    header = _header(sheet.rows)
    if header is None:
        plan.problems.append(Problem(0, WHOLE_FILE, "", "前10行中没有表头行：表头须含“户编号”“变更类型”“变更日期”"
                                                        "“姓名”“证件号码”等列名（列名见变更说明）"))
        return []
    row, positions = header
    plan.problems += [Problem(row, COLUMNS[key][0], "", f"缺少必填列“{COLUMNS[key][0]}”")
                      for key in REQUIRED if key not in positions]
    if plan.problems:
        return []
    data = [(number, {key: cells[i] for key, i in positions.items() if i < len(cells)})
            for number, cells in sheet.rows if number > row]
    if not data:
        plan.problems.append(Problem(row + 1, WHOLE_FILE, "", "表头下没有数据行"))
    return data


def apply_sheet(*, session: Session, path: Path, actor: Actor, now: datetime, dry_run: bool = False) -> SheetPlan:
    """Check the whole sheet and, with no problem (and not a dry run), apply every change in this session's
    transaction (the caller commits). Run it in a transaction of its own: on ImportRefused, or on a dry run, that
    transaction is rolled back, so nothing is written."""
    plan = SheetPlan(path.name, sha256_of(path))
    rows = check_sheet(session, path, plan)
    plan.rows = len(rows)
    _changes(rows, plan, {"file": path.name, "sha256": plan.sha256})
    for number, change in plan.changes:
        try:
            apply_change(session=session, change=change, actor=actor, now=now)
        except InvalidInput as error:  # the row of the member it names, for a 分户 of several rows
            row = plan.person_rows.get(str(error.value), number) if change.kind is ChangeKind.SPLIT else number
            plan.problems.append(Problem(row, error.field, shown(error.value), error.rule))
    plan.problems.sort(key=lambda p: p.row)
    if plan.problems or dry_run:
        session.rollback()
    if plan.problems:
        raise ImportRefused(path.name, plan.problems)
    return plan
