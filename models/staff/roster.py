"""The staff roster from the office's file (姓名, 登录名, 角色, 区划代码, optionally 联系电话): every row checked
first (a known role at its level's region, a login new to the file and the database, a phone), then everyone
added with one audit event, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from models.core.actors import Actor, login_taken
from models.core.errors import InvalidInput
from models.importing.layout import HEADER_SCAN, normalize
from models.importing.problems import WHOLE_FILE, ImportRefused, Problem
from models.importing.reading import read_sheet, text
from models.staff.people import LOGIN, NAME, PHONE, REGION, ROLE, Checked, Person, authorize, check_person, write_people

ACTION = "STAFF.IMPORT"
HEADERS = {NAME: ("人员姓名",), LOGIN: ("登录账号", "账号", "用户名"), ROLE: ("岗位", "人员角色"),
           REGION: ("所在区划代码", "统计用区划代码", "区划"), PHONE: ("电话", "手机号", "手机号码", "联系方式")}
REQUIRED = (NAME, LOGIN, ROLE, REGION)


@dataclass
class StaffPlan:
    """What a roster holds once checked: the people to add, those registered already as written, every problem."""

    file_name: str
    sha256: str = ""
    added: list[Checked] = field(default_factory=list)
    known: int = 0
    problems: list[Problem] = field(default_factory=list)


def _header(rows: Sequence[tuple[int, list[object]]]) -> tuple[int, dict[str, int]] | None:
    """The header row among the first rows (a title above it is skipped) and the position of each column."""
    names = {normalize(name): key for key, variants in HEADERS.items() for name in (key, *variants)}
    for number, cells in rows[:HEADER_SCAN]:
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = names.get(normalize(text(cell)))
            if key is not None:
                positions.setdefault(key, index)
        if all(key in positions for key in REQUIRED):
            return number, positions
    return None


def _same(actor: Actor, checked: Checked) -> bool:
    """A row that says again what is registered (a roster imported twice)."""
    p = checked.person
    return (actor.name, actor.role, actor.region_code, actor.phone) == (
        p.name.strip(), checked.role, p.region_code.strip(), checked.phone)


def check_people(session: Session, people: Sequence[Person], by: Actor | None, plan: StaffPlan) -> StaffPlan:
    """Check every person into the plan: a login twice in the file, every cell, and the acting person's right."""
    seen: dict[str, int] = {}
    for person in people:
        login = person.login.strip()
        if login and login in seen:
            plan.problems.append(Problem(person.row, LOGIN, login, f"与第{seen[login]}行的登录名重复"))
            continue
        seen.setdefault(login, person.row)
        checked = check_person(session, person)
        holder = login_taken(session, login) if login else None
        if holder is not None and checked.role is not None and _same(holder, checked):
            plan.known += 1
            continue
        if not checked.problems:
            try:
                authorize(session, by, person.region_code.strip(), checked.role, f"第{person.row}行")
            except InvalidInput as error:
                checked.problems.append(Problem(person.row, REGION, person.region_code, error.rule))
        plan.problems += checked.problems
        if not checked.problems:
            plan.added.append(checked)
    plan.problems.sort(key=lambda p: p.row)
    return plan


def import_staff(*, session: Session, path: Path, by: Actor, now: datetime, dry_run: bool = False) -> StaffPlan:
    """Check the whole file; with no problem, add its new people and one audit event naming the file (name and
    SHA-256) in the caller's transaction (the caller commits). ImportRefused lists every problem; then nothing
    was written. People registered already exactly as the file says are left as they are."""
    sheet = read_sheet(path)  # Unreadable: the file cannot be read at all
    plan = StaffPlan(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    found = _header(sheet.rows)
    if found is None:
        columns = "”“".join(REQUIRED)
        plan.problems.append(Problem(0, WHOLE_FILE, path.name, f"找不到表头：须有“{columns}”四列（“{PHONE}”可选）"))
        raise ImportRefused(path.name, plan.problems)
    header_row, positions = found

    def cell(cells: list[object], key: str) -> str:
        index = positions.get(key)
        return text(cells[index]) if index is not None and index < len(cells) else ""

    people = [Person(cell(cells, NAME), cell(cells, LOGIN), cell(cells, ROLE), cell(cells, REGION),
                     cell(cells, PHONE), number) for number, cells in sheet.rows if number > header_row]
    if not people:
        plan.problems.append(Problem(header_row + 1, WHOLE_FILE, "", "表头下没有数据行"))
    check_people(session, people, by, plan)
    if plan.problems:
        raise ImportRefused(path.name, plan.problems)
    if not dry_run and plan.added:
        write_people(session, plan.added, by, now, ACTION, {"file": plan.file_name, "sha256": plan.sha256,
                                                             "rows": len(people), "already_registered": plan.known})
    return plan
