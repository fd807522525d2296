"""The plain-SQL baselines of the benchmark, on the same case rows as the engine, in the same run."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from datetime import datetime


def baselines(db_path: str, stages: int) -> tuple[float, float, int]:
    """Plain SQLite on the same case rows: set-based UPDATE per stage, and per-case UPDATE + audit row."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.executescript(
        "DROP TABLE IF EXISTS bench_case; DROP TABLE IF EXISTS bench_audit;"
        'CREATE TABLE bench_case AS SELECT id, 0 AS stage, 1 AS version FROM "case";'
        "CREATE UNIQUE INDEX bench_case_id ON bench_case(id);"
        "CREATE TABLE bench_audit (seq INTEGER PRIMARY KEY, case_id INTEGER, at TEXT, action TEXT,"
        " prev_hash TEXT, hash TEXT);"
    )
    ids = [r[0] for r in connection.execute("SELECT id FROM bench_case ORDER BY id")]
    mark = time.perf_counter()
    for stage in range(stages):
        connection.execute("UPDATE bench_case SET stage = ? WHERE stage = ?", (stage + 1, stage))
        connection.commit()
    set_based = time.perf_counter() - mark
    connection.execute("UPDATE bench_case SET stage = 0, version = 1")
    connection.commit()
    mark = time.perf_counter()
    previous = "0" * 64
    for stage in range(stages):
        for case_id in ids:
            cursor = connection.execute(
                "UPDATE bench_case SET stage = ?, version = version + 1 WHERE id = ? AND version = ?",
                (stage + 1, case_id, stage + 1),
            )
            assert cursor.rowcount == 1
            at = datetime.now().isoformat()
            digest = hashlib.sha256(f"{case_id}|{stage}|{at}|{previous}".encode()).hexdigest()
            connection.execute("INSERT INTO bench_audit (case_id, at, action, prev_hash, hash) VALUES (?,?,?,?,?)",
                               (case_id, at, f"stage{stage}", previous, digest))
            previous = digest
        connection.commit()
    per_case = time.perf_counter() - mark
    connection.executescript("DROP TABLE bench_case; DROP TABLE bench_audit;")
    connection.close()
    return set_based, per_case, len(ids)
