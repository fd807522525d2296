"""The rectification ledger read per responsible unit: findings open, fixed, verified and closed, and those overdue.

A finding is overdue once its due moment (24:00 office time of its last day, DOMAIN §5) has passed while it is
still with the unit (assigned, or sent back and not yet fixed again): on the due day itself it is not overdue, from
the next day it is, by one day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.rectification.findings import CODE, RectificationFinding, RectificationItem
from models.core.case import Case, Outcome, StageRecord, Status
from models.core.clock import last_day, local_date, to_db
from models.core.regions import Region

WITH_UNIT = {"RECT_ASSIGN", "RECT_FIX"}
STATE_NAMES = {"OPEN": "整改中", "FIXED": "已整改待核查", "VERIFIED": "已核查待销号", "CLOSED": "已销号",
               "WITHDRAWN": "已撤销"}


@dataclass(frozen=True)
class FindingLine:
    """One finding as the ledger lists it."""

    case_id: int
    township: str
    village: str
    item_code: str
    item_title: str
    found: str
    unit: str
    due_day: date
    due_rule: str
    state: str  # a key of STATE_NAMES
    days_overdue: int  # 0 unless overdue
    returned: str  # the latest reason the township sent the fix back, if any

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


@dataclass
class UnitLine:
    """The counts of one responsible unit, and its overdue findings (most days overdue first)."""

    unit: str
    open: int = 0
    fixed: int = 0
    verified: int = 0
    closed: int = 0
    overdue: list[FindingLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.open + self.fixed + self.verified + self.closed


def days_overdue(due_at: datetime, now: datetime) -> int:
    """Whole calendar days past the due day (office time); 0 up to 24:00 of the due day itself."""
    if to_db(now) < to_db(due_at):
        return 0
    return (local_date(now) - last_day(due_at)).days


def _state(case: Case) -> str:
    if case.status == Status.REJECTED:
        return "WITHDRAWN"
    if case.status == Status.EXITED:
        return "CLOSED"
    if case.stage in WITH_UNIT:
        return "OPEN"
    return "FIXED" if case.stage == "RECT_VERIFY" else "VERIFIED"


def finding_lines(session: Session, *, scope_prefix: str, year: int, now: datetime) -> list[FindingLine]:
    """Every finding of the year in the scope (a region code prefix), in case order, with its state as of `now`."""
    rows = session.exec(
        select(Case, RectificationFinding, RectificationItem)
        .join(RectificationFinding, col(RectificationFinding.case_id) == col(Case.id))
        .join(RectificationItem, col(RectificationItem.id) == col(RectificationFinding.item_id))
        .where(col(Case.chain) == CODE, col(Case.year) == year, col(Case.village_code).startswith(scope_prefix))
        .order_by(col(Case.id))
    ).all()
    codes = {f.village_code for _, f, _ in rows}
    villages = {r.code: r for r in session.exec(select(Region).where(col(Region.code).in_(codes)))}
    parents = {r.code: r.name for r in session.exec(select(Region).where(
        col(Region.code).in_({v.parent_code for v in villages.values()})))}
    returned: dict[int, str] = {}
    for case_id, reason in session.exec(
        select(col(StageRecord.case_id), col(StageRecord.reason))
        .where(col(StageRecord.case_id).in_([c.id for c, _, _ in rows]), col(StageRecord.outcome) == Outcome.RETURNED)
        .order_by(col(StageRecord.id))
    ):
        returned[case_id] = reason
    lines = []
    for case, finding, item in rows:
        assert case.id is not None
        state = _state(case)
        village = villages[finding.village_code]
        lines.append(FindingLine(
            case_id=case.id, township=parents.get(village.parent_code or "", ""), village=village.name,
            item_code=item.code, item_title=item.title, found=finding.found, unit=finding.unit,
            due_day=last_day(finding.due_at), due_rule=finding.due_rule, state=state,
            days_overdue=days_overdue(finding.due_at, now) if state == "OPEN" else 0,
            returned=returned.get(case.id, ""),
        ))
    return lines


def unit_report(session: Session, *, scope_prefix: str, year: int, now: datetime) -> list[UnitLine]:
    """Per responsible unit, in the order units first appear among the findings: the counts, and the overdue."""
    units: dict[str, UnitLine] = {}
    for line in finding_lines(session, scope_prefix=scope_prefix, year=year, now=now):
        if line.state == "WITHDRAWN":
            continue
        unit = units.setdefault(line.unit, UnitLine(line.unit))
        match line.state:
            case "OPEN":
                unit.open += 1
            case "FIXED":
                unit.fixed += 1
            case "VERIFIED":
                unit.verified += 1
            case _:
                unit.closed += 1
        if line.overdue:
            unit.overdue.append(line)
    for unit in units.values():
        unit.overdue.sort(key=lambda f: (-f.days_overdue, f.case_id))
    return list(units.values())
