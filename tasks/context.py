"""What every task needs: a session on the configured database, the system actor, and "now"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlmodel import Session

from models.core.actors import Actor, system_actor
from models.core.clock import parse, to_db, utcnow
from models.core.db import session_scope


def moment(now: str | datetime | None) -> datetime:
    """A task's "now": given (simulated clock) or the real time."""
    if now is None:
        return utcnow()
    return to_db(now) if isinstance(now, datetime) else parse(now)


@contextmanager
def work() -> Iterator[tuple[Session, Actor]]:
    """A session committed when the block succeeds, with the system actor that signs machine moves."""
    with session_scope() as session:
        try:
            yield session, system_actor(session)
            session.commit()
        except Exception:
            session.rollback()
            raise
