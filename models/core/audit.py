"""Append-only audit trail: each event holds the hash of the one before it.

The head (last sequence number and hash) is one row read under a lock and written in the same
transaction as the events, so concurrent writers queue instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Field, Session, SQLModel

from models.core.bulk import db_value, executemany

GENESIS = "0" * 64


class AuditEvent(SQLModel, table=True):
    seq: int = Field(primary_key=True)
    at: datetime
    actor: str
    action: str
    case_id: int | None = Field(default=None, index=True)
    detail: str = Field(description="canonical JSON of what changed")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = GENESIS


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    action: str
    case_id: int | None
    detail: dict[str, Any] | str = field(default_factory=dict)  # a str is already canonical JSON


def digest(seq: int, event: Event, detail: str, prev_hash: str) -> str:
    """The hash of one event, chained to the previous one."""
    body = "|".join([str(seq), event.at.isoformat(), event.actor, event.action, str(event.case_id), detail, prev_hash])
    return hashlib.sha256(body.encode()).hexdigest()


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def append(session: Session, events: Sequence[Event]) -> None:
    """Append events after the head, in order, within the caller's transaction."""
    if not events:
        return
    head_table = AuditHead.__table__  # type: ignore[attr-defined]
    # Read the head by writing it: the row lock (PostgreSQL) or the database's write lock (SQLite) is taken
    # before the head is read, so a concurrent writer waits here and then reads the head this one leaves.
    lock_head = (update(head_table).where(head_table.c.id == 1).values(seq=head_table.c.seq)
                 .returning(head_table.c.seq, head_table.c.hash))
    row = session.execute(lock_head).first()
    if row is None:
        # The trail's first event: create the head. A concurrent first writer may be creating it too; then
        # this waits for it, adds nothing, and takes the head as that writer left it.
        new_head = {"id": 1, "seq": 0, "hash": GENESIS}
        # imported here: the PostgreSQL dialect takes ~30 ms to import, and reads (`tuopin status`) never append
        from sqlalchemy.dialects import postgresql, sqlite

        if session.get_bind().dialect.name == "postgresql":
            session.execute(postgresql.insert(head_table).values(new_head).on_conflict_do_nothing())
        else:
            session.execute(sqlite.insert(head_table).values(new_head).on_conflict_do_nothing())
        row = session.execute(lock_head).one()
    seq, prev = row
    rows = []
    for event in events:
        seq += 1
        detail = event.detail if isinstance(event.detail, str) else canonical(event.detail)
        current = digest(seq, event, detail, prev)
        rows.append(
            {
                "seq": seq,
                "at": event.at,
                "actor": event.actor,
                "action": event.action,
                "case_id": event.case_id,
                "detail": detail,
                "prev_hash": prev,
                "hash": current,
            }
        )
        prev = current
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    moments = {at: db_value(session, table.c.at, at) for at in {r["at"] for r in rows}}
    executemany(session, table, "INSERT INTO {table} (seq, at, actor, action, case_id, detail, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(r["seq"], moments[r["at"]], r["actor"], r["action"], r["case_id"], r["detail"], r["prev_hash"],
                  r["hash"]) for r in rows])
    session.execute(update(head_table).where(head_table.c.id == 1).values(seq=seq, hash=prev))


def first_broken(session: Session) -> int | None:
    """The sequence number of the first event that was edited, removed or reordered; None if whole."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    prev, expected_seq = GENESIS, 1
    result = session.execute(select(table).order_by(table.c.seq)).mappings()
    for row in result:
        if row["seq"] != expected_seq or row["prev_hash"] != prev:
            return int(expected_seq)
        event = Event(row["at"], row["actor"], row["action"], row["case_id"])
        if digest(row["seq"], event, row["detail"], prev) != row["hash"]:
            return int(row["seq"])
        prev, expected_seq = row["hash"], expected_seq + 1
    head = session.execute(select(AuditHead.__table__)).mappings().first()  # type: ignore[attr-defined]
    if head is not None and (head["seq"] != expected_seq - 1 or head["hash"] != prev):
        return int(expected_seq)
    return None
