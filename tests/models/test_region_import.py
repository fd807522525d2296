"""A county's regions from a file or one by one: the whole file checked, each bad row named, nothing partial."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import Session

from models.core.actors import SYSTEM_NAME, Actor, Role
from models.core.audit import AuditEvent
from models.core.errors import InvalidInput
from models.core.regions import Level, Region, level_of, parent_code
from models.core.settings import PROJECT_ROOT
from models.importing.problems import ImportRefused
from models.importing.reading import Unreadable
from models.importing.regions import ACTION, ADD_ACTION, add_region, import_regions

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "regions.csv"
TOP = [("430000000000", "湖南省"), ("430100000000", "长沙市"), ("430121000000", "长沙县")]


def write(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = ("区划代码", "名称")) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def counts(session: Session) -> tuple[int, int, int]:
    session.rollback()
    return (int(session.scalar(select(func.count()).select_from(Region)) or 0),
            int(session.scalar(select(func.count()).select_from(Actor)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def refused(session: Session, path: Path) -> list[tuple[int, str, str]]:
    """The problems of a refused file as (row, column, value), after checking nothing was written."""
    before = counts(session)
    with pytest.raises(ImportRefused) as caught:
        import_regions(session=session, path=path, actor_name=SYSTEM_NAME, now=NOW)
    session.rollback()
    assert counts(session) == before
    return [(p.row, p.column, p.value) for p in caught.value.problems]


@pytest.mark.parametrize(("code", "level", "parent"), [
    ("430121101201", Level.VILLAGE, "430121101000"),
    ("430121101000", Level.TOWNSHIP, "430121000000"),
    ("430121000000", Level.COUNTY, "430100000000"),
    ("430100000000", Level.CITY, "430000000000"),
    ("430000000000", Level.PROVINCE, None),
])
def test_a_code_names_its_level_and_parent(code, level, parent):
    assert level_of(code) is level and parent_code(code, level) == parent


@pytest.mark.parametrize("code", ["43012110120", "4301211012011", "43012110120X", "000000000000", "430000101000",
                                  "430121000201", "４３０１２１１０１２０１"])
def test_a_code_of_no_level_is_none(code):
    assert level_of(code) is None


def test_the_example_file_is_imported_whole_with_the_system_actor_and_one_audit_event(session):
    plan = import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    assert plan.counts() == {"省级": 1, "市级": 1, "县级": 1, "乡镇级": 3, "村级": 13}
    village = session.get(Region, "430121101201")
    assert village is not None and village.name == "欧阳海村" and village.level is Level.VILLAGE
    assert village.parent_code == "430121101000"
    system = session.scalars(select(Actor).where(Actor.name == SYSTEM_NAME)).one()
    assert system.role is Role.SYSTEM and system.region_code == "430000000000"
    [event] = session.scalars(select(AuditEvent)).all()
    assert event.action == ACTION and '"sha256":"' + plan.sha256 in event.detail and '"added":19' in event.detail


def test_importing_the_same_file_again_writes_nothing(session):
    import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    before = counts(session)
    again = import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    assert (again.added, again.known) == ([], 19) and counts(session) == before


def test_an_xlsx_with_a_title_row_and_villages_before_their_township_is_read(session, tmp_path):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [("长沙县区划表",), ("名称", "区划代码", "级别"), ("欧阳海村", 430121101201, "村"),
                ("示范镇", "430121101000", "镇"), *[(name, code, "") for code, name in TOP]]:
        sheet.append(row)
    book.save(tmp_path / "regions.xlsx")
    plan = import_regions(session=session, path=tmp_path / "regions.xlsx", actor_name=SYSTEM_NAME, now=NOW)
    assert [r.row for r in plan.added] == [3, 4, 5, 6, 7] and len(plan.counts()) == 5


@pytest.mark.parametrize(("row", "column", "value", "reason"), [
    (("43012110120", "欧阳海村"), "区划代码", "43012110120", "12位数字"),
    (("430121102201", "高岭村"), "区划代码", "430121102201", "上级乡镇级区划430121102000"),
    (("430121101201", "增家源村"), "区划代码", "430121101201", "与第6行的区划代码重复"),
    (("430121101202", ""), "名称", "", "不能为空"),
    (("430121000201", "某村"), "区划代码", "430121000201", "各段不能为0"),
])
def test_each_bad_row_is_named_and_nothing_is_written(session, tmp_path, row, column, value, reason):
    good = [*TOP, ("430121101000", "示范镇"), ("430121101201", "欧阳海村")]  # rows 2 to 6
    path = write(tmp_path / "regions.csv", [*good, row])
    before = counts(session)
    with pytest.raises(ImportRefused) as caught:
        import_regions(session=session, path=path, actor_name=SYSTEM_NAME, now=NOW)
    session.rollback()
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (7, column, value) and reason in problem.reason
    assert counts(session) == before


def test_a_registered_code_under_another_name_is_refused(session, tmp_path):
    import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    path = write(tmp_path / "regions.csv", [("430121101209", "新村"), ("430121101201", "欧阳村")])
    problems = refused(session, path)
    assert problems == [(3, "名称", "欧阳村")]


def test_a_level_that_disagrees_with_the_code_is_refused(session, tmp_path):
    path = write(tmp_path / "regions.csv", [(*TOP[0], "省"), (*TOP[1], "县级"), (*TOP[2], "片区")],
                 header=("区划代码", "名称", "级别"))
    assert refused(session, path) == [(3, "级别", "县级"), (4, "级别", "片区")]


def test_a_file_without_the_two_columns_or_without_rows_is_refused(session, tmp_path):
    assert refused(session, write(tmp_path / "a.csv", [("430000000000", "湖南省")], header=("代号", "名称"))) == [
        (0, "（整个文件）", "a.csv")]
    assert refused(session, write(tmp_path / "b.csv", [])) == [(2, "（整个文件）", "")]
    with pytest.raises(Unreadable):
        import_regions(session=session, path=tmp_path / "missing.csv", actor_name=SYSTEM_NAME, now=NOW)


def test_one_region_is_added_under_its_registered_parent_with_an_audit_event(session):
    import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    added = add_region(session=session, code="430121103205", name="双江村", actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    assert added.level is Level.VILLAGE and session.get(Region, "430121103205") is not None
    assert session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all() == [ACTION, ADD_ACTION]


@pytest.mark.parametrize(("code", "name", "field", "rule"), [
    ("430121104201", "莲塘村", "区划代码", "上级乡镇级区划430121104000"),
    ("430121101201", "欧阳村", "名称", "已登记为“欧阳海村”"),
    ("430121101201", "欧阳海村", "区划代码", "无需重复添加"),
    ("4301211012", "某村", "区划代码", "12位数字"),
])
def test_adding_a_wrong_region_is_refused_with_its_rule(session, code, name, field, rule):
    import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    before = counts(session)
    with pytest.raises(InvalidInput) as caught:
        add_region(session=session, code=code, name=name, actor_name=SYSTEM_NAME, now=NOW)
    session.rollback()
    assert caught.value.field == field and rule in caught.value.rule and counts(session) == before


def test_the_example_roster_imports_into_the_example_regions(session):
    from models.importing import import_roster

    import_regions(session=session, path=EXAMPLE, actor_name=SYSTEM_NAME, now=NOW)
    system = session.scalars(select(Actor).where(Actor.name == SYSTEM_NAME)).one()
    plan = import_roster(session=session, path=PROJECT_ROOT / "docs" / "import-sample.csv", actor=system, now=NOW)
    assert (len(plan.households), plan.villages) == (3, 2)
