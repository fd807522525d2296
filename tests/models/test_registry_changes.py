"""Registry changes (动态调整): each kind checked and applied, audited, a member who leaves kept, nothing written on a
refusal, and documents made again after a change showing the household as it was when its case was decided."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from models.chains.household_exit.documents.home_check_form import (
    build_home_check_form_context,
    render_home_check_form,
)
from models.core.actors import Role, add_actor
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case
from models.core.clock import parse
from models.core.errors import InvalidInput
from models.core.household import Household, Member
from models.registry.changes import Change, Mover, apply_change
from models.registry.history import history
from models.registry.kinds import ChangeKind
from models.registry.revisions import HouseholdRevision, household_as_of
from tests.walk import CHAIN, actor_for, open_all, walk_to

NOW = parse("2026-10-08 09:00")
TODAY = date(2026, 10, 8)
NEWBORN = "430121202609010018"  # born 2026-09-01, a boy


def _household(world, index: int = 0) -> tuple[Household, list[Member]]:
    household = world.session.get(Household, world.area.household_ids[index])
    members = list(world.session.scalars(select(Member).where(col(Member.household_id) == household.id)
                                         .order_by(col(Member.id))))
    return household, members


def _clerk(world, household: Household):
    return actor_for(world, Role.VILLAGE_COMMITTEE, household.village_code)


def _apply(world, change: Change, actor=None, now=NOW):
    household = world.session.exec(select(Household).where(col(Household.number) == change.number)).one()
    apply_change(session=world.session, change=change, actor=actor or _clerk(world, household), now=now)
    world.session.commit()


def _written(world) -> tuple[int, int]:
    session = world.session
    return (session.scalar(select(func.count()).select_from(HouseholdRevision)),
            session.scalar(select(func.count()).select_from(AuditEvent)))


def _several(world) -> tuple[Household, list[Member]]:
    """A household of at least three members."""
    for index in range(len(world.area.household_ids)):
        household, members = _household(world, index)
        if len(members) >= 3 and sum(m.resident for m in members) >= 2:
            return household, members
    raise AssertionError("no household of three")


def test_a_birth_adds_a_member_and_is_audited_with_who_and_when(world):
    household, members = _household(world)
    _apply(world, Change(household.number, ChangeKind.BIRTH, TODAY, (Mover(NEWBORN, "小宝", "孙子"),), note="新生儿"))
    added = world.session.scalars(select(Member).where(col(Member.resident_id) == NEWBORN)).one()
    assert added.household_id == household.id and added.sex == "男" and added.resident and not added.left
    [entry] = history(world.session, household.number)
    assert entry.kind == "出生" and "小宝" in entry.what and entry.actor == _clerk(world, household).name
    assert entry.at == NOW and entry.note == "新生儿" and first_broken(world.session) is None


def test_a_member_who_dies_is_kept_marked_left_and_no_longer_resident(world):
    household, members = _several(world)
    leaving = next(m for m in members if m.relation != "户主")
    _apply(world, Change(household.number, ChangeKind.DEATH, TODAY, (Mover(leaving.resident_id, leaving.name),)))
    world.session.refresh(leaving)
    assert leaving.left and leaving.left_reason == "死亡" and not leaving.resident and leaving.left_at == NOW
    assert leaving.household_id == household.id  # kept, not deleted
    before = household_as_of(world.session, household.id, NOW - timedelta(seconds=1))
    assert leaving.name in [m.name for m in before.present]
    assert leaving.name not in [m.name for m in household_as_of(world.session, household.id, NOW).present]


def test_the_head_cannot_leave_without_a_new_head_and_nothing_is_written(world):
    household, members = _several(world)
    head = next(m for m in members if m.relation == "户主")
    written = _written(world)
    with pytest.raises(InvalidInput) as refused:
        _apply(world, Change(household.number, ChangeKind.MOVE_OUT, TODAY, (Mover(head.resident_id, head.name),)))
    assert refused.value.field == "新值" and "新户主" in refused.value.rule
    world.session.rollback()
    assert _written(world) == written and not world.session.get(Member, head.id).left

    heir = next(m for m in members if m.relation != "户主")
    _apply(world, Change(household.number, ChangeKind.DEATH, TODAY, (Mover(head.resident_id, head.name),),
                         value=heir.resident_id))
    world.session.refresh(household)
    assert household.head_name == heir.name and world.session.get(Member, heir.id).relation == "户主"
    assert "户主改为" + heir.name in history(world.session, household.number)[0].what


@pytest.mark.parametrize(("mover", "field", "rule"), [
    (Mover("430121202609010019", "小宝", "孙子"), "证件号码", "校验位"),
    (Mover(NEWBORN, "小宝", "户主"), "与户主关系", "一户只有一名户主"),
    (Mover(NEWBORN, "", "孙子"), "姓名", "姓名"),
])
def test_a_person_added_with_a_bad_cell_is_refused_by_field(world, mover, field, rule):
    household, _ = _household(world)
    written = _written(world)
    with pytest.raises(InvalidInput) as refused:
        _apply(world, Change(household.number, ChangeKind.BIRTH, TODAY, (mover,)))
    assert refused.value.field == field and rule in refused.value.rule
    assert f"户编号{household.number}" in str(refused.value)
    world.session.rollback()
    assert _written(world) == written


def test_a_member_of_another_household_is_not_removed_nor_added_twice(world):
    household, _ = _household(world, 0)
    _other, others = _household(world, 1)
    with pytest.raises(InvalidInput, match="不是本户"):
        _apply(world, Change(household.number, ChangeKind.DEATH, TODAY, (Mover(others[0].resident_id),)))
    world.session.rollback()
    with pytest.raises(InvalidInput, match="须先在原户办理婚出或迁出"):
        _apply(world, Change(household.number, ChangeKind.MARRY_IN, TODAY,
                             (Mover(others[0].resident_id, others[0].name, "儿媳"),)))


def test_someone_who_married_out_can_marry_into_another_household(world):
    source, members = _several(world)
    target, _ = next(_household(world, i) for i in range(len(world.area.household_ids))
                     if world.area.household_ids[i] != source.id
                     and _household(world, i)[0].village_code == source.village_code)
    bride = next(m for m in members if m.relation != "户主")
    _apply(world, Change(source.number, ChangeKind.MARRY_OUT, TODAY, (Mover(bride.resident_id, bride.name),)))
    _apply(world, Change(target.number, ChangeKind.MARRY_IN, TODAY, (Mover(bride.resident_id, bride.name, "配偶"),)),
           now=NOW + timedelta(hours=1))
    world.session.refresh(bride)
    assert bride.household_id == target.id and not bride.left and bride.relation == "配偶"
    was = household_as_of(world.session, source.id, NOW - timedelta(hours=1))
    assert bride.name in [m.name for m in was.present]


def test_a_change_outside_the_clerks_area_is_refused(world):
    household, _ = _household(world)
    other_village = next(v for t in world.area.townships for v in world.area.villages[t] if v != household.village_code)
    outsider = actor_for(world, Role.VILLAGE_COMMITTEE, other_village)
    with pytest.raises(InvalidInput, match="不在.*辖区内"):
        _apply(world, Change(household.number, ChangeKind.PHONE, TODAY, value="13900001111"), actor=outsider)
    world.session.rollback()
    county_team = add_actor(world.session, name="复核员甲", role=Role.COUNTY_RECHECK_TEAM,
                            region_code=world.area.county_code, login="fuhe-jia")
    with pytest.raises(InvalidInput, match="不能办理户籍人口变更"):
        _apply(world, Change(household.number, ChangeKind.PHONE, TODAY, value="13900001111"), actor=county_team)


def test_a_split_makes_a_household_with_its_own_head_and_leaves_one_behind(world):
    household, members = _several(world)
    movers = [m for m in members if m.relation != "户主" and m.resident][:1]
    assert movers
    with pytest.raises(InvalidInput, match="有且只有一名户主"):
        _apply(world, Change(household.number, ChangeKind.SPLIT, TODAY,
                             tuple(Mover(m.resident_id, m.name, "子") for m in movers), new_number="9" * 16))
    world.session.rollback()
    everyone = tuple(Mover(m.resident_id, m.name, "户主" if m.id == movers[0].id else "父亲") for m in members)
    with pytest.raises(InvalidInput, match="原户须留有成员"):
        _apply(world, Change(household.number, ChangeKind.SPLIT, TODAY, everyone, new_number="9" * 16))
    world.session.rollback()
    alone = (Mover(movers[0].resident_id, movers[0].name, "户主"),)
    _apply(world, Change(household.number, ChangeKind.SPLIT, TODAY, alone, new_number="9" * 16))
    new = world.session.exec(select(Household).where(col(Household.number) == "9" * 16)).one()
    assert new.head_name == movers[0].name and new.village_code == household.village_code
    assert world.session.get(Member, movers[0].id).household_id == new.id
    assert [e.kind for e in history(world.session, "9" * 16)] == ["分户"]


def test_a_merge_moves_every_member_into_the_other_household(world):
    source, members = _household(world, 0)
    into = next(h for h in (world.session.get(Household, i) for i in world.area.household_ids[1:])
                if h.village_code == source.village_code)
    with pytest.raises(InvalidInput, match="关系"):
        _apply(world, Change(source.number, ChangeKind.MERGE, TODAY, new_number=into.number))
    world.session.rollback()
    _apply(world, Change(source.number, ChangeKind.MERGE, TODAY, (Mover("", "", "兄弟"),), new_number=into.number))
    moved = world.session.scalars(select(Member).where(col(Member.id).in_([m.id for m in members]))).all()
    assert {m.household_id for m in moved} == {into.id} and "户主" not in {m.relation for m in moved}
    assert history(world.session, into.number)[0].what.startswith("全户")


def test_flags_and_phone_change_and_a_flag_already_so_is_refused(world):
    household, _ = _household(world)
    _apply(world, Change(household.number, ChangeKind.FLAG, TODAY, flag="重病", value="是"))
    _apply(world, Change(household.number, ChangeKind.PHONE, TODAY, value="13900001111"), now=NOW + timedelta(hours=1))
    world.session.refresh(household)
    assert household.ill_member and household.phone == "13900001111"
    with pytest.raises(InvalidInput, match="无需变更"):
        _apply(world, Change(household.number, ChangeKind.FLAG, TODAY, flag="重病", value="是"))
    world.session.rollback()
    with pytest.raises(InvalidInput, match="标识应为"):
        _apply(world, Change(household.number, ChangeKind.FLAG, TODAY, flag="五保", value="是"))
    world.session.rollback()
    was = household_as_of(world.session, household.id, NOW - timedelta(minutes=1)).household
    assert not was.ill_member and was.phone != "13900001111"


def test_a_form_made_again_after_a_death_shows_the_household_as_decided(world, html_only):
    """Decided, then a death: the form made again still lists the member; a case decided after a death does not."""
    ids = open_all(world, NOW)
    cases = {c.household_id: c for c in world.session.scalars(select(Case).where(col(Case.id).in_(ids)))}
    households = [_household(world, i) for i in range(len(world.area.household_ids))]
    (early, early_members), (late, late_members) = [
        (h, m) for h, m in households if len(m) >= 2 and sum(x.resident for x in m) >= 2][:2]
    gone_first = next(m for m in early_members if m.relation != "户主")
    _apply(world, Change(early.number, ChangeKind.DEATH, TODAY, (Mover(gone_first.resident_id, gone_first.name),)),
           now=NOW + timedelta(minutes=5))  # before its case is decided
    later = walk_to(world, ids, "PUBLICITY", NOW + timedelta(hours=1))  # the home check decided for all
    gone_after = next(m for m in late_members if m.relation != "户主")
    _apply(world, Change(late.number, ChangeKind.DEATH, TODAY, (Mover(gone_after.resident_id, gone_after.name),)),
           now=later)

    def names_on_form(household: Household) -> list[str]:
        case = cases[household.id]
        context = build_home_check_form_context(world.session, village_code=case.village_code, year=2026,
                                                case_ids=[case.id])
        return [m.name for m in context.households[0].members]

    assert gone_after.name in names_on_form(late)  # as decided, although dead now
    case = cases[late.id]
    again = render_home_check_form(world.session, chain=CHAIN, village_code=case.village_code, year=2026,
                                   case_ids=[case.id], now=later + timedelta(hours=1))  # the paper made again
    assert gone_after.name in Path(again.path).read_text(encoding="utf-8")
    assert gone_first.name not in names_on_form(early)  # decided after the death
    assert gone_after.name not in [m.name for m in household_as_of(world.session, late.id, None).present]
