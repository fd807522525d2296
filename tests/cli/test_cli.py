"""The `tuopin` command in process, against the test database: reads, single decisions and refused input."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.main import app
from models.core.actors import Role
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.household import Household
from models.core.publicity import Objection
from models.home_checks.standards import GUARANTEES, Assessment
from tests.walk import open_all, walk_to

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
# Wide enough that rich does not wrap table cells or messages mid-word.
runner = CliRunner(env={"COLUMNS": "250"})


def tuopin(*args: str) -> Result:
    return runner.invoke(app, list(args))


def fresh(world) -> None:
    """Forget what the test's session has read, so it sees what the command wrote."""
    world.session.rollback()


def audit_count(world) -> int:
    fresh(world)
    return int(world.session.scalar(select(func.count()).select_from(AuditEvent)))


def stage_of(world, case_id: int) -> str:
    fresh(world)
    return str(world.session.get(Case, case_id).stage)


def count_row(output: str, stage: str, count: int) -> bool:
    """Whether the counts table has the row "<stage> | 办理中 | <count>"."""
    return re.search(rf"{re.escape(stage)}\s*│\s*办理中\s*│\s*{count}\s*│", output) is not None


def cases_by_village(world) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for case_id in open_all(world, T0):
        found.setdefault(world.session.get(Case, case_id).village_code, []).append(case_id)
    return found


def numbers(world, village: str) -> list[str]:
    query = select(Household.number).where(Household.village_code == village)  # type: ignore[call-overload]
    return list(world.session.scalars(query))


@pytest.fixture
def opened(world) -> dict[str, list[int]]:
    """Every household's case opened at GROUP_RECOMMEND, by village."""
    return cases_by_village(world)


# --- tuopin chains ---------------------------------------------------------------------------------------------


def test_chains_lists_every_registered_chain_with_its_summary():
    from models.door.chain import all_chains

    result = tuopin("chains")
    assert result.exit_code == 0, result.output
    registered = all_chains()
    assert registered and "HOUSEHOLD_EXIT" in {c.code for c in registered}
    for chain in registered:
        assert chain.summary, chain.code
        assert chain.status_name("EXITED") == chain.finished and chain.status_name("ACTIVE") == "办理中"
        assert chain.code in result.output and chain.name in result.output
        assert re.search(rf"{chain.code}\s*│\s*{chain.name}\s*│\s*{len(chain.stages)}\s*│", result.output)


# --- tuopin status ---------------------------------------------------------------------------------------------


def test_status_prints_the_counts_and_the_cases(world, opened):
    result = tuopin("status", "--now", "2026-10-09")
    assert result.exit_code == 0, result.output
    assert "各环节案件数" in result.output
    assert count_row(result.output, "1. 村民小组推荐", 24)
    assert "截至2026年10月9日" in result.output
    assert all(n in result.output for n in numbers(world, world.villages[0]))  # the first page, by case number


def test_status_of_one_village_lists_only_its_cases(world, opened):
    village, other = world.villages[0], world.villages[1]
    result = tuopin("status", "--region", village, "--now", "2026-10-09")
    assert result.exit_code == 0, result.output
    assert count_row(result.output, "1. 村民小组推荐", len(opened[village]))
    assert all(n in result.output for n in numbers(world, village))
    assert not any(n in result.output for n in numbers(world, other))


def test_status_of_one_stage_lists_only_the_cases_there(world, opened):
    village, other = world.villages[0], world.villages[1]
    leader = world.actor(Role.GROUP_LEADER, village).name
    moved = tuopin("decide", *map(str, opened[village]), "--stage", "GROUP_RECOMMEND", "--as", leader,
                   "--now", "2026-10-10")
    assert moved.exit_code == 0, moved.output
    result = tuopin("status", "--stage", "COMMITTEE_REVIEW", "--now", "2026-10-10")
    assert result.exit_code == 0, result.output
    assert count_row(result.output, "2. 村委会评议", len(opened[village]))
    assert "1. 村民小组推荐" not in result.output
    assert all(n in result.output for n in numbers(world, village))
    assert not any(n in result.output for n in numbers(world, other))


