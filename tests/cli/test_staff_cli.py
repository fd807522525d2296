"""`tuopin staff`: the first administrator added with no one acting, the roster imported by them, people changed,
deactivated and given passwords; every refusal printed in Chinese with nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cli.main import app
from models.core.actors import Actor, Role
from models.core.audit import AuditEvent
from models.core.db import session_scope
from models.core.passwords import password_matches
from models.core.settings import PROJECT_ROOT
from models.core.web_users import user_named

runner = CliRunner(env={"COLUMNS": "250"})
EXAMPLES = PROJECT_ROOT / "docs" / "examples"
ADMIN = ("staff", "add", "--name", "肖勇", "--login", "xiaoyong", "--role", "县级系统管理员", "--region",
         "430121000000", "--phone", "15149024836")


def tuopin(*args: str) -> Result:
    return runner.invoke(app, [*args, "--now", "2026-03-02 10:00"])


def counts(database: str) -> tuple[int, int]:
    with session_scope(database) as session:
        return (int(session.scalar(select(func.count()).select_from(Actor)) or 0),
                int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def person(database: str, login: str) -> Actor:
    with session_scope(database) as session:
        found = session.scalars(select(Actor).where(Actor.login == login)).one()
        session.expunge(found)
        return found


@pytest.fixture
def county(database: str) -> str:
    done = tuopin("regions", "import", str(EXAMPLES / "regions.csv"))
    assert done.exit_code == 0, done.output
    return database


def test_a_county_is_staffed_from_its_first_administrator_and_the_example_roster(county):
    first = tuopin(*ADMIN)
    assert first.exit_code == 0, first.output
    assert "已登记：肖勇（县级系统管理员），登录名xiaoyong，430121000000 长沙县" in first.output
    again = tuopin(*ADMIN[:3], "王伟", "--login", "wangwei", *ADMIN[6:])
    assert again.exit_code == 1 and "本县已有县级系统管理员肖勇（xiaoyong）" in again.output
    password = tuopin("staff", "password", "xiaoyong", "--password", "mima-12345")
    assert password.exit_code == 0, password.output
    checked = tuopin("staff", "import", str(EXAMPLES / "staff.csv"), "--as", "xiaoyong", "--dry-run")
    assert checked.exit_code == 0 and "检查通过（未写入）：可新增56人；已登记且一致、未改动：1人" in checked.output
    before = counts(county)
    done = tuopin("staff", "import", str(EXAMPLES / "staff.csv"), "--as", "xiaoyong")
    assert done.exit_code == 0 and "导入完成：新增56人" in done.output
    assert counts(county) == (before[0] + 56, before[1] + 1)
    listed = runner.invoke(app, ["staff", "list", "--region", "430121101000"])
    assert listed.exit_code == 0 and "ouyangjianguo" not in listed.output and "共18人（在用18人）" in listed.output


def test_people_are_changed_deactivated_and_given_passwords_by_the_administrator(county):
    tuopin(*ADMIN)
    added = tuopin("staff", "add", "--name", "李桂兰", "--login", "liguilan", "--role", "村委会", "--region",
                   "430121101201", "--as", "xiaoyong")
    assert added.exit_code == 0, added.output
    changed = tuopin("staff", "change", "liguilan", "--role", "乡镇核查组", "--region", "430121101000", "--as",
                     "xiaoyong")
    assert changed.exit_code == 0 and "已修改：李桂兰（乡镇核查组）" in changed.output
    assert person(county, "liguilan").role is Role.TOWNSHIP_CHECK_TEAM
    set_once = tuopin("staff", "password", "liguilan", "--password", "chushi-mima", "--as", "xiaoyong")
    assert set_once.exit_code == 0, set_once.output
    with session_scope(county) as session:
        found = user_named(session, "liguilan")
        assert found is not None and password_matches(found[0].password_hash, "chushi-mima")
    off = tuopin("staff", "deactivate", "liguilan", "--as", "xiaoyong")
    assert off.exit_code == 0 and "已停用" in off.output and not person(county, "liguilan").active
    acting = tuopin("staff", "add", "--name", "王伟", "--login", "wangwei", "--role", "村委会", "--region",
                    "430121101202", "--as", "liguilan")
    assert acting.exit_code == 1 and "已停用，不能办理" in acting.output
    on = tuopin("staff", "reactivate", "#" + str(person(county, "liguilan").id), "--as", "xiaoyong")
    assert on.exit_code == 0 and person(county, "liguilan").active
    clerk = tuopin("staff", "deactivate", "xiaoyong", "--as", "liguilan")
    assert clerk.exit_code == 1 and "无权办理" in clerk.output


def test_a_roster_with_one_bad_row_writes_nothing_and_names_each_problem(county, tmp_path: Path):
    tuopin(*ADMIN)
    path = tmp_path / "staff.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([("姓名", "登录名", "角色", "区划代码", "联系电话"),
                                      ("李桂兰", "liguilan", "村委会", "430121101201", ""),
                                      ("王伟", "wangwei", "乡镇人民政府", "430121101202", "")])
    before = counts(county)
    refused = tuopin("staff", "import", str(path), "--as", "xiaoyong")
    assert refused.exit_code == 1 and "有1个问题，未登记任何人员" in refused.output
    assert "乡镇人民政府须属于乡镇级区划" in refused.output and counts(county) == before


def test_an_unknown_login_or_no_administrator_is_refused(county):
    unknown = tuopin("staff", "import", str(EXAMPLES / "staff.csv"), "--as", "nobody")
    assert unknown.exit_code == 1 and "没有登录名为“nobody”的人员" in unknown.output
    clerk = tuopin("staff", "add", "--name", "李桂兰", "--login", "liguilan", "--role", "村委会", "--region",
                   "430121101201")
    assert clerk.exit_code == 1 and "只能登记本县第一位县级系统管理员" in clerk.output
    nothing = tuopin("staff", "change", "xiaoyong", "--as", "系统")
    assert nothing.exit_code == 1 and "未指定要修改的内容" in nothing.output
