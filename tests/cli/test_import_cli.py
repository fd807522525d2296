"""`tuopin import FILE` and `tuopin export-roster REGION OUT.xlsx`, run through Typer on the test database."""

from __future__ import annotations

import csv

import typer
from typer.testing import CliRunner, Result

from cli.importing import SHOWN, export_roster_file, import_file, report_path
from models.core.actors import Role
from tests.models.roster_files import counts, roster, write_csv

app = typer.Typer()
app.command(name="import")(import_file)
app.command(name="export-roster")(export_roster_file)
runner = CliRunner(env={"COLUMNS": "250"})
NOW = ["--now", "2026-11-20 10:00"]


def tuopin(*args: str) -> Result:
    return runner.invoke(app, [*args, *NOW] if args[0] in ("import", "export-roster") else list(args))


def clerk(world) -> str:
    return world.actor(Role.TOWNSHIP_GOVERNMENT, world.township).name


def test_a_clean_file_is_imported_and_counted(world, tmp_path):
    rows = roster(world.session, world.villages, households=3)
    before = counts(world.session)
    result = tuopin("import", str(write_csv(tmp_path / "roster.csv", rows)), "--as", clerk(world))
    assert result.exit_code == 0, result.output
    assert f"导入完成：3个村3户{len(rows)}人，收入3条（2026年度）" in result.output
    assert counts(world.session) == (before[0] + 3, before[1] + len(rows), before[2] + 3, before[3] + 1)


def test_a_dry_run_reports_what_would_be_imported_and_writes_nothing(world, tmp_path):
    before = counts(world.session)
    path = write_csv(tmp_path / "roster.csv", roster(world.session, world.villages, households=2), encoding="gb18030")
    result = tuopin("import", str(path), "--as", clerk(world), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "检查通过（未写入）：可导入2个村2户3人" in result.output and "GB18030" in result.output
    assert counts(world.session) == before


def test_a_bad_file_prints_each_problem_exits_1_and_writes_nothing(world, tmp_path):
    rows = roster(world.session, world.villages, households=2)
    rows[0]["工资性收入"] = "-5"
    rows[2]["证件号码"] = "123"
    before = counts(world.session)
    result = tuopin("import", str(write_csv(tmp_path / "roster.csv", rows)), "--as", clerk(world))
    assert result.exit_code == 1
    assert "未执行：" in result.output and "有2个问题，未导入任何数据" in result.output
    lines = [line for line in result.output.splitlines() if "金额不能为负数" in line or "应为18位" in line]
    assert len(lines) == 2 and "2" in lines[0] and "工资性收入" in lines[0] and "4" in lines[1]
    assert counts(world.session) == before and not report_path(tmp_path / "roster.csv").exists()


def test_a_long_report_is_capped_on_screen_and_written_whole_with_report(world, tmp_path):
    rows = roster(world.session, world.villages, households=30)
    for row in rows:
        row["联系电话"] = "无"
    path = write_csv(tmp_path / "roster.csv", rows)
    capped = tuopin("import", str(path), "--as", clerk(world))
    assert capped.exit_code == 1
    assert f"共{len(rows)}个问题，以上仅列出前{SHOWN}个" in capped.output and len(rows) > SHOWN
    assert capped.output.count("联系电话应为") == SHOWN
    full = tuopin("import", str(path), "--as", clerk(world), "--report")
    assert full.exit_code == 1 and f"全部{len(rows)}个问题已写入" in full.output
    with report_path(path).open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["行号", "列名", "填写内容", "问题"] and len(lines) == len(rows) + 1
    assert lines[1][:3] == ["2", "联系电话", "无"]


def test_an_unknown_clerk_or_date_is_refused(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", roster(world.session, world.villages, households=1))
    before = counts(world.session)
    nobody = tuopin("import", str(path), "--as", "无此人")
    assert nobody.exit_code == 1 and "未执行：没有登录名为“无此人”的人员" in nobody.output
    bad_date = runner.invoke(app, ["import", str(path), "--as", clerk(world), "--now", "十一月"])
    assert bad_date.exit_code == 1 and "无法识别的日期" in bad_date.output
    assert counts(world.session) == before


def test_export_roster_writes_the_file_and_says_it_is_unmasked(world, tmp_path):
    out = tmp_path / "roster.xlsx"
    result = tuopin("export-roster", world.township, str(out), "--as", clerk(world))
    assert result.exit_code == 0, result.output
    assert "已导出：" in result.output and "含完整身份证号和电话" in result.output and out.stat().st_size > 0
    again = tuopin("import", str(out), "--as", clerk(world), "--dry-run")
    assert again.exit_code == 1 and "一人只能属于一户" in again.output


def test_export_roster_refuses_another_suffix_or_township(world, tmp_path):
    csv_out = tuopin("export-roster", world.township, str(tmp_path / "roster.csv"), "--as", clerk(world))
    assert csv_out.exit_code == 1 and "须以.xlsx结尾" in csv_out.output
    other = tuopin("export-roster", world.area.townships[1], str(tmp_path / "r.xlsx"), "--as", clerk(world))
    assert other.exit_code == 1 and "不在" in other.output and not (tmp_path / "r.xlsx").exists()
