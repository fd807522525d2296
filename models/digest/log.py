"""Which office's digest went out on which office day: a sweep run again the same day (a retry, a restart) does not
mail an office twice. An office is claimed before its mail is sent and released if sending fails."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from models.core.clock import local_date


class DigestSent(SQLModel, table=True):
    office_code: str = Field(primary_key=True, description="the office's 12-digit region code")
    day: date = Field(primary_key=True, description="the office's calendar day of the sweep")
    recipient: str
    sent_at: datetime


def claim(session: Session, office_code: str, recipient: str, now: datetime) -> bool:
    """Record that the office's digest of today goes out now (committed); False if it already went today."""
    session.add(DigestSent(office_code=office_code, day=local_date(now), recipient=recipient, sent_at=now))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def release(session: Session, office_code: str, now: datetime) -> None:
    """Forget today's claim of an office whose mail could not be sent, so that a later sweep sends it."""
    table = DigestSent.__table__  # type: ignore[attr-defined]
    session.execute(delete(table).where(table.c.office_code == office_code, table.c.day == local_date(now)))
    session.commit()
