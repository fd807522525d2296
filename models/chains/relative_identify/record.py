"""The record card of a relative-poor household (seed 004: 贫困户建档立卡): cause of poverty, helper, 3-year and
yearly plans, funds and projects, with households with and without labour capacity recorded apart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric
from sqlmodel import Field, Session, SQLModel, col, select

from models.core import audit
from models.core.actors import Actor
from models.core.errors import InvalidInput
from models.door.chain import CaseRow, Input
from models.door.inputs import admit

STAGE = "REL_RECORD"
LABOUR_NAMES = {True: "有劳动能力", False: "无劳动能力"}


class RelativeRecordBase(SQLModel):
    """What the card holds, as the helper and the village fill it in."""

    cause: str = Field(description="致贫原因")
    helper: str = Field(description="帮扶责任人")
    helper_unit: str = Field(default="", description="帮扶单位")
    three_year_plan: str = Field(description="三年帮扶规划")
    yearly_plan: str = Field(description="年度帮扶计划")
    has_labour: bool = Field(description="有劳动能力 (recorded apart from households without)")
    funds: Decimal = Field(default=Decimal(0), sa_type=Numeric(14, 2), nullable=False, description="扶持资金（元）")
    projects: str = Field(default="", description="扶持项目名称、规模")


class RelativeRecord(RelativeRecordBase, table=True):
    """One household's card in one year, tied to its case."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    actor_id: int = Field(foreign_key="actor.id")
    recorded_at: datetime


REQUIRED = {"cause": "致贫原因", "helper": "帮扶责任人", "three_year_plan": "三年帮扶规划",
            "yearly_plan": "年度帮扶计划"}


def write_record(*, session: Session, case_id: int, data: RelativeRecordBase, actor: Actor,
                 now: datetime) -> RelativeRecord:
    """Fill in (or correct) a household's card at the record stage (the caller commits); a person or case the stage
    input check refuses, an empty required field or negative funds is refused and nothing is written."""
    admit(session=session, case_ids=[case_id], actor=actor, stage=STAGE, kind=Input.RECORD_CARD, now=now)
    record = f"案件{case_id}建档立卡"
    for name, label in REQUIRED.items():
        if not str(getattr(data, name)).strip():
            raise InvalidInput(record, label, "空", "建档立卡须填写致贫原因、帮扶责任人、三年帮扶规划和年度帮扶计划")
    if data.funds < 0:
        raise InvalidInput(record, "扶持资金", data.funds, "金额不能为负数")
    card = session.scalars(select(RelativeRecord).where(col(RelativeRecord.case_id) == case_id)).first()
    if card is None:
        card = RelativeRecord(**data.model_dump(), case_id=case_id, actor_id=actor.id or 0, recorded_at=now)
    else:
        for name, value in data.model_dump().items():
            setattr(card, name, value)
        card.actor_id, card.recorded_at = actor.id or 0, now
    session.add(card)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "REL_RECORD.WRITE", case_id, {
        "cause": data.cause, "helper": data.helper, "has_labour": data.has_labour})])
    return card


def record_complete(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Guard: the household's card is filled in."""
    have = set(session.scalars(select(col(RelativeRecord.case_id)).where(
        col(RelativeRecord.case_id).in_([r.id for r in rows]))))
    return {r.id: "尚未填写建档立卡内容（致贫原因、帮扶责任人、三年帮扶规划、年度帮扶计划、劳动能力）"
            for r in rows if r.id not in have}
