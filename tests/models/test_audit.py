"""The audit trail is a hash chain: any edited or removed event is found."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update

from models.core.audit import AuditEvent, first_broken
from tests.walk import open_all

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)


def test_every_case_move_leaves_a_chained_event(world):
    ids = open_all(world, T0)
    assert world.session.scalar(select(func.count()).select_from(AuditEvent)) == len(ids)
    assert first_broken(world.session) is None


def test_an_edited_event_is_found(world):
    open_all(world, T0)
    world.session.execute(update(AuditEvent).where(AuditEvent.seq == 5).values(actor="某人"))
    assert first_broken(world.session) == 5


def test_a_removed_event_is_found(world):
    open_all(world, T0)
    world.session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
    assert first_broken(world.session) == 3


def test_a_removed_last_event_is_found(world):
    ids = open_all(world, T0)
    world.session.execute(delete(AuditEvent).where(AuditEvent.seq == len(ids)))
    assert first_broken(world.session) == len(ids)
