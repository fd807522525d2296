"""Roster import: the whole file is checked first, every bad row, column and reason is reported in Chinese, and
nothing is written unless the file is clean; a clean file is written whole with one audit event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from stdnum.cn import ric

from models.core.actors import Role
from models.core.audit import AuditEvent, first_broken
from models.core.household import Household, Income, Member
from models.core.settings import PROJECT_ROOT
from models.importing import ACTION, ImportRefused, import_roster
from tests.models.roster_files import counts, roster, write_csv, write_xlsx

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def county(world):
    return world.actor(Role.COUNTY_GOVERNMENT)


def run(world, path, *, actor=None, dry_run=False):
    plan = import_roster(session=world.session, path=path, actor=actor or county(world), now=NOW, dry_run=dry_run)
    world.session.commit()
    return plan


def refused(world, path, *, actor=None):
    """The problems of a refused file, after checking that nothing at all was written."""
    before = counts(world.session)
    with pytest.raises(ImportRefused) as error:
        run(world, path, actor=actor)
    world.session.rollback()
    assert counts(world.session) == before
    return [(p.row, p.column, p.reason) for p in error.value.problems]


def test_a_clean_csv_adds_every_household_member_and_income_with_one_audit_event(world, tmp_path):
    rows = roster(world.session, world.villages, households=5)
    before = counts(world.session)
    plan = run(world, write_csv(tmp_path / "花名册.csv", rows))
    assert (len(plan.households), plan.people, plan.incomes) == (5, len(rows), 5)
    assert counts(world.session) == (before[0] + 5, before[1] + len(rows), before[2] + 5, before[3] + 1)
    spouse = world.session.scalars(select(Member).where(Member.resident_id == rows[2]["证件号码"])).one()
    household = world.session.get(Household, spouse.household_id)
    assert (spouse.name, spouse.relation, spouse.sex, spouse.resident) == (rows[2]["姓名"], "配偶", "女", True)
    assert (household.number, household.village_code, household.head_name, household.phone) == (
        rows[1]["户编号"], rows[1]["村代码"], rows[1]["姓名"], rows[1]["联系电话"])
    assert (household.registered_poor, household.minimum_allowance, household.destitute) == (True, False, False)
    income = world.session.scalars(select(Income).where(Income.household_id == household.id)).one()
    assert (income.year, income.wages, income.operating, income.expenses) == (
        2026, Decimal(12000), Decimal("2400.50"), Decimal("300.50"))
    event = world.session.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)).one()
    detail = json.loads(event.detail)
    assert (detail["file"], detail["sha256"], detail["households"], detail["members"], detail["incomes"]) == (
        "花名册.csv", plan.sha256, 5, len(rows), 5)
    assert event.actor == county(world).name and first_broken(world.session) is None


@pytest.mark.parametrize(("encoding", "found"), [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带BOM）"),
                                                 ("gb18030", "GB18030"), ("utf-16", "UTF-16")])
def test_csv_in_each_encoding_excel_saves_is_read(world, tmp_path, encoding, found):
    rows = roster(world.session, world.villages, households=2)
    plan = run(world, write_csv(tmp_path / "roster.csv", rows, encoding=encoding))
    assert plan.encoding == found and plan.people == len(rows)
    names = set(world.session.scalars(select(Member.name).where(Member.resident_id.in_([r["证件号码"] for r in rows]))))
    assert names == {r["姓名"] for r in rows}  # the Chinese names survive the decoding


def test_an_xlsx_with_a_title_row_header_variants_and_float_amounts_is_read(world, tmp_path):
    rows = roster(world.session, world.villages, households=3)
    for row in rows:
        row["身份证号码"] = row.pop("证件号码")
        row["工资性收入（元）"] = float(row.pop("工资性收入")) + 0.1  # 12000.1 is 12000.0999… as a float
        row["民族"] = "汉族"
    headers = ["序号", "乡（镇）", "行政村", "村民小组", "户编号", "姓名", "身份证号码", "与户主关系", "民族", "年度",
               "工资性收入（元）", "家庭经营收入", "财产性收入", "转移性收入", "家庭生产经营费用支出"]
    path = write_xlsx(tmp_path / "roster.xlsx", rows, headers=headers, above=[["示范镇建档立卡户花名册"]])
    plan = run(world, path)
    assert plan.people == len(rows) and set(plan.unused) == {"序号", "民族"}
    stored = world.session.scalars(select(Income.wages).join(Household, Household.id == Income.household_id)
                                   .where(Household.number == rows[0]["户编号"])).one()
    assert stored == Decimal("6000.10")


def test_household_values_may_be_given_on_the_head_row_only(world, tmp_path):
    rows = roster(world.session, world.villages, households=2)
    for row in rows:
        if row["与户主关系"] != "户主":
            for key in ("乡（镇）", "行政村", "村代码", "村民小组", "户主姓名", "家庭人口", "年度", "工资性收入",
                        "家庭经营收入", "财产性收入", "转移性收入", "家庭生产经营费用支出", "人均纯收入"):
                row[key] = ""
    plan = run(world, write_csv(tmp_path / "roster.csv", rows))
    assert [len(h.members) for h in plan.households] == [1, 2] and plan.incomes == 2


def test_a_dry_run_checks_the_whole_file_and_writes_nothing(world, tmp_path):
    before = counts(world.session)
    plan = run(world, write_csv(tmp_path / "roster.csv", roster(world.session, world.villages)), dry_run=True)
    assert len(plan.households) == 4 and counts(world.session) == before


def test_income_exactly_zero_is_accepted(world, tmp_path):
    rows = roster(world.session, world.villages, households=1)
    for key in ("工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭生产经营费用支出", "人均纯收入"):
        rows[0][key] = "0"
    run(world, write_csv(tmp_path / "roster.csv", rows))
    income = world.session.scalars(select(Income).join(Household, Household.id == Income.household_id)
                                   .where(Household.number == rows[0]["户编号"])).one()
    assert (income.wages, income.transfer, income.expenses) == (Decimal(0), Decimal(0), Decimal(0))


def test_every_problem_of_the_file_is_listed_in_row_order_not_just_the_first(world, tmp_path):
    rows = roster(world.session, world.villages, households=4)
    rows[5]["工资性收入"] = "-0.01"
    rows[0]["姓名"] = ""
    rows[4]["性别"] = "男"  # the spouse's ID is a woman's
    problems = refused(world, write_csv(tmp_path / "roster.csv", rows))
    assert [(row, column) for row, column, _ in problems][:3] == [(2, "姓名"), (6, "性别"), (7, "工资性收入")]
    assert "金额不能为负数" in problems[2][2] and "与身份证号不符" in problems[1][2]


def test_the_same_file_twice_is_refused_as_already_imported(world, tmp_path):
    path = write_csv(tmp_path / "roster.csv", roster(world.session, world.villages))
    run(world, path)
    problems = refused(world, path)
    assert len(problems) == 1 and problems[0][0] == 0
    assert "已于2026年11月20日" in problems[0][2] and "不再重复导入" in problems[0][2]


def test_a_person_already_imported_from_another_file_is_named_with_the_household(world, tmp_path):
    first = roster(world.session, world.villages, households=2, seed=1)
    run(world, write_csv(tmp_path / "a.csv", first))
    second = roster(world.session, world.villages, households=2, seed=2)
    second[1].update({key: first[2][key] for key in ("证件号码", "性别")})  # the spouse of A's second household
    problems = refused(world, write_csv(tmp_path / "b.csv", second))
    owner = f"户编号{first[2]['户编号']}（户主{first[1]['姓名']}）"
    assert problems == [(3, "证件号码", f"此人已登记在{owner}中，一人只能属于一户")]


def test_a_resave_of_an_imported_file_lists_each_row_as_already_registered(world, tmp_path):
    rows = roster(world.session, world.villages, households=2)
    run(world, write_csv(tmp_path / "roster.csv", rows))
    problems = refused(world, write_xlsx(tmp_path / "roster.xlsx", rows))
    assert sorted({row for row, column, _ in problems if column == "证件号码"}) == [2, 3, 4]
    assert sorted({row for row, column, _ in problems if column == "户编号"}) == [2, 3]


def test_a_village_outside_the_importers_area_is_refused(world, tmp_path):
    other = world.area.villages[world.area.townships[1]][0]
    rows = roster(world.session, [world.villages[0], other], households=2)
    township = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    problems = refused(world, write_csv(tmp_path / "roster.csv", rows), actor=township)
    assert [(row, column) for row, column, _ in problems] == [(3, "村代码")]
    assert "辖区" in problems[0][2]


def test_an_id_stored_as_a_number_in_excel_is_explained(world, tmp_path):
    rows = roster(world.session, world.villages, households=1)
    rows[0]["证件号码"] = int(str(rows[0]["证件号码"])[:17] + "0")
    problems = refused(world, write_xlsx(tmp_path / "roster.xlsx", rows))
    assert problems == [(2, "证件号码", "身份证号被Excel存成了数字，末尾几位已丢失：请把该列设为“文本”格式后重新录入")]


def test_a_valid_id_with_a_birth_date_after_today_is_refused(world, tmp_path):
    rows = roster(world.session, world.villages, households=1)
    body = "43012120270101001"
    rows[0]["证件号码"] = body + ric.calc_check_digit(body + "0")
    assert refused(world, write_csv(tmp_path / "roster.csv", rows)) == [(2, "证件号码", "身份证号中的出生日期晚于今天")]


def test_the_documented_sample_imports_cleanly(world):
    plan = run(world, PROJECT_ROOT / "docs" / "import-sample.csv")
    assert (len(plan.households), plan.people, plan.incomes, plan.encoding) == (3, 8, 3, "UTF-8（带BOM）")
    away = world.session.scalars(select(Member).where(Member.name == "周海军")).one()
    assert away.resident is False  # works away from home: not counted in the per-capita income
    alone = world.session.scalars(select(Household).where(Household.head_name == "李秀兰")).one()
    assert (alone.registered_poor, alone.minimum_allowance, alone.destitute) == (True, True, False)


def test_a_two_row_header_with_merged_income_titles_is_read_and_rows_keep_excel_numbers(world, tmp_path):
    rows = roster(world.session, world.villages, households=2)
    first = ["行政村", "村代码", "村民小组", "户编号", "姓名", "证件号码", "与户主关系", "年度", "家庭收入情况（元）"]
    second = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭生产经营费用支出"]

    def save(name):
        book = Workbook()
        sheet = book.active
        sheet.append(["示范镇建档立卡户花名册"])
        sheet.append(first)
        sheet.append([""] * 8 + second)
        sheet.merge_cells("I2:M2")
        for row in rows:
            sheet.append([row[key] for key in first[:8] + second])
        book.save(tmp_path / name)
        return tmp_path / name

    good = save("merged.xlsx")
    rows[1]["财产性收入"] = "一百"
    assert refused(world, save("merged-bad.xlsx")) == [(5, "财产性收入", "金额应为数字（单位：元）")]
    plan = run(world, good)
    assert plan.people == len(rows) and plan.unused == () and plan.incomes == 2


def test_a_long_household_number_stored_as_a_number_in_excel_is_explained(world, tmp_path):
    rows = roster(world.session, world.villages, households=2)
    for row in rows[1:]:
        row["户编号"] = 4301211012019000  # typed into a General cell: Excel keeps 15 digits
    problems = refused(world, write_xlsx(tmp_path / "roster.xlsx", rows))
    assert problems == [(row, "户编号", "户编号被Excel存成了数字，第15位以后已丢失：请把该列设为“文本”格式后重新录入")
                        for row in (3, 4)]