# That status imports neither Prefect nor the document and roster libraries: tests/cli/test_status_imports.py.


# --- tuopin decide ---------------------------------------------------------------------------------------------


def test_the_group_leader_recommends_and_a_repeat_changes_nothing(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    leader = world.actor(Role.GROUP_LEADER, village).name
    args = ("decide", str(case_id), "--stage", "GROUP_RECOMMEND", "--as", leader, "--now", "2026-10-10")

    first = tuopin(*args)
    assert first.exit_code == 0, first.output
    assert "已通过：1件" in first.output
    assert stage_of(world, case_id) == "COMMITTEE_REVIEW"
    events = audit_count(world)

    again = tuopin(*args)
    assert again.exit_code == 0, again.output
    assert "已通过：0件" in again.output and "此前已处理（未重复执行）：1件" in again.output
    assert stage_of(world, case_id) == "COMMITTEE_REVIEW"
    assert audit_count(world) == events


def _refused(world, case_id: int, args: list[str], *expected: str) -> None:
    """The command exits 1 with a message naming the problem, and writes nothing."""
    events = audit_count(world)
    before = stage_of(world, case_id)
    result = tuopin(*args)
    assert result.exit_code == 1, result.output
    assert "未执行" in result.output, result.output
    for text in expected:
        assert text in result.output, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a clean exit, not a crash
    assert audit_count(world) == events
    assert stage_of(world, case_id) == before


def test_a_decision_by_the_wrong_role_is_refused(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    committee = world.actor(Role.VILLAGE_COMMITTEE, village).name
    _refused(world, case_id, ["decide", str(case_id), "--stage", "GROUP_RECOMMEND", "--as", committee,
                              "--now", "2026-10-10"], "须由村民小组长决定", committee)


def test_a_decision_by_someone_of_another_village_is_refused(world, opened):
    village, other = world.villages[0], world.villages[1]
    case_id = opened[village][0]
    stranger = world.actor(Role.GROUP_LEADER, other).name
    _refused(world, case_id, ["decide", str(case_id), "--stage", "GROUP_RECOMMEND", "--as", stranger,
                              "--now", "2026-10-10"], "不在", "辖区内")


def test_a_decision_by_an_unknown_person_is_refused(world, opened):
    case_id = opened[world.villages[0]][0]
    _refused(world, case_id, ["decide", str(case_id), "--stage", "GROUP_RECOMMEND", "--as", "查无此人",
                              "--now", "2026-10-10"], "没有登录名为“查无此人”的人员")


def test_returning_without_a_reason_is_refused(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    leader = world.actor(Role.GROUP_LEADER, village).name
    _refused(world, case_id, ["decide", str(case_id), "--stage", "GROUP_RECOMMEND", "--as", leader,
                              "--move", "RETURN", "--now", "2026-10-10"], "退回须写明理由")


def test_a_decision_at_a_stage_the_case_is_not_at_is_refused(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    committee = world.actor(Role.VILLAGE_COMMITTEE, village).name
    _refused(world, case_id, ["decide", str(case_id), "--stage", "COMMITTEE_REVIEW", "--as", committee,
                              "--now", "2026-10-10"], "当前处于“村民小组推荐”环节", "不在“村委会评议”环节")


def test_a_case_that_does_not_exist_is_refused_as_not_found(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    leader = world.actor(Role.GROUP_LEADER, village).name
    missing = max(i for ids in opened.values() for i in ids) + 1
    _refused(world, case_id, ["decide", str(missing), "--stage", "GROUP_RECOMMEND", "--as", leader,
                              "--now", "2026-10-10"], f"案件{missing}不存在")
    _refused(world, case_id, ["decide", str(case_id), str(missing), str(missing + 1), "--stage", "GROUP_RECOMMEND",
                              "--as", leader, "--now", "2026-10-10"], f"案件{missing}、{missing + 1}不存在")


def test_an_unknown_stage_is_refused(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    leader = world.actor(Role.GROUP_LEADER, village).name
    _refused(world, case_id, ["decide", str(case_id), "--stage", "GROUP_RECOMEND", "--as", leader,
                              "--now", "2026-10-10"], "GROUP_RECOMEND")


def test_an_unreadable_time_is_refused(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    leader = world.actor(Role.GROUP_LEADER, village).name
    _refused(world, case_id, ["decide", str(case_id), "--stage", "GROUP_RECOMMEND", "--as", leader,
                              "--now", "11月1日"], "无法识别的日期或时间", "11月1日")


# --- tuopin object ---------------------------------------------------------------------------------------------


def test_an_objection_outside_a_publicity_window_is_refused(world, opened):
    village = world.villages[0]
    case_id = opened[village][0]
    committee = world.actor(Role.VILLAGE_COMMITTEE, village).name
    _refused(world, case_id, ["object", str(case_id), "--by", "村民甲", "--content", "该户收入不实",
                              "--as", committee, "--now", "2026-10-10"], "公示期")
    assert world.session.scalar(select(func.count()).select_from(Objection)) == 0


# --- tuopin check ----------------------------------------------------------------------------------------------


@pytest.fixture
def at_home_check(world, opened) -> tuple[int, str]:
    """One case walked to the township home check, and the name of its township's check team member."""
    case_id = opened[world.villages[0]][0]
    walk_to(world, [case_id], "HOME_CHECK", T0)
    return case_id, world.actor(Role.TOWNSHIP_CHECK_TEAM, world.township).name


ALL_MET = ["--set", "food=是", "--set", "clothing=是", "--set", "housing=是", "--set", "medical=是",
           "--set", "education=不涉及", "--set", "head_signed=是"]


def test_a_home_check_with_a_failed_item_says_what_failed(world, at_home_check):
    case_id, member = at_home_check
    result = tuopin("record", str(case_id), "--input", "home-check", "--as", member, *ALL_MET, "--set", "water=否",
                    "--now", "2026-10-20")
    assert result.exit_code == 0, result.output
    assert "未达到" in result.output and "饮水安全" in result.output, result.output
    fresh(world)
    checked = world.session.scalars(select(Assessment).where(Assessment.case_id == case_id)).one()
    assert (checked.passed, checked.water, checked.food) == (False, False, True)


def test_a_home_check_with_an_unknown_item_names_the_valid_ones(world, at_home_check):
    case_id, member = at_home_check
    _refused(world, case_id, ["record", str(case_id), "--input", "home-check", "--as", member, *ALL_MET,
                              "--set", "water=是", "--set", "nonsense=是", "--now", "2026-10-20"],
             "nonsense", *GUARANTEES)
    assert world.session.scalar(select(func.count()).select_from(Assessment)) == 0


# --- tuopin init -----------------------------------------------------------------------------------------------


def test_init_creates_the_schema_in_a_new_file(database, tmp_path: Path):
    # `database` restores TUOPIN_DATABASE_URL and the settings cache, which --db changes for the process.
    path = tmp_path / "new" / "tuopin.db"
    result = tuopin("--db", str(path), "init")
    assert result.exit_code == 0, result.output
    assert "数据库已就绪" in result.output
    assert path.exists()
    with closing(sqlite3.connect(path)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "case" in tables


@pytest.mark.parametrize(("args", "says"), [
    (["run", "430121999000", "--year", "2026"], "未登记"),  # unknown region
    (["run", "430121101201", "--year", "2026"], "村级区划"),  # a village is not a round
    (["run", "430121101000", "--year", "2031"], "政策数据"),  # no policy for that year
    (["run", "430121101000", "--year", "2026", "--now", "11月1日"], "2026-11-01"),
    (["sweep", "--now", "昨天"], "2026-11-01"),
])
def test_run_and_sweep_refuse_bad_input_before_starting_prefect(world, args, says):
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "未执行" in result.output and says in result.output


def test_a_database_never_initialised_is_named_with_what_to_do_not_a_traceback(tmp_path):
    import subprocess
    import sys

    empty = tmp_path / "new.db"
    ran = subprocess.run([sys.executable, "-m", "cli", "--db", str(empty), "status"], capture_output=True,
                         text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert ran.returncode == 1
    assert "数据库尚未建立或需要升级" in ran.stdout and "请先运行 tuopin init" in ran.stdout
    assert "Traceback" not in ran.stdout + ran.stderr
