"""A broken policy file is refused with the file, the key and the rule it breaks, under `python -O` too."""

from __future__ import annotations

import copy
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from models.core.errors import InvalidInput, PolicyInvalid
from models.core.settings import PROJECT_ROOT, get_settings
from models.policy.loading import _load, parse_policy, policy_for

SOURCE = PROJECT_ROOT / "policy" / "43" / "2026.toml"
RAW: dict[str, Any] = tomllib.loads(SOURCE.read_text(encoding="utf-8"))
COMPARISONS = "比较方式须为gt（超过）、ge（不低于）、lt（低于）、le（不超过）之一"


def broken(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    edit(raw)
    return raw


# (what is broken, the edit, the key named, the value named (None: the file does not set it), the rule)
BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], object], str, object, str]] = [
    ("a missing section", lambda r: r.pop("publicity"), "publicity", None, "须为一个表（[名称] 或 { ... }）"),
    ("a missing key", lambda r: r["village_exit"].pop("score_total"), "village_exit.score_total", None,
     "须为整数，且不小于1"),
    ("a missing comparison", lambda r: r["exit_income"].pop("comparison"), "exit_income.comparison", None,
     COMPARISONS),
    ("a number in quotes", lambda r: r["publicity"].update(days="7"), "publicity.days", "7", "须为整数，且不小于1"),
    ("true for a number", lambda r: r["masking"].update(id_keep_end=True), "masking.id_keep_end", "true",
     "须为整数，且不小于0"),
    ("a fraction of a day", lambda r: r["deadlines"].update(HOME_CHECK=1.5), "deadlines.HOME_CHECK", 1.5,
     "须为整数，且不小于1"),
    ("a section that is not a table", lambda r: r.update(monitoring="yes"), "monitoring", "yes",
     "须为一个表（[名称] 或 { ... }）"),
    ("a word for a flag", lambda r: r["publicity"].update(count_posting_day="是"), "publicity.count_posting_day", "是",
     "须为 true 或 false"),
    ("a bad comparison word", lambda r: r["exit_income"].update(comparison="above"), "exit_income.comparison",
     "above", COMPARISONS),
    ("a comparison in Chinese", lambda r: r["village_exit"]["county_limits"]["missed_rate"].update(comparison="低于"),
     "village_exit.county_limits.missed_rate.comparison", "低于", COMPARISONS),
    ("a threshold in quotes", lambda r: r["exit_income"].update(value="3326"), "exit_income.value", "3326",
     "须为不小于0的数字（不加引号）"),
    ("a negative income line", lambda r: r["exit_income"].update(value=-1), "exit_income.value", -1,
     "须为不小于0的数字（不加引号）"),
    ("a percentage above 100", lambda r: r["village_exit"]["incidence"].update(value=120),
     "village_exit.incidence.value", 120, "须为0到100%之间的数字（不加引号）"),
    ("a pass mark above the total", lambda r: r["village_exit"]["score"].update(value=101), "village_exit.score.value",
     101, "须为0到100分之间的数字（不加引号）"),
    ("a sampling share above 1", lambda r: r["recheck_sampling"].update(rate=30), "recheck_sampling.rate", 30,
     "抽样比例须在0到1之间（含0和1）"),
    ("a sampling share of 0 where a sample must be drawn", lambda r: r["key_village"]["city_sample"].update(rate=0),
     "key_village.city_sample.rate", 0, "抽样比例须大于0且不超过1"),
    ("a negative count", lambda r: r["relative_poor"]["city_sample"].update(minimum=-1),
     "relative_poor.city_sample.minimum", -1, "须为整数，且不小于0"),
    ("a deadline of 0 days", lambda r: r["deadlines"].update(PUBLICITY=0), "deadlines.PUBLICITY", 0,
     "须为整数，且不小于1"),
    ("a publicity of 0 days", lambda r: r["publicity"].update(days=0), "publicity.days", 0, "须为整数，且不小于1"),
    ("an indicator's points in words", lambda r: r["village_exit"]["indicators"][2].update(points="十五"),
     "village_exit.indicators[3].points", "十五", "须为整数，且不小于1"),
    ("an indicator without a name", lambda r: r["village_exit"]["indicators"][0].pop("name"),
     "village_exit.indicators[1].name", None, "须为非空文字（加引号）"),
    ("indicators that are not a list of tables", lambda r: r["village_exit"].update(indicators="main_road"),
     "village_exit.indicators", "main_road", "须为表的数组（[[名称]]）"),
    ("an edge band upside down", lambda r: r["edge_household"]["upper"].update(value=3000),
     "edge_household.upper.value", Decimal(3000), "收入上限须高于下限3326元"),
    ("a phase ending before it starts", lambda r: r["monitoring"]["phases"][1].update(end="03-01"),
     "monitoring.phases[2].end", "03-01", "结束日期不能早于开始日期03-25"),
    ("a date that does not exist", lambda r: r["monitoring"]["phases"][0].update(start="02-30"),
     "monitoring.phases[1].start", "02-30", "应为“月-日”，例如 03-20"),
    ("a department left empty", lambda r: r["monitoring"]["departments"].update(water=""),
     "monitoring.departments.water", "", "须为非空文字（加引号）"),
    ("a rectification limit for another chain", lambda r: r["rectification"]["deadline_workdays"].update(HOME_CHECK=3),
     "rectification.deadline_workdays.HOME_CHECK", 3, "只能为RECT_开头的整改环节设定时限"),
    ("a rectification limit of 0 days", lambda r: r["rectification"]["deadline_workdays"].update(RECT_VERIFY=0),
     "rectification.deadline_workdays.RECT_VERIFY", 0, "须为整数，且不小于1"),
    ("a rectification limit set twice", lambda r: r["deadline_workdays"].update(RECT_CLOSE=5),
     "rectification.deadline_workdays.RECT_CLOSE", 5, "该环节的时限已在[deadlines]或[deadline_workdays]中设定"),
    ("an evidence list that is not a list", lambda r: r["evidence"]["required"].update({"VILLAGE_EXIT.X": "photo"}),
     "evidence.required.VILLAGE_EXIT.X", "photo", "须为文字列表，例如 [\"甲\", \"乙\"]"),
    ("an upload limit of 0", lambda r: r["evidence"].update(max_megabytes=0), "evidence.max_megabytes", 0,
     "须为大于0的数字（兆字节）"),
]


