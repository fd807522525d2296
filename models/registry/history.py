"""A household's change history as the audit trail holds it: who recorded which change, when, in words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models.core.audit import AuditEvent
from models.registry.kinds import ACTION


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    kind: str
    on: str  # 变更日期
    what: str
    note: str
    seq: int  # the audit event's number


def describe(detail: dict[str, Any]) -> str:
    """What a change did, in a sentence."""
    if "into" in detail:
        return f"全户（{'、'.join(detail['members'])}）并入户编号{detail['into']}"
    if "new_number" in detail:
        text = f"{'、'.join(detail['members'])}分出为新户（户编号{detail['new_number']}）"
    elif "flag" in detail:
        text = f"“{detail['flag']}”改为“{detail['value']}”"
    elif "phone" in detail:
        text = f"联系电话由“{detail['before'] or '（空）'}”改为“{detail['phone']}”"
    elif "relation" in detail:
        text = f"新增成员{detail['member']}（{detail['relation']}，证件号码{detail['resident_id']}）"
    else:
        text = f"成员{detail['member']}减员（{detail['kind']}）"
    if "new_head" in detail:
        text += f"，户主改为{detail['new_head']}"
    return text


def history(session: Session, number: str) -> list[HistoryEntry]:
    """Every change of the household with this 户编号 (those it took part in: a split from it, a merge into it), oldest
    first."""
    entries = []
    for event in session.exec(select(AuditEvent).where(col(AuditEvent.action) == ACTION,
                                                       col(AuditEvent.detail).contains(f'"{number}"'))
                              .order_by(col(AuditEvent.seq))):
        detail = json.loads(event.detail)
        if number not in detail.get("households", ()):
            continue
        entries.append(HistoryEntry(event.at, event.actor, detail["kind"], detail["on"], describe(detail),
                                    detail.get("note", ""), event.seq))
    return entries
