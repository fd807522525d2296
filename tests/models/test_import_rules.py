"""Each rule of the roster import, broken once in an otherwise clean file: the row, column and reason are reported
and nothing is written.

The clean file holds four households of 1, 2, 3 and 4 people: Excel rows 2 | 3-4 | 5-7 | 8-11.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from stdnum.cn import ric

from models.core.actors import Role
from models.core.household import Household, Member
from models.core.regions import Level, Region
from models.importing import ImportRefused, import_roster
from tests.models.roster_files import HEADERS, counts, roster, write_csv

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def other_village(world, rows, index):
    """Row `index` moved to another village of the township (name and code)."""
    region = world.session.get(Region, world.villages[1] if rows[index]["村代码"] != world.villages[1]
                               else world.villages[2])
    rows[index].update({"行政村": region.name, "村代码": region.code})


def registered(world) -> tuple[Household, Member]:
    member = world.session.scalars(select(Member).order_by(Member.id)).first()
    return world.session.get(Household, member.household_id), member


def set_household(rows, first, last, **values):
    for row in rows[first:last + 1]:
        row.update(values)


CASES = [
    ("empty name", lambda w, r: r[1].update({"姓名": ""}), [(3, "姓名", "必填项“姓名”未填写")]),
    ("empty relation", lambda w, r: r[0].update({"与户主关系": ""}),
     [(2, "与户主关系", "必填项"), (2, "与户主关系", "没有“户主”")]),
    ("empty household number", lambda w, r: r[2].update({"户编号": ""}),
     [(3, "家庭人口", "在文件中有1行（人）"), (3, "人均纯收入", "按1名常住成员算出"),
      (4, "户编号", "必填项“户编号”未填写")]),
    ("ID check digit", lambda w, r: r[0].update({"证件号码": str(r[0]["证件号码"])[:17]
                                                   + str((int(str(r[0]["证件号码"])[16]) + 1) % 10)}),
     [(2, "证件号码", "校验位不正确")]),
    ("ID birth date", lambda w, r: r[0].update({"证件号码": with_check("43012119801301001")}),
     [(2, "证件号码", "出生日期不存在")]),
    ("ID length", lambda w, r: r[0].update({"证件号码": str(r[0]["证件号码"])[:17]}),
     [(2, "证件号码", "应为18位（现为17位）")]),
    ("ID area code", lambda w, r: r[0].update({"证件号码": with_check("99999919800101001")}),
     [(2, "证件号码", "前6位不是有效的行政区划代码")]),
    ("ID in scientific notation", lambda w, r: r[0].update({"证件号码": "4.30121E+17"}),
     [(2, "证件号码", "科学计数法")]),
    ("ID twice in the file", lambda w, r: r[3].update({"证件号码": r[1]["证件号码"]}),
     [(5, "证件号码", "与第3行为同一人，一人只能属于一户")]),
    ("ID already in a household", lambda w, r: r[0].update({"证件号码": registered(w)[1].resident_id,
                                                          "性别": registered(w)[1].sex}),
     [(2, "证件号码", "此人已登记在户编号")]),
    ("household number taken", lambda w, r: r[0].update({"户编号": registered(w)[0].number}),
     [(2, "户编号", "系统中已有此户编号")]),
    ("unknown village name", lambda w, r: r[0].update({"行政村": "不存在村", "村代码": ""}),
     [(2, "行政村", "没有这个已登记的行政村")]),
    ("unknown village code", lambda w, r: r[0].update({"村代码": "430121101999"}),
     [(2, "村代码", "不是已登记的行政村代码")]),
    ("village name and code disagree",
     lambda w, r: r[0].update({"行政村": "柏树村" if r[0]["行政村"] != "柏树村" else "增家源村"}),
     [(2, "行政村", "对应的村名")]),
    ("township and code disagree", lambda w, r: r[0].update({"乡（镇）": "青山镇"}),
     [(2, "乡（镇）", "与所填乡（镇）不符")]),
    ("one household in two villages", lambda w, r: other_village(w, r, 2),
     [(4, "行政村", "各行应一致：第3行"), (4, "村代码", "各行应一致：第3行")]),
    ("two heads", lambda w, r: r[2].update({"与户主关系": "户主"}), [(4, "与户主关系", "已有户主（第3行）")]),
    ("no head", lambda w, r: r[1].update({"与户主关系": "子"}), [(3, "与户主关系", "没有“户主”")]),
    ("income not a number", lambda w, r: r[0].update({"工资性收入": "一万"}), [(2, "工资性收入", "金额应为数字")]),
    ("negative income", lambda w, r: r[0].update({"转移性收入": "-0.01"}), [(2, "转移性收入", "金额不能为负数")]),
    ("income to a tenth of a cent", lambda w, r: r[0].update({"财产性收入": "100.125"}),
     [(2, "财产性收入", "两位小数")]),
    ("income missing", lambda w, r: r[0].update({"工资性收入": ""}), [(2, "工资性收入", "都没有填写工资性收入")]),
    ("year before 2013", lambda w, r: r[0].update({"年度": "2012"}), [(2, "年度", "年度应在2013年至2026年之间")]),
    ("year after this year", lambda w, r: r[0].update({"年度": "2027"}), [(2, "年度", "年度应在2013年至2026年之间")]),
    ("year in words", lambda w, r: r[0].update({"年度": "二〇二六"}), [(2, "年度", "4位数字")]),
    ("per-capita income off", lambda w, r: r[0].update({"人均纯收入": "100"}), [(2, "人均纯收入", "不符")]),
    ("family size off", lambda w, r: set_household(r, 1, 2, 家庭人口=3), [(3, "家庭人口", "在文件中有2行（人）")]),
    ("head name off", lambda w, r: set_household(r, 1, 2, 户主姓名="某某"), [(3, "户主姓名", "不符")]),
    ("sex not 男 or 女", lambda w, r: r[0].update({"性别": "M"}), [(2, "性别", "应填“男”或“女”")]),
    ("sex against the ID", lambda w, r: r[2].update({"性别": "男"}), [(4, "性别", "第17位偶数为女")]),
    ("phone", lambda w, r: r[0].update({"联系电话": "无"}), [(2, "联系电话", "联系电话应为")]),
    ("resident not yes or no", lambda w, r: r[0].update({"是否常住": "在家"}), [(2, "是否常住", "应填“是”或“否”")]),
    ("minimum allowance not yes or no", lambda w, r: r[0].update({"是否低保户": "低保"}),
     [(2, "是否低保户", "应填“是”或“否”")]),
    ("no resident member", lambda w, r: r[0].update({"是否常住": "否"}), [(2, "是否常住", "没有常住成员")]),
    ("group missing", lambda w, r: r[0].update({"村民小组": ""}), [(2, "村民小组", "都没有填写村民小组")]),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_rule_is_reported_with_row_column_and_reason_and_nothing_is_written(world, tmp_path, mutate,
                                                                                       expected):
    rows = roster(world.session, world.villages, households=4, seed=3)
    mutate(world, rows)
    before = counts(world.session)
    with pytest.raises(ImportRefused) as error:
        import_roster(session=world.session, path=write_csv(tmp_path / "roster.csv", rows),
                      actor=world.actor(Role.COUNTY_GOVERNMENT), now=NOW)
    assert counts(world.session) == before
    found = [(p.row, p.column, p.reason) for p in error.value.problems]
    assert len(found) == len(expected), found
    for (row, column, reason), (want_row, want_column, fragment) in zip(found, expected, strict=True):
        assert (row, column) == (want_row, want_column) and fragment in reason, found


COLUMN_CASES = [
    ("required column missing", [h for h in HEADERS if h != "证件号码"], [(1, "证件号码", "缺少必填列“证件号码”")]),
    ("no village column", [h for h in HEADERS if h not in ("行政村", "村代码")], [(1, "行政村", "缺少必填列“行政村”")]),
    ("some income columns", [h for h in HEADERS if h != "财产性收入"], [(1, "财产性收入", "有收入列时须同时有这6列")]),
    ("a column twice", [*HEADERS, "身份证号"], [(1, "身份证号", "与“证件号码”是同一列")]),
    ("no header row", ["甲", "乙", "丙"], [(0, "（整个文件）", "没有表头行")]),
]


@pytest.mark.parametrize(("headers", "expected"), [c[1:] for c in COLUMN_CASES], ids=[c[0] for c in COLUMN_CASES])
def test_a_file_without_the_layouts_columns_is_refused_before_any_row_is_read(world, tmp_path, headers, expected):
    rows = roster(world.session, world.villages, households=2, seed=3)
    for row in rows:
        row["身份证号"] = row["证件号码"]
    before = counts(world.session)
    with pytest.raises(ImportRefused) as error:
        import_roster(session=world.session, path=write_csv(tmp_path / "roster.csv", rows, headers=headers),
                      actor=world.actor(Role.COUNTY_GOVERNMENT), now=NOW)
    assert counts(world.session) == before
    found = [(p.row, p.column, p.reason) for p in error.value.problems]
    assert [(r, c) for r, c, _ in found] == [(r, c) for r, c, _ in expected] and expected[0][2] in found[0][2]


def test_a_village_name_two_townships_share_asks_for_the_township_or_code(world, tmp_path):
    twin = Region(code=world.area.townships[1][:9] + "299", name="欧阳海村", level=Level.VILLAGE,
                  parent_code=world.area.townships[1])
    world.session.add(twin)
    world.session.commit()
    rows = roster(world.session, [world.villages[0]], households=1, seed=3)
    with pytest.raises(ImportRefused) as error:
        named_only = [h for h in HEADERS if h not in ("乡（镇）", "村代码")]
        import_roster(session=world.session, path=write_csv(tmp_path / "roster.csv", rows, headers=named_only),
                      actor=world.actor(Role.COUNTY_GOVERNMENT), now=NOW)
    assert [(p.row, p.column, p.reason) for p in error.value.problems] == [
        (2, "行政村", "村名在多个乡（镇）重名（示范镇、青山镇），请填写“乡（镇）”列或“村代码”列")]
    plan = import_roster(session=world.session, path=write_csv(tmp_path / "with-township.csv", rows,
                                                                headers=[h for h in HEADERS if h != "村代码"]),
                         actor=world.actor(Role.COUNTY_GOVERNMENT), now=NOW)
    assert plan.households[0].village_code == world.villages[0]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("roster.xls", b"\xd0\xcf\x11\xe0", "不支持旧版Excel（.xls）"),
    ("roster.xlsx", b"not a zip file", "无法读取该Excel文件"),
    ("roster.pdf", b"%PDF-1.7", "只能导入.xlsx或.csv文件"),
    ("roster.csv", b"\xff\xfe\x00", "无法识别文件编码"),
    ("roster.csv", ("户编号,姓名\n1,\"王" + "。" * 200_000).encode(), "不成对的英文引号"),
])
def test_a_file_that_cannot_be_read_is_one_problem_for_the_whole_file(world, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as error:
        import_roster(session=world.session, path=path, actor=world.actor(Role.COUNTY_GOVERNMENT), now=NOW)
    assert [(p.row, p.column, p.value) for p in error.value.problems] == [(0, "（整个文件）", name)]
    assert reason in error.value.problems[0].reason


def test_a_header_without_data_rows_is_refused(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(",".join(HEADERS) + "\n,,,\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as error:
        import_roster(session=world.session, path=path, actor=world.actor(Role.COUNTY_GOVERNMENT), now=NOW)
    assert [(p.row, p.reason) for p in error.value.problems] == [(2, "表头下没有数据行")]