@pytest.mark.parametrize(("edit", "key", "value", "rule"), [b[1:] for b in BREAKAGES], ids=[b[0] for b in BREAKAGES])
def test_a_broken_policy_is_refused_naming_the_file_the_key_and_the_rule(edit, key, value, rule):
    with pytest.raises(PolicyInvalid) as error:
        parse_policy(broken(edit), "43", 2026, "policy/43/2026.toml")
    refused = error.value
    assert (refused.record, refused.field, refused.rule) == ("policy/43/2026.toml", key, rule)
    assert refused.value == value
    said = f"未设定“{key}”" if value is None else f"“{key}”的值“{value}”不符合规则"
    assert str(refused) == f"政策数据文件policy/43/2026.toml：{said}：{rule}"
    assert isinstance(refused, InvalidInput)  # bad data from a file, as every caller already catches


def test_the_shipped_policy_file_is_read_whole():
    policy = parse_policy(copy.deepcopy(RAW), "43", 2026)
    assert policy.window_days == 7 and policy.recheck_sampling.full_coverage_below == 30
    assert policy.deadline_workdays["RECT_ASSIGN"] == 3 and "HOME_CHECK" in policy.deadlines
    assert None not in (policy.village_exit, policy.edge_household, policy.monitoring, policy.rectification,
                        policy.relative_poor, policy.key_village)


def test_optional_sections_and_keys_may_be_left_out():
    raw = broken(lambda r: [r.pop(k) for k in ("public_notice", "deadline_workdays", "village_exit", "edge_household",
                                                 "monitoring", "rectification", "relative_poor", "key_village",
                                                 "evidence", "case_file")])
    policy = parse_policy(raw, "43", 2026)
    assert (policy.public_columns.show_id, policy.public_columns.show_phone) == (False, False)
    assert policy.deadline_workdays == {} and policy.village_exit is None and policy.key_village is None
    assert policy.evidence.max_bytes == 10 * 1024 * 1024


@pytest.fixture
def policy_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A policy folder of this test's own, read by policy_for."""
    (tmp_path / "43").mkdir()
    monkeypatch.setenv("TUOPIN_POLICY_DIR", str(tmp_path))
    get_settings.cache_clear()
    _load.cache_clear()
    yield tmp_path
    get_settings.cache_clear()
    _load.cache_clear()


def test_a_file_is_named_by_its_path(policy_dir: Path):
    path = policy_dir / "43" / "2026.toml"
    path.write_text(SOURCE.read_text(encoding="utf-8").replace("days = 7", "days = -7"), encoding="utf-8")
    with pytest.raises(PolicyInvalid) as error:
        policy_for("430121101201", 2026)
    assert str(error.value) == f"政策数据文件{path}：“publicity.days”的值“-7”不符合规则：须为整数，且不小于1"


def test_a_file_that_is_not_toml_is_refused_at_its_line(policy_dir: Path):
    path = policy_dir / "43" / "2026.toml"
    text = SOURCE.read_text(encoding="utf-8").replace("days = 7", "days 7")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyInvalid) as error:
        policy_for("430121101201", 2026)
    line = text.splitlines().index("days 7") + 1
    assert (error.value.record, error.value.field, error.value.value) == (str(path), f"第{line}行", "days 7")
    assert str(error.value).startswith(f"政策数据文件{path}：“第{line}行”的值“days 7”不符合规则：须符合TOML写法")


# Run by a Python with asserts stripped: each breakage is still refused as PolicyInvalid, naming its key.
UNDER_O = """
import copy, sys, tomllib
from models.core.errors import PolicyInvalid
from models.policy.loading import parse_policy
assert False, "asserts are on"  # stripped by -O: the checks below must not be asserts
raw = tomllib.loads(open(sys.argv[1], encoding="utf-8").read())
for section, key, value in [("meta", None, "x"), ("publicity", "days", "7"), ("exit_income", "comparison", "above"),
                            ("key_village", None, [1]), ("monitoring", "phases", {}), ("rectification", None, 1),
                            ("relative_poor", "city_sample", "all"), ("evidence", "kinds", [])]:
    edited = copy.deepcopy(raw)
    if key is None:
        edited[section] = value
    else:
        edited[section][key] = value
    try:
        parse_policy(edited, "43", 2026)
    except PolicyInvalid as error:
        print(error.field)
    else:
        print("accepted", section)
"""


def test_the_checks_hold_under_python_dash_o():
    run = subprocess.run([sys.executable, "-O", "-c", UNDER_O, str(SOURCE)], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["meta", "publicity.days", "exit_income.comparison", "key_village",
                                  "monitoring.phases", "rectification", "relative_poor.city_sample", "evidence.kinds"]


def test_reading_a_policy_imports_no_chain_table_and_not_the_door():
    """Each chain's section is a leaf of its package (models/chains/<chain>/policy.py): loading every section
    registers no chain and imports neither the door nor a chain's stages."""
    code = ("import sys\nfrom models.policy.loading import policy_for\npolicy_for('430121101201', 2026)\n"
            "print(' '.join(m for m in sys.modules if m.startswith('models.door') or m.endswith('.stages')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == []
