"""Concurrent writers queue on the audit head instead of forking the chain (DESIGN decision 3)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from models.core import audit
from models.core.audit import AuditEvent, first_broken
from models.core.db import session_scope

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
WRITERS, BATCHES, EVENTS = 4, 10, 5


def _write(database: str, writer: int, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait()
        for batch in range(BATCHES):
            with session_scope(database) as session:
                audit.append(session, [audit.Event(T0, f"writer{writer}", "TEST", None, {"batch": batch, "n": n})
                                       for n in range(EVENTS)])
                session.commit()
    except BaseException as error:  # noqa: BLE001  (reported by the test)
        errors.append(error)


@pytest.mark.parametrize("head", ["existing", "missing"])
def test_concurrent_appends_keep_one_whole_chain(database, head):
    if head == "existing":
        with session_scope(database) as session:
            audit.append(session, [audit.Event(T0, "setup", "TEST", None)])
            session.commit()
    before = 1 if head == "existing" else 0
    start, errors = threading.Barrier(WRITERS), []
    threads = [threading.Thread(target=_write, args=(database, w, start, errors)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(database) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before + WRITERS * BATCHES * EVENTS
        assert first_broken(session) is None
