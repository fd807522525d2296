"""The edge household identification demo end to end: four households listed, the two at the bounds, the 低保户 and
the household whose objection was upheld refused, each with its reason."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from demo.edge_identify import run as run_edge_identify_demo
from demo.household_exit import console

pytestmark = pytest.mark.usefixtures("demo_folder")


def test_the_edge_demo_lists_four_and_refuses_four_with_their_reasons(tmp_path: Path):
    out = tmp_path / "edge"
    with console.capture() as captured:
        run_edge_identify_demo(str(out))
    output = captured.get()
    assert "人均纯收入3326.00元，不符合下限“超过3326元”" in output
    assert "人均纯收入4000.00元，不符合上限“低于4000元”" in output
    assert "属低保户，按规定暂不列入贫困边缘户" in output
    assert "异议成立" in output and "人均纯收入4500.00元" in output
    assert "公示期未满（公示至2026年3月16日），不能流转" in output
    assert "填写入户核实登记表3份（每村一份，每户一页）" in output and "另填入户核实登记表1份" in output
    assert "村委会受理，出具申请书3份（每村一份，每户一页）" in output
    with closing(sqlite3.connect(out / "tuopin.db")) as db:
        states = dict(db.execute("SELECT status, count(*) FROM \"case\" WHERE chain = 'EDGE_IDENTIFY' GROUP BY status"))
        reasons = sorted(r for (r,) in db.execute(
            "SELECT reason FROM stagerecord WHERE outcome = 'REJECTED' ORDER BY case_id"))
        kinds = dict(db.execute("SELECT kind, count(*) FROM document WHERE chain = 'EDGE_IDENTIFY' GROUP BY kind"))
        paths = [Path(p) for (p,) in db.execute("SELECT path FROM document WHERE chain = 'EDGE_IDENTIFY'")]
        public = dict(db.execute("SELECT kind, max(public) FROM document WHERE chain = 'EDGE_IDENTIFY' GROUP BY kind"))
    assert states == {"EXITED": 4, "REJECTED": 4}
    assert len(reasons) == 4 and all(r.startswith("不符合贫困边缘户识别标准：") for r in reasons)
    # applications: the eight applicants live in three villages (3, 3 and 2) and all apply on the first day, one
    # application per village and day; the objected household goes back to the home visit, not to the application.
    # registration forms: one per village for the first home visit, one more for the objected household's re-visit
    assert kinds == {"application": 3, "edge_review_minutes": 3, "registration_form": 4, "edge_notice": 6,
                     "edge_announcement": 3}
    assert public == {"application": 0, "edge_review_minutes": 0, "registration_form": 0, "edge_notice": 1,
                      "edge_announcement": 1}
    assert paths and all(p.is_file() and p.is_relative_to(out) for p in paths)
