"""Who enters a chain's year (models/door/opening.py): each chain's entry rule read from the registry, each refusal
named with its rule, the plan writing nothing, and the opening signed by a person who may open."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from models.chains.edge_identify.stages import EDGE_IDENTIFY
from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.chains.key_village.stages import KEY_VILLAGE
from models.chains.monitoring.campaign import create_campaign
from models.chains.monitoring.stages import MONITORING
from models.chains.rectification.stages import RECTIFICATION
from models.chains.relative_identify.stages import RELATIVE_IDENTIFY
from models.chains.village_exit.stages import VILLAGE_EXIT
from models.core.actors import Role, system_actor
from models.core.audit import AuditEvent
from models.core.case import Case, Status
from models.core.errors import InvalidInput, PolicyMissing
from models.core.household import Household
from models.door.opening import Opening, open_planned, plan_opening
from synthetic.households import NewHousehold, add_households

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
BATCH = itertools.count(1)


def households_of(world, prefix: str) -> list[Household]:
    query = select(Household).where(Household.village_code.startswith(prefix)).order_by(Household.id)  # type: ignore[attr-defined]
    return list(world.session.scalars(query))


def label(household: Household) -> str:
    return f"户{household.number}（户主{household.head_name}）"


def reasons(opening: Opening) -> dict[str, str]:
    return {r.subject: r.reason for r in opening.refused}


def applicants(world, **flags: object) -> Household:
    """A household not registered as poor in township 1's first village, with these flags."""
    batch = next(BATCH)
    [hid] = add_households(world.session, [NewHousehold(world.villages[0], 3, Decimal("10500"), flags)], 2026,
                           random.Random(batch), number_prefix=f"9{batch}")
    found = world.session.get(Household, hid)
    assert found is not None
    return found


def old_case(world, chain: str, year: int, status: Status, *, household: int | None = None,
             village: str | None = None) -> None:
    """A case of an earlier year, as a finished (or unfinished) round leaves it."""
    code = village or world.session.get(Household, household).village_code
    world.session.execute(insert(Case), [{"chain": chain, "year": year, "household_id": household,
                                          "village_code": code, "stage": "X", "status": status, "version": 1,
                                          "opened_at": T0.replace(year=year)}])


def cases(world, chain: str) -> int:
    return int(world.session.scalar(select(func.count()).select_from(Case).where(Case.chain == chain)) or 0)


def test_chain_a_chooses_a_regions_registered_poor_households_and_writes_nothing_while_planning(world):
    outsider = applicants(world)
    township = households_of(world, world.township[:9])
    plan = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, region=world.township)
    poor = [h for h in township if h.registered_poor]
    assert list(plan.households) == [h.id for h in poor] and outsider.id not in plan.households
    assert plan.refused == () and cases(world, HOUSEHOLD_EXIT.code) == 0
    listed = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, households=[outsider.number])
    assert reasons(listed) == {label(outsider): "不是建档立卡贫困户，不纳入脱贫退出"} and not listed.households


def test_chain_a_refuses_a_household_exited_earlier_or_still_in_last_years_case_and_admits_one_rejected(world):
    exited, unfinished, rejected, fresh = households_of(world, world.township[:9])[:4]
    old_case(world, HOUSEHOLD_EXIT.code, 2025, Status.EXITED, household=exited.id)
    old_case(world, HOUSEHOLD_EXIT.code, 2025, Status.ACTIVE, household=unfinished.id)
    old_case(world, HOUSEHOLD_EXIT.code, 2025, Status.REJECTED, household=rejected.id)
    plan = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, region=world.township)
    assert reasons(plan) == {label(exited): "已于2025年脱贫退出",
                             label(unfinished): "2025年度贫困户脱贫退出案件尚未办结，不能另行立案"}
    assert rejected.id in plan.households and fresh.id in plan.households


def test_a_household_in_a_case_of_the_chain_this_year_is_refused_and_a_second_opening_opens_nothing(world):
    first, second = world.area.household_ids[:2]
    system = system_actor(world.session)
    once = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, households=[str(first)])
    assert len(open_planned(session=world.session, opening=once, actor=system, now=T0)) == 1
    again = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, households=f"{first}，{second}")
    assert list(again.households) == [second]
    household = world.session.get(Household, first)
    assert reasons(again) == {label(household): "已有2026年度贫困户脱贫退出案件，不能重复立案"}
    other_year = plan_opening(world.session, chain=EDGE_IDENTIFY, year=2026, households=[str(first)])
    assert reasons(other_year) == {label(household): "是建档立卡贫困户，不能申请贫困边缘户"}


def test_households_are_listed_by_number_or_id_once_each_and_an_unknown_value_is_named(world):
    a, b = households_of(world, world.township[:9])[:2]
    plan = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026,
                        households=f"{a.number}\n{b.id} {a.id}、99999,320000000000000000")
    assert list(plan.households) == [a.id, b.id] and plan.households[a.id] == label(a)
    assert reasons(plan) == {"户编号或户ID“99999”": "没有这一户", "户编号或户ID“320000000000000000”": "没有这一户"}


def test_a_household_outside_the_region_given_or_the_actors_area_is_refused(world):
    mine, theirs = households_of(world, world.township[:9])[0], households_of(world, world.area.townships[1][:9])[0]
    plan = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, region=world.township,
                        households=[mine.number, theirs.number])
    assert list(plan.households) == [mine.id]
    assert reasons(plan)[label(theirs)].startswith("不在所给区划") and world.township in reasons(plan)[label(theirs)]
    township = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    scoped = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, households=[theirs.number],
                          actor=township)
    assert reasons(scoped) == {label(theirs): f"不在{township.title()}的辖区内"}


