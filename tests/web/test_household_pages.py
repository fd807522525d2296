"""The household page on a served dashboard: members present and left, flags, change history, a form per kind of
change for the village committee and township of its area; others read only, outside the area "not found", a
refusal shown in Chinese with nothing written."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.household import Household, Member
from models.registry.revisions import HouseholdRevision
from tests.web.conftest import csrf_of


def _in_first_village(world) -> tuple[Household, list[Member]]:
    """A household of township 1's first village (the `cun` login's) with at least two members."""
    village = world.area.villages[world.area.townships[0]][0]
    for household in world.session.scalars(select(Household).where(col(Household.village_code) == village)
                                           .order_by(col(Household.id))):
        members = list(world.session.scalars(select(Member).where(col(Member.household_id) == household.id)
                                             .order_by(col(Member.id))))
        if len(members) >= 2:
            return household, members
    raise AssertionError("no household of two in the first village")


def _written(world) -> tuple[int, int, int]:
    world.session.expire_all()
    return tuple(world.session.scalar(select(func.count()).select_from(t))  # type: ignore[return-value]
                 for t in (HouseholdRevision, AuditEvent, Member))


def test_the_village_committee_records_a_death_and_the_member_is_kept_as_left(world, logins, browser):
    household, members = _in_first_village(world)
    leaving = next(m for m in members if m.relation != "户主")
    client = browser("cun")
    page = client.get(f"/households/{household.number}")
    assert page.status_code == 200
    assert leaving.name in page.text and "登记死亡" in page.text and "登记分户" in page.text
    assert "尚无变更记录" in page.text
    answer = client.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(page), "kind": "DEATH", "on": "2026-10-09", "member": leaving.resident_id, "note": "病故"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/households/{household.number}?done=DEATH"
    shown = client.get(answer.headers["location"]).text
    assert "已登记死亡" in shown and "已减员成员" in shown and "病故" in shown and logins["cun"] in shown
    world.session.expire_all()
    assert world.session.get(Member, leaving.id).left

    again = client.post(f"/households/{household.number}/changes", data={  # the same form sent twice
        "csrf": csrf_of(page), "kind": "DEATH", "on": "2026-10-09", "member": leaving.resident_id})
    assert again.status_code == 400 and "不是本户" in again.text and "本次未写入任何内容" in again.text


def test_the_head_leaving_without_a_new_head_is_refused_on_the_page_and_nothing_is_written(world, logins, browser):
    household, members = _in_first_village(world)
    head = next(m for m in members if m.relation == "户主")
    client = browser("zhen1")
    page = client.get(f"/households/{household.number}")
    before = _written(world)
    answer = client.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(page), "kind": "MOVE_OUT", "on": "2026-10-09", "member": head.resident_id})
    assert answer.status_code == 400
    assert "未执行：" in answer.text and "新户主" in answer.text and "本次未写入任何内容" in answer.text
    assert _written(world) == before
    heir = next(m for m in members if m.relation != "户主")
    done = client.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(page), "kind": "MOVE_OUT", "on": "2026-10-09", "member": head.resident_id,
        "value": heir.resident_id})
    assert done.status_code == 303
    assert f"<h1>农户{household.number}：{heir.name}</h1>" in client.get(f"/households/{household.number}").text


def test_a_bad_date_or_a_bad_resident_id_is_refused_by_field(world, logins, browser):
    household, _ = _in_first_village(world)
    client = browser("cun")
    page = client.get(f"/households/{household.number}")
    before = _written(world)
    future = client.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(page), "kind": "PHONE", "on": "2026-12-31", "value": "13900001111"})
    assert future.status_code == 400 and "变更日期" in future.text and "不能晚于今天" in future.text
    bad = client.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(page), "kind": "BIRTH", "on": "2026-10-01", "name": "小宝", "resident_id": "4301212026",
        "relation": "孙子"})
    assert bad.status_code == 400 and "证件号码" in bad.text and "应为18位" in bad.text
    assert _written(world) == before


def test_others_read_only_outside_the_area_not_found_and_a_form_without_its_token_refused(world, logins, browser):
    household, _ = _in_first_village(world)
    leader = browser("zu")
    page = leader.get(f"/households/{household.number}")
    assert page.status_code == 200 and "登记死亡" not in page.text and "您可查看本户信息" in page.text
    before = _written(world)
    posted = leader.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(page), "kind": "PHONE", "on": "2026-10-09", "value": "13900001111"})
    assert posted.status_code == 400 and "不能办理户籍人口变更" in posted.text
    other = browser("zhen2")
    assert other.get(f"/households/{household.number}").status_code == 404
    outside = other.post(f"/households/{household.number}/changes", data={
        "csrf": csrf_of(other.get("/")), "kind": "PHONE", "on": "2026-10-09", "value": "13900001111"})
    assert outside.status_code == 404
    forged = browser("cun").post(f"/households/{household.number}/changes", data={
        "csrf": "forged", "kind": "PHONE", "on": "2026-10-09", "value": "13900001111"})
    assert forged.status_code == 403 and _written(world) == before


def test_the_case_page_links_to_its_household(world, logins, opened, browser):
    household, _ = _in_first_village(world)
    case = world.session.scalars(select(Case).where(col(Case.household_id) == household.id)).one()
    page = browser("cun").get(f"/cases/{case.id}")
    assert f'href="/households/{household.number}"' in page.text
