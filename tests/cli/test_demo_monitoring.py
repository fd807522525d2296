"""The monitoring demo's command-line wrapper end to end: its database and documents."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from demo.household_exit import console
from demo.monitoring import run as run_monitoring_demo

pytestmark = pytest.mark.usefixtures("demo_folder")


def test_the_monitoring_demo_writes_its_cases_and_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "monitoring"
    width = console.width
    console.width = 250  # every table row on one line
    try:
        run_monitoring_demo(str(out))
    finally:
        console.width = width
    printed = capsys.readouterr().out
    assert "10月20日00:05标记1件" in printed and "逾期3个工作日" in printed
    with closing(sqlite3.connect(out / "tuopin.db")) as db:
        states = dict(db.execute("SELECT status, count(*) FROM \"case\" WHERE chain = 'MONITORING' GROUP BY status"))
        flagged = db.execute("SELECT count(*) FROM stagerecord WHERE overdue_at IS NOT NULL").fetchone()[0]
        paths = [Path(p) for (p,) in db.execute("SELECT path FROM document WHERE chain = 'MONITORING'")]
    assert states == {"EXITED": 3}
    assert flagged == 1
    assert len(paths) == 10 and all(p.is_file() and p.is_relative_to(out) for p in paths)