def test_chain_c_takes_applicants_only_and_refuses_registered_poor_minimum_allowance_and_destitute(world):
    plain, allowance, destitute = applicants(world), applicants(world, minimum_allowance=True), \
        applicants(world, minimum_allowance=False, destitute=True)
    poor = households_of(world, world.township[:9])[0]
    plan = plan_opening(world.session, chain=EDGE_IDENTIFY, year=2026,
                        households=[plain.number, allowance.number, destitute.number, poor.number])
    assert list(plan.households) == [plain.id]
    assert reasons(plan) == {label(allowance): "属低保户，按规定暂不列入贫困边缘户",
                             label(destitute): "属特困人员，按规定暂不列入贫困边缘户",
                             label(poor): "是建档立卡贫困户，不能申请贫困边缘户"}
    with pytest.raises(InvalidInput, match="由农户申请立案"):
        plan_opening(world.session, chain=EDGE_IDENTIFY, year=2026, region=world.township)


def test_chain_e_takes_applicants_and_refuses_a_registered_poor_household(world):
    plain, poor = applicants(world, minimum_allowance=True), households_of(world, world.township[:9])[0]
    plan = plan_opening(world.session, chain=RELATIVE_IDENTIFY, year=2026, households=[plain.number, poor.number])
    assert list(plan.households) == [plain.id]
    assert reasons(plan) == {label(poor): "已是建档立卡贫困户，不能申请相对贫困户识别"}
    with pytest.raises(InvalidInput, match="由农户申请立案"):
        plan_opening(world.session, chain=RELATIVE_IDENTIFY, year=2026, region=world.township)


def test_village_chains_take_the_villages_listed_and_refuse_other_levels_unknown_codes_and_an_exited_village(world):
    exited, applying = world.villages[:2]
    old_case(world, VILLAGE_EXIT.code, 2024, Status.EXITED, village=exited)
    plan = plan_opening(world.session, chain=VILLAGE_EXIT, year=2026,
                        villages=[exited, applying, world.township, "320000000001"])
    assert list(plan.villages) == [applying]
    said = reasons(plan)
    assert [s for s, r in said.items() if r == "已于2024年贫困村退出"] == [plan.refused[0].subject]
    assert exited in plan.refused[0].subject
    assert any(r == "是乡镇级区划，贫困村退出须给出村级区划代码" and world.township in s for s, r in said.items())
    assert said["区划代码“320000000001”"] == "不是已登记的区划代码"
    key = plan_opening(world.session, chain=KEY_VILLAGE, year=2026, villages=[exited])
    assert list(key.villages) == [exited] and key.refused == ()  # chain D has no rule of its own
    with pytest.raises(InvalidInput, match="以村为单位立案"):
        plan_opening(world.session, chain=KEY_VILLAGE, year=2026, region=world.township)
    with pytest.raises(InvalidInput, match="以户为单位立案"):
        plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, villages=[applying])


def test_chain_f_takes_the_households_a_campaign_covers_and_refuses_one_in_an_f_case_this_year(world):
    elsewhere = households_of(world, world.area.townships[1][:9])[0]
    nothing = plan_opening(world.session, chain=MONITORING, year=2026, region=world.area.county_code)
    assert nothing.households == {} and nothing.refused == ()
    create_campaign(session=world.session, region_code=world.township, year=2026, now=T0,
                    actor=world.actor(Role.TOWNSHIP_GOVERNMENT, world.township))
    covered = households_of(world, world.township[:9])
    plan = plan_opening(world.session, chain=MONITORING, year=2026, region=world.area.county_code)
    assert list(plan.households) == [h.id for h in covered]
    listed = plan_opening(world.session, chain=MONITORING, year=2026, households=[elsewhere.number])
    assert reasons(listed) == {label(elsewhere): "所在乡镇和县未部署2026年度防止返贫监测工作"}
    open_planned(session=world.session, opening=plan_opening(world.session, chain=MONITORING, year=2026,
                                                             households=[covered[0].number]),
                 actor=system_actor(world.session), now=T0)
    again = plan_opening(world.session, chain=MONITORING, year=2026, region=world.township)
    assert reasons(again) == {label(covered[0]): "已有2026年度防止返贫监测和帮扶案件，不能重复立案"}


def test_chain_g_a_bad_year_and_a_year_without_policy_are_refused_whole(world):
    with pytest.raises(InvalidInput, match="由登记排查问题逐件立案"):
        plan_opening(world.session, chain=RECTIFICATION, year=2026, villages=[world.villages[0]])
    with pytest.raises(InvalidInput, match="须为四位年份"):
        plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=26, region=world.township)
    with pytest.raises(PolicyMissing):
        plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2031, region=world.township)
    with pytest.raises(InvalidInput, match="不是已登记的区划代码"):
        plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, region="329999999999")


def test_opening_is_signed_by_an_opener_and_audited_and_anyone_else_is_refused_with_nothing_written(world):
    plan = plan_opening(world.session, chain=HOUSEHOLD_EXIT, year=2026, region=world.township)
    committee = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    with pytest.raises(InvalidInput, match="须为乡镇人民政府"):
        open_planned(session=world.session, opening=plan, actor=committee, now=T0)
    assert cases(world, HOUSEHOLD_EXIT.code) == 0
    township = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    ids = open_planned(session=world.session, opening=plan, actor=township, now=T0)
    world.session.commit()
    assert len(ids) == len(plan.households) == cases(world, HOUSEHOLD_EXIT.code)
    actors = set(world.session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "HOUSEHOLD_EXIT.OPEN")))
    assert actors == {township.name}
