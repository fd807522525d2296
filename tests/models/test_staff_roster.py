"""The staff roster from a file and one by one: the whole file checked, each bad row named, nothing partial; the
first administrator without anyone acting, everything after by the county's administrator."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import Session

from models.core.actors import SYSTEM_NAME, Actor, Role, actor_by_login, system_actor
from models.core.audit import AuditEvent
from models.core.errors import InvalidInput
from models.core.settings import PROJECT_ROOT
from models.importing.problems import ImportRefused
from models.importing.regions import import_regions
from models.staff.people import Person, add_person, change_person, set_active, set_password, staff_of
from models.staff.roster import ACTION, import_staff

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
EXAMPLES = PROJECT_ROOT / "docs" / "examples"
COUNTY, TOWNSHIP, VILLAGE = "430121000000", "430121101000", "430121101201"
HEADER = ("姓名", "登录名", "角色", "区划代码", "联系电话")


@pytest.fixture
def county(session: Session) -> Session:
    import_regions(session=session, path=EXAMPLES / "regions.csv", actor_name=SYSTEM_NAME, now=NOW)
    session.commit()
    return session


@pytest.fixture
def admin(county: Session) -> Actor:
    person = Person("肖勇", "xiaoyong", "县级系统管理员", COUNTY, "15149024836")
    actor = add_person(session=county, person=person, by=None, now=NOW)
    county.commit()
    return actor


def write(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def counts(session: Session) -> tuple[int, int]:
    session.rollback()
    return (int(session.scalar(select(func.count()).select_from(Actor)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def refused(session: Session, path: Path, by: Actor) -> list[tuple[int, str, str]]:
    """The problems of a refused file as (row, column, value), after checking nothing was written."""
    before = counts(session)
    with pytest.raises(ImportRefused) as caught:
        import_staff(session=session, path=path, by=by, now=NOW)
    assert counts(session) == before
    return [(p.row, p.column, p.value) for p in caught.value.problems]


def test_the_example_roster_registers_every_role_the_chains_need(county, admin):
    plan = import_staff(session=county, path=EXAMPLES / "staff.csv", by=admin, now=NOW)
    county.commit()
    assert plan.known == 1 and len(plan.added) == 56  # the administrator was added first, as the file says
    roles = {a.role for a in staff_of(county, COUNTY, above=True)}
    assert roles == set(Role) - {Role.SYSTEM}
    event = county.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)).one()
    assert event.actor == "肖勇" and json.loads(event.detail)["by_login"] == "xiaoyong"
    assert len(json.loads(event.detail)["added"]) == 56
    assert {a.login for a in county.scalars(select(Actor).where(Actor.name == "王伟"))} == {"wangwei", "wangwei2"}
    again = import_staff(session=county, path=EXAMPLES / "staff.csv", by=admin, now=NOW)
    assert again.known == 57 and not again.added


def test_one_bad_row_among_many_writes_nothing_and_every_problem_is_named_by_its_row(county, admin, tmp_path):
    rows = [("李桂兰", "liguilan", "村委会", VILLAGE, "13807310001"),
            ("王伟", "wangwei", "村民小组长", VILLAGE, ""),
            ("王伟", "wangwei", "村民小组长", "430121101202", ""),  # row 4: the login again
            ("张三", "zhangsan", "乡镇核查组", VILLAGE, ""),  # row 5: a township role in a village
            ("李四", "lisi", "村长", VILLAGE, ""),  # row 6: no such role
            ("赵六", "zhaoliu", "村委会", "430121199201", ""),  # row 7: region not registered
            ("钱七", "qianqi", "村委会", "430121101202", "abc"),  # row 8: bad phone
            ("孙八", "xiaoyong", "村委会", "430121101203", ""),  # row 9: login taken by the administrator
            ("周九", "12345", "村委会", "430121101204", "")]  # row 10: a login of digits only (an id)
    assert refused(county, write(tmp_path / "staff.csv", rows), admin) == [
        (4, "登录名", "wangwei"), (5, "区划代码", VILLAGE), (6, "角色", "村长"), (7, "区划代码", "430121199201"),
        (8, "联系电话", "abc"), (9, "登录名", "xiaoyong"), (10, "登录名", "12345")]


def test_a_staff_xlsx_with_a_title_above_its_header_is_read(county, admin, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["长沙县扶贫工作人员名单"])
    sheet.append(list(HEADER))
    sheet.append(["李桂兰", "liguilan", "VILLAGE_COMMITTEE", VILLAGE, 13807310001])
    book.save(tmp_path / "staff.xlsx")
    plan = import_staff(session=county, path=tmp_path / "staff.xlsx", by=admin, now=NOW)
    assert [c.person.login for c in plan.added] == ["liguilan"] and plan.added[0].phone == "13807310001"


def test_a_file_without_the_columns_is_refused_whole(county, admin, tmp_path):
    path = write(tmp_path / "staff.csv", [("李桂兰", VILLAGE)], header=("姓名", "区划代码"))
    assert refused(county, path, admin) == [(0, "（整个文件）", "staff.csv")]


def test_only_a_county_administrator_keeps_the_roster(county, admin, tmp_path):
    path = write(tmp_path / "staff.csv", [("李桂兰", "liguilan", "村委会", VILLAGE, "")])
    import_staff(session=county, path=path, by=admin, now=NOW)
    county.commit()
    clerk = actor_by_login(county, "liguilan")
    problems = refused(county, write(tmp_path / "more.csv", [("王伟", "wangwei", "村民小组长", VILLAGE, "")]), clerk)
    assert problems == [(2, "区划代码", VILLAGE)]
    with pytest.raises(InvalidInput, match="无权办理"):
        set_active(session=county, login="xiaoyong", active=False, by=clerk, now=NOW)
    with pytest.raises(InvalidInput, match="无权办理"):
        add_person(session=county, person=Person("王伟", "wangwei", "村民小组长", VILLAGE), by=clerk, now=NOW)
    assert add_person(session=county, person=Person("王伟", "wangwei", "村民小组长", VILLAGE),
                      by=system_actor(county), now=NOW).login == "wangwei"


def test_the_first_administrator_needs_no_one_acting_but_only_once(county, admin):
    with pytest.raises(InvalidInput, match="已有县级系统管理员肖勇"):
        add_person(session=county, person=Person("王伟", "wangwei", "COUNTY_ADMIN", COUNTY), by=None, now=NOW)
    with pytest.raises(InvalidInput, match="只能登记本县第一位县级系统管理员"):
        add_person(session=county, person=Person("王伟", "wangwei", "村委会", VILLAGE), by=None, now=NOW)
    set_password(session=county, login="xiaoyong", password="secret-123", by=None, now=NOW)
    with pytest.raises(InvalidInput, match="已设密码"):
        set_password(session=county, login="xiaoyong", password="secret-456", by=None, now=NOW)


def test_a_change_is_checked_like_an_addition_and_audited_with_before_and_after(county, admin):
    add_person(session=county, person=Person("李桂兰", "liguilan", "村委会", VILLAGE), by=admin, now=NOW)
    with pytest.raises(InvalidInput, match="乡镇核查组须属于乡镇级区划"):
        change_person(session=county, login="liguilan", by=admin, now=NOW, role="乡镇核查组")
    changed = change_person(session=county, login="liguilan", by=admin, now=NOW, role="乡镇核查组",
                            region_code=TOWNSHIP, phone_number="0731-86501234")
    assert (changed.role, changed.region_code, changed.phone) == (Role.TOWNSHIP_CHECK_TEAM, TOWNSHIP, "0731-86501234")
    event = county.scalars(select(AuditEvent).where(AuditEvent.action == "STAFF.CHANGE")).one()
    detail = json.loads(event.detail)
    assert detail["before"]["role"] == "VILLAGE_COMMITTEE" and detail["after"]["region"] == TOWNSHIP


def test_deactivating_keeps_the_person_and_refuses_twice_and_oneself(county, admin):
    add_person(session=county, person=Person("李桂兰", "liguilan", "村委会", VILLAGE), by=admin, now=NOW)
    set_active(session=county, login="liguilan", active=False, by=admin, now=NOW)
    with pytest.raises(InvalidInput, match="无需重复办理"):
        set_active(session=county, login="liguilan", active=False, by=admin, now=NOW)
    with pytest.raises(InvalidInput, match="不能停用自己"):
        set_active(session=county, login="xiaoyong", active=False, by=admin, now=NOW)
    assert not actor_by_login(county, "liguilan", active=False).active
    set_active(session=county, login="liguilan", active=True, by=admin, now=NOW)
    assert actor_by_login(county, "liguilan").active


def test_a_short_password_is_refused(county, admin):
    with pytest.raises(InvalidInput, match="密码至少8位"):
        set_password(session=county, login="xiaoyong", password="short", by=admin, now=NOW)
