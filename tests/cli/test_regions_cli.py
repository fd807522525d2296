"""`tuopin regions import FILE` and `tuopin regions add CODE NAME` on an empty database, through Typer."""

from __future__ import annotations

import csv

from sqlalchemy import func, select
from sqlmodel import Session
from typer.testing import CliRunner, Result

from cli.main import app
from models.core.audit import AuditEvent
from models.core.db import session_scope
from models.core.regions import Region
from models.core.settings import PROJECT_ROOT

runner = CliRunner(env={"COLUMNS": "250"})
EXAMPLE = str(PROJECT_ROOT / "docs" / "examples" / "regions.csv")


def tuopin(*args: str) -> Result:
    return runner.invoke(app, [*args, "--now", "2026-03-02 10:00"])


def counts(database: str) -> tuple[int, int]:
    with session_scope(database) as session:
        return _counts(session)


def _counts(session: Session) -> tuple[int, int]:
    return (int(session.scalar(select(func.count()).select_from(Region)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def test_the_example_file_is_checked_then_imported_then_found_registered(database):
    checked = tuopin("regions", "import", EXAMPLE, "--dry-run")
    assert checked.exit_code == 0, checked.output
    assert "检查通过（未写入）：可新增省级1个、市级1个、县级1个、乡镇级3个、村级13个" in checked.output
    assert counts(database) == (0, 0)
    done = tuopin("regions", "import", EXAMPLE)
    assert done.exit_code == 0, done.output
    assert "导入完成：新增省级1个、市级1个、县级1个、乡镇级3个、村级13个" in done.output
    assert counts(database) == (19, 1)
    again = tuopin("regions", "import", EXAMPLE)
    assert again.exit_code == 0 and "19个区划均已登记且名称一致，未写入任何数据" in again.output
    assert counts(database) == (19, 1)


def test_a_bad_file_lists_each_row_and_writes_nothing(database, tmp_path):
    path = tmp_path / "regions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("区划代码", "名称"), ("430000000000", "湖南省"), ("43010000000", "长沙市"),
                                      ("430121101201", "欧阳海村"), ("430000000000", "湖南")])
    result = tuopin("regions", "import", str(path))
    assert result.exit_code == 1 and "有3个问题，未导入任何区划" in result.output
    lines = result.output.splitlines()
    assert any("3" in line and "43010000000" in line and "12位数字" in line for line in lines)
    assert any("4" in line and "上级乡镇级区划430121101000" in line for line in lines)
    assert any("5" in line and "与第2行的区划代码重复" in line for line in lines)
    assert counts(database) == (0, 0)


def test_regions_are_added_one_by_one_under_registered_parents(database):
    for code, name in [("430000000000", "湖南省"), ("430100000000", "长沙市"), ("430121000000", "长沙县")]:
        result = tuopin("regions", "add", code, name)
        assert result.exit_code == 0, result.output
    assert "已添加县级区划：430121000000 长沙县" in result.output
    refused = tuopin("regions", "add", "430121101201", "欧阳海村")
    assert refused.exit_code == 1 and "上级乡镇级区划430121101000未登记，须先登记" in refused.output
    assert counts(database) == (3, 3)


def test_an_unknown_actor_is_refused(database):
    result = tuopin("regions", "import", EXAMPLE, "--as", "无此人")
    assert result.exit_code == 1 and "没有登录名为“无此人”的人员" in result.output
    assert counts(database) == (0, 0)
