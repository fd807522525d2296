"""A county's regions from the office's file (区划代码, 名称, optionally 级别) or one by one: every row checked
first (a 12-digit code of a known level, a name, its parent in the file or the database, no duplicate, no
registered code renamed), then all written with one audit event, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models.core import audit
from models.core.actors import SYSTEM_NAME, Actor, Role, add_actor
from models.core.clock import to_db
from models.core.errors import InvalidInput
from models.core.regions import LEVEL_NAMES, PREFIX_DIGITS, Level, Region, level_of, parent_code
from models.importing.layout import HEADER_SCAN, normalize
from models.importing.problems import WHOLE_FILE, ImportRefused, Problem, shown
from models.importing.reading import read_sheet, text

ACTION = "REGION.IMPORT"
ADD_ACTION = "REGION.ADD"
CODE, NAME, LEVEL = "区划代码", "名称", "级别"
HEADERS = {CODE: ("统计用区划代码", "代码", "行政区划代码"), NAME: ("区划名称", "单位名称"),
           LEVEL: ("层级", "区划级别")}

# What an office writes in 级别, besides the level names themselves (乡镇级...).
LEVEL_WORDS = {
    Level.PROVINCE: ("省", "省份", "自治区", "直辖市"),
    Level.CITY: ("市", "地级", "地级市", "市州", "州"),
    Level.COUNTY: ("县", "区", "县区", "县(市、区)", "县(区)", "县级市"),
    Level.TOWNSHIP: ("乡镇", "乡", "镇", "街道", "乡(镇)", "乡镇(街道)"),
    Level.VILLAGE: ("村", "行政村", "社区", "村(社区)", "居委会"),
}
_LEVELS = {normalize(word): level for level, words in LEVEL_WORDS.items()
           for word in (*words, LEVEL_NAMES[level], level.value)}
TOP_DOWN = sorted(Level, key=lambda level: PREFIX_DIGITS[level])


@dataclass(frozen=True)
class RegionRow:
    row: int
    code: str
    name: str
    level: Level


@dataclass
class RegionPlan:
    """What a file holds once checked: the regions to add, those already registered as given, and every problem."""

    file_name: str
    sha256: str = ""
    added: list[RegionRow] = field(default_factory=list)
    known: int = 0
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """New regions by level, top down, as the summary and the audit event give them."""
        return {LEVEL_NAMES[level]: n for level in TOP_DOWN
                if (n := sum(1 for r in self.added if r.level is level))}


def _header(rows: Sequence[tuple[int, list[object]]]) -> tuple[int, dict[str, int]] | None:
    """The header row among the first rows (a title above it is skipped) and the position of each column."""
    names = {normalize(name): key for key, variants in HEADERS.items() for name in (key, *variants)}
    for number, cells in rows[:HEADER_SCAN]:
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells):
            key = names.get(normalize(text(cell)))
            if key is not None:
                positions.setdefault(key, index)
        if CODE in positions and NAME in positions:
            return number, positions
    return None


def _level(row: int, code: str, written: str, problems: list[Problem]) -> Level | None:
    """The level the code names, once it is a 12-digit code and agrees with the 级别 written beside it."""
    if not (len(code) == 12 and code.isascii() and code.isdigit()):
        problems.append(Problem(row, CODE, code, "须为12位数字的统计用区划代码（如430121101201）"))
        return None
    level = level_of(code)
    if level is None:
        problems.append(Problem(row, CODE, code, "不是有效的区划代码：省、市、县、乡镇各段不能为0"
                                                   "（村级代码末3位、乡镇级末3位为0，依此类推）"))
        return None
    if written:
        said = _LEVELS.get(normalize(written))
        if said is None:
            choices = "、".join(LEVEL_NAMES[lv] for lv in TOP_DOWN)
            problems.append(Problem(row, LEVEL, written, f"级别应为{choices}之一（可不填，由代码推定）"))
        elif said is not level:
            problems.append(Problem(row, LEVEL, written,
                                    f"区划代码{code}是{LEVEL_NAMES[level]}代码，与所填级别不符"))
    return level


def check_rows(session: Session, rows: Sequence[tuple[int, str, str, str]], plan: RegionPlan) -> RegionPlan:
    """Check (row, code, name, 级别) rows whole into the plan: its regions to add, and every problem found."""
    read: dict[str, RegionRow] = {}
    for row, code, name, written in rows:
        level = _level(row, code, written, plan.problems)
        if not name:
            plan.problems.append(Problem(row, NAME, "", "区划名称不能为空"))
        if level is None or not name:
            continue
        if code in read:
            plan.problems.append(Problem(row, CODE, code, f"与第{read[code].row}行的区划代码重复"))
            continue
        read[code] = RegionRow(row, code, name, level)
    codes = {r.code for r in read.values()} | {p for r in read.values() if (p := parent_code(r.code, r.level))}
    registered = dict(session.execute(select(col(Region.code), col(Region.name))
                                      .where(col(Region.code).in_(sorted(codes)))).tuples().all())
    for region in read.values():
        if region.code in registered:
            if registered[region.code] == region.name:
                plan.known += 1
            else:
                plan.problems.append(Problem(region.row, NAME, shown(region.name),
                                             f"区划代码{region.code}已登记为“{registered[region.code]}”，名称不一致"))
            continue
        parent = parent_code(region.code, region.level)
        if parent is not None and parent not in read and parent not in registered:
            above = TOP_DOWN[TOP_DOWN.index(region.level) - 1]
            plan.problems.append(Problem(region.row, CODE, region.code,
                                         f"上级{LEVEL_NAMES[above]}区划{parent}未登记，须先登记或在同一文件中列出"))
            continue
        plan.added.append(region)
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _write(session: Session, plan: RegionPlan, action: str, actor_name: str, now: datetime,
           detail: dict[str, object]) -> None:
    """Add the plan's regions parents first, the system actor with the first province, and one audit event."""
    added = sorted(plan.added, key=lambda r: (PREFIX_DIGITS[r.level], r.code))
    session.add_all([Region(code=r.code, name=r.name, level=r.level, parent_code=parent_code(r.code, r.level))
                     for r in added])
    session.flush()
    # The machine's moves (windows closing, samples, documents) are signed by the system actor, which needs a
    # province to belong to: it is registered with the first one.
    province = next((r.code for r in added if r.level is Level.PROVINCE), None)
    if province and session.exec(select(Actor).where(Actor.role == Role.SYSTEM)).first() is None:
        add_actor(session, name=SYSTEM_NAME, role=Role.SYSTEM, region_code=province)
    audit.append(session, [audit.Event(to_db(now), actor_name, action, None, {
        **detail, "added": len(added), "by_level": plan.counts(), "already_registered": plan.known,
        "codes": [r.code for r in added],
    })])


