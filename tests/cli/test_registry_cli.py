"""`tuopin registry apply FILE` and `tuopin registry history NUMBER` on the example county (docs/examples): the
example change sheet applies whole; one bad row among many, or a household outside the clerk's area, writes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.registry import registry_app
from models.core.actors import SYSTEM_NAME, Role, add_actor
from models.core.audit import AuditEvent
from models.core.clock import parse
from models.core.household import Household, Member
from models.importing import import_roster
from models.importing.regions import import_regions
from models.registry.revisions import HouseholdRevision

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
app = typer.Typer()
app.add_typer(registry_app, name="registry")
runner = CliRunner(env={"COLUMNS": "250"})
NOW = ["--now", "2026-10-08 10:00"]


def tuopin(*args: str) -> Result:
    return runner.invoke(app, ["registry", *args, *NOW] if args[0] == "apply" else ["registry", *args])


@pytest.fixture
def county(session):
    """The example county's regions and roster, the township's clerk and a village committee of 柏树村."""
    now = parse("2026-10-01 09:00")
    import_regions(session=session, path=EXAMPLES / "regions.csv", actor_name=SYSTEM_NAME, now=now)
    clerk = add_actor(session, name="黄丽娟", login="huanglijuan", role=Role.TOWNSHIP_GOVERNMENT,
                      region_code="430121101000")
    add_actor(session, name="何振宇", login="hezhenyu", role=Role.VILLAGE_COMMITTEE, region_code="430121101203")
    import_roster(session=session, path=EXAMPLES / "roster.csv", actor=clerk, now=now)
    session.commit()
    return session


def _written(session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(table))
                 for table in (HouseholdRevision, AuditEvent, Household, Member))


def _sheet(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    with (EXAMPLES / "changes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    edit(rows)
    path = tmp_path / "changes.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_example_sheet_is_checked_then_applied_and_each_change_is_in_the_history(county):
    before = _written(county)
    dry = tuopin("apply", str(EXAMPLES / "changes.csv"), "--as", "huanglijuan", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "检查通过（未写入）：9项变更" in dry.output and _written(county) == before
    done = tuopin("apply", str(EXAMPLES / "changes.csv"), "--as", "huanglijuan")
    assert done.exit_code == 0, done.output
    assert ("登记完成：9项变更（出生1项，迁出1项，婚入1项，电话变更1项，死亡1项，标识变更2项，婚出1项，分户1项）"
            in done.output)
    county.expire_all()
    dead = county.scalars(select(Member).where(Member.resident_id == "430121194808065516")).one()
    assert dead.left and dead.left_reason == "死亡"  # kept, marked left
    split = county.scalars(select(Household).where(Household.number == "4301211012040303")).one()
    assert split.head_name == "易军"
    shown = tuopin("history", "4301211012030101")
    assert shown.exit_code == 0, shown.output
    assert "出生" in shown.output and "陈子轩" in shown.output and "迁出" in shown.output and "黄丽娟" in shown.output
    again = tuopin("apply", str(EXAMPLES / "changes.csv"), "--as", "huanglijuan")
    assert again.exit_code == 1 and "不再重复登记" in again.output


def test_one_bad_row_among_many_names_its_row_field_and_rule_and_nothing_is_written(county, tmp_path):
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[4]["证件号码"] = "430121194808065517"  # row 6: 周德胜's ID mistyped
        rows[8]["新户编号"] = "4301211012040302"  # row 10: a split into an existing household

    before = _written(county)
    result = tuopin("apply", str(_sheet(tmp_path, edit)), "--as", "huanglijuan")
    assert result.exit_code == 1, result.output
    assert "有2个问题，未登记任何变更" in result.output
    lines = result.output.splitlines()
    assert any("6" in line and "证件号码" in line and "不是本户" in line for line in lines)
    assert any("10" in line and "新户编号" in line and "已有此户编号" in line for line in lines)
    county.expire_all()
    assert _written(county) == before


def test_a_bad_type_or_date_is_refused_by_row(county, tmp_path):
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[0]["变更类型"] = "新生"
        rows[1]["变更日期"] = "2026-13-01"
        rows[2]["变更日期"] = "2026-12-01"  # after --now

    result = tuopin("apply", str(_sheet(tmp_path, edit)), "--as", "huanglijuan")
    assert result.exit_code == 1 and "有3个问题" in result.output
    assert "变更类型应为出生" in result.output and "日期不存在" in result.output and "不能晚于今天" in result.output


def test_households_outside_the_clerks_area_are_refused_and_nothing_is_written(county):
    before = _written(county)
    result = tuopin("apply", str(EXAMPLES / "changes.csv"), "--as", "hezhenyu")  # 柏树村 only; rows 8-10: 枫林村
    assert result.exit_code == 1, result.output
    assert "有3个问题" in result.output and result.output.count("辖区内") == 3
    county.expire_all()
    assert _written(county) == before


def test_an_unknown_login_or_household_is_refused(county):
    assert "没有登录名为“nobody”的人员" in tuopin("apply", str(EXAMPLES / "changes.csv"), "--as", "nobody").output
    assert "系统中没有户编号0000" in tuopin("history", "0000").output


def test_an_xlsx_sheet_is_read_as_the_csv_and_a_row_may_name_the_household_a_split_above_created(county, tmp_path):
    from openpyxl import Workbook

    with (EXAMPLES / "changes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows.append(["4301211012040303", "标识变更", "", "", "", "2026-09-21", "", "低保", "是", "新户申请低保"])
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "变更表.xlsx"
    book.save(path)
    result = tuopin("apply", str(path), "--as", "huanglijuan")
    assert result.exit_code == 0, result.output
    assert "登记完成：10项变更" in result.output
    county.expire_all()
    assert county.scalars(select(Household).where(Household.number == "4301211012040303")).one().minimum_allowance
