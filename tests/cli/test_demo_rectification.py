"""The rectification demo end to end on the simulated clock: the refusals, the states and the overdue report."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from demo.rectification import run as run_rectification_demo

pytestmark = pytest.mark.usefixtures("demo_folder")


def test_the_demo_closes_one_returns_one_and_reports_the_overdue_one(tmp_path: Path, capsys):
    out = tmp_path / "rect"
    run_rectification_demo(str(out))
    printed = capsys.readouterr().out
    assert "报送整改须写明整改情况并附佐证材料" in printed
    assert "不在“县级复核销号”环节" in printed
    assert "逾期8天" in printed
    with closing(sqlite3.connect(out / "tuopin.db")) as db:
        states = sorted(db.execute("SELECT stage, status FROM \"case\" WHERE chain = 'RECTIFICATION' ORDER BY id"))
        returned = db.execute("SELECT reason FROM stagerecord WHERE outcome = 'RETURNED'").fetchall()
        paths = [Path(p) for (p,) in db.execute("SELECT path FROM document WHERE chain = 'RECTIFICATION'")]
    assert states == sorted([("RECT_CLOSE", "EXITED"), ("RECT_CLOSE", "ACTIVE"), ("RECT_FIX", "ACTIVE"),
                             ("RECT_VERIFY", "ACTIVE"), ("RECT_VERIFY", "ACTIVE")])
    assert [r for (r,) in returned] == ["整改不到位：收入调查表未经贫困户签字认可，转移性收入未与惠农补贴明白折核对"]
    assert len(paths) == 1 and paths[0].is_file() and paths[0].is_relative_to(out)
    html = paths[0].read_text(encoding="utf-8")
    assert "<td>2026年11月23日</td><td>8</td>" in html  # the one never fixed: 8 days past its due day
