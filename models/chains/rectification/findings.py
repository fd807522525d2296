"""Findings of a 大排查大整改 campaign (DOMAIN §4 G): the checklist item cited, what was found where, the responsible
unit and due date it was assigned with, and the fixes the unit reported with their evidence.

A finding is a case of its own in the RECTIFICATION chain, held by its village (no household), so a village may
have any number of findings in a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from models.chains.rectification.checklist import ChecklistItem, checklist_item, due_for, rectification_policy
from models.core import audit
from models.core.actors import Actor
from models.core.errors import InvalidInput, NotFound
from models.core.regions import Level, Region
from models.door.cases import open_cases
from models.door.chain import Input, chain_named
from models.door.engine import Move, Result, apply
from models.door.inputs import admit, recorder_problem

CODE = "RECTIFICATION"
FIX = "RECT_FIX"  # the stage at which the responsible unit reports its fix


class RectificationItem(SQLModel, table=True):
    """A checklist item as it stood when a finding first cited it, so the ledger shows what was asked then."""

    __table_args__ = (UniqueConstraint("province", "year", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    province: str
    year: int
    code: str
    section: str
    title: str
    content: str = Field(description="排查内容")
    fix: str = Field(description="整改措施")
    units_text: str = Field(description="责任单位 as the plan writes them")
    due_text: str = Field(description="完成时限 as the plan writes it")


class RectificationFinding(SQLModel, table=True):
    """One problem found in a village, assigned to a responsible unit with a due date."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    item_id: int = Field(foreign_key="rectificationitem.id", index=True)
    village_code: str = Field(foreign_key="region.code", index=True)
    found: str = Field(description="what the inspection found")
    unit: str = Field(index=True, description="the responsible unit (责任单位) it is assigned to")
    due_at: datetime = Field(description="24:00 office time of the last day to fix it")
    due_rule: str
    due_provisional: bool = False
    actor_id: int = Field(foreign_key="actor.id")
    found_at: datetime


class RectificationFix(SQLModel, table=True):
    """A fix the responsible unit reported, with its evidence, during one visit of the finding to RECT_FIX."""

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="rectificationfinding.id", index=True)
    stage_record_id: int = Field(foreign_key="stagerecord.id")
    action: str = Field(description="整改情况: what was done")
    evidence: str = Field(description="佐证材料")
    actor_id: int = Field(foreign_key="actor.id")
    reported_at: datetime


@dataclass(frozen=True)
class FindingInput:
    """What an inspection enters for one problem found."""

    village_code: str
    item_code: str
    found: str
    unit: str
    due: date | None = None  # set by the inspection; otherwise the plan's date or the policy default


def _item_row(session: Session, province: str, year: int, item: ChecklistItem) -> int:
    """The stored snapshot of a checklist item, written the first time a finding cites it."""
    found = session.exec(select(RectificationItem).where(
        RectificationItem.province == province, RectificationItem.year == year, RectificationItem.code == item.code
    )).first()
    if found is None:
        found = RectificationItem(province=province, year=year, code=item.code, section=item.section,
                                  title=item.title, content=item.content, fix=item.fix, units_text=item.units_text,
                                  due_text=item.due_text)
        session.add(found)
        session.flush()
    assert found.id is not None
    return found.id


def record_findings(*, session: Session, year: int, findings: Sequence[FindingInput], actor: Actor,
                    now: datetime) -> list[int]:
    """Open one case per finding at the chain's first stage, with its unit and due date (the caller commits).

    Every finding is checked before anything is written: the inspecting role, a registered village in the actor's
    area, a checklist item of the year, what was found, and a unit the item names.
    """
    first = chain_named(CODE).first
    problem = recorder_problem(actor, first, Input.FINDING)
    if problem:
        raise InvalidInput("排查问题登记", "登记人", actor.title(), problem)
    if not findings:
        raise InvalidInput("排查问题", "问题清单", "空", "至少登记一个问题")
    villages = set(session.exec(select(col(Region.code)).where(
        col(Region.code).in_([f.village_code for f in findings]), col(Region.level) == Level.VILLAGE)))
    checked = []
    for n, finding in enumerate(findings, 1):
        record = f"第{n}个问题（村{finding.village_code}，排查事项{finding.item_code}）"
        if finding.village_code not in villages:
            raise InvalidInput(record, "村区划代码", finding.village_code, "不是已登记的行政村代码")
        if not actor.covers(finding.village_code):
            raise InvalidInput(record, "村区划代码", finding.village_code, f"不在{actor.title()}的辖区内")
        item = checklist_item(finding.village_code, year, finding.item_code)
        if not finding.found.strip():
            raise InvalidInput(record, "发现问题", finding.found, "须写明排查发现的具体问题")
        if finding.unit not in item.units:
            raise InvalidInput(record, "责任单位", finding.unit,
                               f"须为该排查事项所列责任单位之一：{'、'.join(item.units)}")
        settings = rectification_policy(finding.village_code, year)
        checked.append((finding, item, due_for(item, settings, year, now, finding.due)))
    case_ids = open_cases(
        session=session, chain=CODE, year=year, now=now, actor=actor, one_a_year=False,
        village_codes=[finding.village_code for finding, _, _ in checked],
        details=[{"item": item.code, "unit": finding.unit, "due": due.last_day.isoformat(),
                  "found": finding.found.strip()}
                 for finding, item, due in checked],
    )
    for case_id, (finding, item, due) in zip(case_ids, checked, strict=True):
        session.add(RectificationFinding(
            case_id=case_id, item_id=_item_row(session, finding.village_code[:2], year, item),
            village_code=finding.village_code, found=finding.found.strip(), unit=finding.unit, due_at=due.at,
            due_rule=due.rule, due_provisional=due.provisional, actor_id=actor.id or 0, found_at=now))
    session.flush()
    return case_ids


def finding_of(session: Session, case_id: int) -> RectificationFinding:
    found = session.exec(select(RectificationFinding).where(RectificationFinding.case_id == case_id)).first()
    if found is None:
        raise NotFound(f"案件{case_id}没有排查问题记录")
    return found


def report_fix(*, session: Session, case_id: int, action: str, evidence: str, actor: Actor, now: datetime) -> Result:
    """The responsible unit reports its fix with the evidence and sends the finding on for verification, in one
    transaction of the caller's (no commit); a refused move writes nothing."""
    row = admit(session=session, case_ids=[case_id], actor=actor, stage=FIX, kind=Input.FIX, now=now)[case_id]
    for label, text in (("整改情况", action), ("佐证材料", evidence)):
        if not text.strip():
            raise InvalidInput(f"案件{case_id}", label, text, "报送整改须写明整改情况并附佐证材料")
    finding = finding_of(session, case_id)
    assert row.record_id is not None and finding.id is not None
    session.add(RectificationFix(finding_id=finding.id, stage_record_id=row.record_id, action=action.strip(),
                                 evidence=evidence.strip(), actor_id=actor.id or 0, reported_at=now))
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, f"{CODE}.FIX_REPORT", case_id,
                                       {"unit": finding.unit, "action": action.strip(),
                                        "evidence": evidence.strip()})])
    return apply(session=session, chain=CODE, stage=FIX, case_ids=[case_id], move=Move.APPROVE, actor=actor, now=now)
