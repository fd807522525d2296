"""Objections (异议) against a case on a posted list: recorded, then dismissed or upheld."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.core import audit
from models.core.actors import Actor
from models.core.clock import cn_date, last_day
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.core.publicity import OBJECTION_NAMES, Objection, ObjectionStatus, Window, WindowCase
from models.door.chain import chain_named
from models.door.engine import Move, apply, check_actor
from models.door.inputs import cases_in_area


def raise_objection(
    *, session: Session, case_id: int, raised_by: str, content: str, now: datetime, actor: Actor
) -> Objection:
    """Record who objected, when and to what, while the case's window is open (the caller commits)."""
    row = cases_in_area(session=session, case_ids=[case_id], actor=actor, now=now)[case_id]
    if not raised_by.strip():
        raise InvalidInput(f"案件{case_id}的异议", "异议人", raised_by, "须写明异议人姓名")
    if not content.strip():
        raise InvalidInput(f"案件{case_id}的异议", "异议内容", content, "须写明异议内容")
    window = session.execute(
        select(col(Window.id), col(Window.opened_at), col(Window.ends_at), col(Window.closed_at))
        .join(WindowCase, col(WindowCase.window_id) == col(Window.id))
        .where(WindowCase.stage_record_id == row.record_id)
    ).first()
    if window is None or now < window.opened_at or window.closed_at is not None or now >= window.ends_at:
        if window is None or now < window.opened_at:
            when = "（尚未公示）"
        else:
            when = f"（公示已于{cn_date(last_day(window.ends_at))}结束）"
        raise InvalidInput(f"案件{case_id}", "异议时间", cn_date(now), f"只能在公示期内提出异议{when}")
    objection = Objection(case_id=case_id, window_id=window.id, raised_by=raised_by.strip(), raised_at=now,
                          content=content.strip())
    session.add(objection)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "OBJECTION.RAISE", case_id, {
        "objection": objection.id, "raised_by": objection.raised_by, "content": objection.content})])
    return objection


def resolve_objection(
    *, session: Session, objection_id: int, upheld: bool, resolution: str, now: datetime, actor: Actor
) -> Objection:
    """Dismiss (the case goes on) or uphold (the case goes back, or out at the last stage); caller commits."""
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise NotFound(f"异议{objection_id}不存在")
    row = cases_in_area(session=session, case_ids=[objection.case_id], actor=actor, now=now)[objection.case_id]
    wanted = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    if objection.status == wanted:
        return objection
    if objection.status != ObjectionStatus.OPEN:
        raise TransitionRefused({objection.case_id: f"异议{objection_id}已处理（{OBJECTION_NAMES[objection.status]}）"})
    if not resolution.strip():
        raise InvalidInput(f"异议{objection_id}", "核实结论", resolution, "须写明核实情况")
    stage = chain_named(row.chain).stage(row.stage)
    problem = check_actor(actor, stage, Move.RETURN, objection=True)
    if problem:
        raise TransitionRefused({row.id: problem})
    objection.status, objection.resolved_by = wanted, actor.id
    objection.resolved_at, objection.resolution = now, resolution.strip()
    session.add(objection)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, f"OBJECTION.{wanted.value}", row.id, {
        "objection": objection_id, "resolution": objection.resolution})])
    if upheld:
        move = Move.RETURN if stage.sends_back_to else Move.REJECT
        apply(session=session, chain=row.chain, stage=row.stage, case_ids=[row.id], move=move, actor=actor,
              now=now, reason=f"异议成立：{objection.resolution}", objection_id=objection_id)
    return objection
