"""A gate that makes concurrent writers truly overlap: it holds a write lock while the writers start, read what they
need and queue at their first write; only when every writer is queued does it open, so all of them acted on the
same reading of the database.

PostgreSQL: the gate locks the rows of one table, or some of them (SELECT ... FOR UPDATE); a writer counts as
queued when its backend waits on a lock. SQLite: the gate holds the file's write lock (BEGIN IMMEDIATE); a writer
counts as queued when its connection starts its first write statement (reads never wait in WAL mode).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from models.core.db import engine_for, session_scope

WRITES = ("UPDATE", "INSERT", "DELETE")


class Gate:
    def __init__(self, database: str, table: str, ids: list[int] | None = None) -> None:
        self.database, self.table, self.ids = database, table, ids
        self.sqlite = database.startswith("sqlite")
        self.queued = 0
        self._seen = threading.Condition()
        self._holder: object | None = None

    def __enter__(self) -> Gate:
        if self.sqlite:
            path = make_url(self.database).database
            assert path
            lock = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            lock.execute("BEGIN IMMEDIATE")
            self._holder = lock
        else:
            holder = engine_for(self.database).connect()
            rows = "" if self.ids is None else f" WHERE id IN ({', '.join(str(int(i)) for i in self.ids)})"
            holder.execute(text(f'SELECT 1 FROM "{self.table}"{rows} FOR UPDATE'))
            self._holder = holder
        return self

    def watch(self, session: Session) -> None:
        """Count this session as queued when it starts its first write (SQLite; PostgreSQL needs nothing)."""
        if not self.sqlite:
            return
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        flagged = False

        def traced(statement: str) -> None:
            nonlocal flagged
            if not flagged and statement.lstrip().upper().startswith(WRITES):
                flagged = True
                with self._seen:
                    self.queued += 1
                    self._seen.notify_all()

        raw.set_trace_callback(traced)

    @staticmethod
    def unwatch(session: Session) -> None:
        raw = session.connection().connection.dbapi_connection
        if isinstance(raw, sqlite3.Connection):
            raw.set_trace_callback(None)

    def wait_for(self, writers: int, timeout: float = 30.0) -> None:
        """Until `writers` writers are queued behind the gate."""
        deadline = time.monotonic() + timeout
        if self.sqlite:
            with self._seen:
                assert self._seen.wait_for(lambda: self.queued >= writers, timeout), f"{self.queued} of {writers}"
            return
        with session_scope(self.database) as session:
            while True:
                waiting = session.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'")).scalar_one()
                session.rollback()
                if waiting >= writers:
                    return
                assert time.monotonic() < deadline, f"{waiting} of {writers} writers queued"
                time.sleep(0.01)

    def open(self) -> None:
        holder, self._holder = self._holder, None
        if isinstance(holder, sqlite3.Connection):
            holder.execute("ROLLBACK")
            holder.close()
        elif isinstance(holder, Connection):
            holder.rollback()
            holder.close()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.open()


def together(database: str, calls: list[Callable[[Session], Any]], gate: Gate | None = None,
             staggered: bool = False) -> list[Any]:
    """Run each call in a thread of its own with a session of its own, all released at once; returns what each
    returned or raised, in the order given (the caller commits inside the call).

    Behind a gate, the gate opens once every call is queued at it; staggered, each call starts only when the
    one before is queued, so they queue in the order given."""
    start = threading.Barrier(1 if staggered else len(calls) + 1)
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[Session], Any]) -> None:
        try:
            with session_scope(database) as session:
                if gate:
                    gate.watch(session)
                try:
                    start.wait()
                    outcomes[index] = call(session)
                finally:
                    if gate:
                        gate.unwatch(session)
        except BaseException as error:  # noqa: BLE001  (every outcome is judged by the caller)
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for queued, thread in enumerate(threads, start=1):
        thread.start()
        if staggered:
            assert gate is not None
            gate.wait_for(queued)
    if not staggered:
        start.wait()
    if gate:
        gate.wait_for(len(calls))
        gate.open()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive()
    return outcomes