def import_regions(*, session: Session, path: Path, actor_name: str, now: datetime,
                   dry_run: bool = False) -> RegionPlan:
    """Check the whole file; with no problem, add its new regions and one audit event naming the file (name and
    SHA-256) in the caller's transaction (the caller commits). ImportRefused lists every problem; then nothing
    was written. Regions already registered under the same name are left as they are."""
    sheet = read_sheet(path)  # Unreadable: the file cannot be read at all
    plan = RegionPlan(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    found = _header(sheet.rows)
    if found is None:
        plan.problems.append(Problem(0, WHOLE_FILE, path.name,
                                     f"找不到表头：须有“{CODE}”和“{NAME}”两列（“{LEVEL}”可选）"))
        raise ImportRefused(path.name, plan.problems)
    header_row, positions = found

    def cell(cells: list[object], key: str) -> str:
        index = positions.get(key)
        return text(cells[index]) if index is not None and index < len(cells) else ""

    rows = [(number, cell(cells, CODE), cell(cells, NAME), cell(cells, LEVEL))
            for number, cells in sheet.rows if number > header_row]
    if not rows:
        plan.problems.append(Problem(header_row + 1, WHOLE_FILE, "", "表头下没有数据行"))
    check_rows(session, rows, plan)
    if plan.problems:
        raise ImportRefused(path.name, plan.problems)
    if not dry_run and plan.added:
        _write(session, plan, ACTION, actor_name, now, {"file": plan.file_name, "sha256": plan.sha256,
                                                        "rows": len(rows)})
    return plan


def add_region(*, session: Session, code: str, name: str, actor_name: str, now: datetime) -> RegionRow:
    """Add one region under its registered parent, with an audit event (the caller commits); InvalidInput names
    what is wrong, and a code already registered under this name is refused too."""
    plan = check_rows(session, [(1, code.strip(), name.strip(), "")], RegionPlan(""))
    if plan.problems:
        problem = plan.problems[0]
        raise InvalidInput(f"区划{code.strip() or '（空）'}", problem.column, problem.value, problem.reason)
    if not plan.added:
        raise InvalidInput(f"区划{code.strip()}", CODE, code.strip(), f"已登记为“{name.strip()}”，无需重复添加")
    _write(session, plan, ADD_ACTION, actor_name, now, {})
    return plan.added[0]
