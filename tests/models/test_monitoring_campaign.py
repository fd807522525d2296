"""The yearly campaign's dated phases (seed 003), the monthly rounds held in them, and the warnings they raise."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models.chains.monitoring.campaign import campaign_phases, create_campaign, hold_round
from models.chains.monitoring.tables import MonitoringObservation, MonitoringRound, MonitoringWarning
from models.core.actors import Role
from models.core.case import Case
from models.core.clock import parse
from models.core.errors import InvalidInput
from tests.monitoring_walk import households, observations, setup, walk_to, warn

# Seed 003 五、监测步骤: 排查 3/20–3/24, 走访 3/25–4/5, 评定 4/6–4/10, 录入 4/11–4/15,
# 动态监测及补短帮扶 4/16–6/30, 成效巩固 7/1–12/31.
SEED_PHASES = [
    ("screening", date(2026, 3, 20), date(2026, 3, 24), False),
    ("visits", date(2026, 3, 25), date(2026, 4, 5), False),
    ("assessment", date(2026, 4, 6), date(2026, 4, 10), False),
    ("entry", date(2026, 4, 11), date(2026, 4, 15), False),
    ("dynamic", date(2026, 4, 16), date(2026, 6, 30), True),
    ("consolidation", date(2026, 7, 1), date(2026, 12, 31), True),
]


def test_a_campaign_takes_the_seeds_phases_by_default(world):
    s = setup(world)
    got = [(p.code, p.starts_on, p.ends_on, p.monthly) for p in campaign_phases(world.session, s.campaign_id)]
    assert got == SEED_PHASES


def test_a_campaign_may_set_its_own_dates(world):
    s = setup(world, {"screening": (date(2026, 3, 23), date(2026, 3, 24)), "dynamic": (date(2026, 4, 16),
                                                                                      date(2026, 7, 15)),
                      "consolidation": (date(2026, 7, 16), date(2026, 12, 31))})
    phases = {p.code: (p.starts_on, p.ends_on) for p in campaign_phases(world.session, s.campaign_id)}
    assert phases["screening"] == (date(2026, 3, 23), date(2026, 3, 24))
    assert phases["visits"] == (date(2026, 3, 25), date(2026, 4, 5))
    assert phases["dynamic"] == (date(2026, 4, 16), date(2026, 7, 15))


@pytest.mark.parametrize(("dates", "field", "rule"), [
    ({"visits": (date(2026, 3, 24), date(2026, 4, 5))}, "开始日期",
     "须晚于上一阶段（排查阶段）的结束日期2026年3月24日"),
    ({"entry": (date(2026, 4, 15), date(2026, 4, 11))}, "起止日期", "开始日期不能晚于结束日期"),
    ({"consolidation": (date(2026, 7, 1), date(2027, 1, 31))}, "起止日期", "须在2026年内"),
    ({"harvest": (date(2026, 8, 1), date(2026, 8, 2))}, "阶段", "可选：screening（排查阶段）"),
], ids=["overlap", "reversed", "other-year", "unknown"])
def test_bad_campaign_dates_are_refused_and_nothing_is_written(world, dates, field, rule):
    government = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    with pytest.raises(InvalidInput) as refused:
        create_campaign(session=world.session, region_code=world.township, year=2026, actor=government,
                        now=parse("2026-03-16"), dates=dates)
    assert refused.value.field == field and refused.value.rule.startswith(rule)
    world.session.rollback()
    assert world.session.scalar(select(func.count()).select_from(MonitoringRound)) == 0


def test_one_campaign_a_year_set_by_the_township_or_county_government(world):
    setup(world)
    government = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    with pytest.raises(InvalidInput) as again:
        create_campaign(session=world.session, region_code=world.township, year=2026, actor=government,
                        now=parse("2026-03-17"))
    assert again.value.rule == "本年度已部署监测工作，不能重复部署"
    committee = world.actor(Role.VILLAGE_COMMITTEE, world.villages[0])
    with pytest.raises(InvalidInput) as who:
        create_campaign(session=world.session, region_code=world.township, year=2027, actor=committee,
                        now=parse("2026-03-17"))
    assert who.value.field == "部署人"


@pytest.mark.parametrize(("day", "allowed"), [
    ("2026-04-15", False), ("2026-04-16", True), ("2026-06-30", True), ("2026-07-01", True), ("2026-12-31", True),
    ("2026-03-19", False), ("2026-03-20", False),
])
def test_monthly_rounds_are_held_only_in_the_monitoring_phases_both_ends_included(world, day, allowed):
    s = setup(world)
    village = world.villages[0]
    committee = s.actor(Role.VILLAGE_COMMITTEE, village)
    held_at = parse(f"{day} 16:00")
    if allowed:
        result = hold_round(session=world.session, campaign_id=s.campaign_id, village_code=village, held_at=held_at,
                            actor=committee, observations=observations(s, village, {}))
        assert result.round.held_on == date.fromisoformat(day)
        return
    with pytest.raises(InvalidInput) as refused:
        hold_round(session=world.session, campaign_id=s.campaign_id, village_code=village, held_at=held_at,
                   actor=committee, observations=observations(s, village, {}))
    where = {"2026-04-15": "处于录入阶段", "2026-03-20": "处于排查阶段", "2026-03-19": "不在本年度监测工作的任何阶段内"}
    assert refused.value.field == "监测日期"
    allowed_text = "；每月动态监测须在动态监测及补短帮扶阶段（2026年4月16日至6月30日）"
    assert refused.value.rule.startswith(where[day] + allowed_text)


def test_one_round_a_village_a_month(world):
    s = setup(world)
    village = world.villages[0]
    warn(s, village, {}, parse("2026-08-03 10:00"))
    with pytest.raises(InvalidInput) as again:
        warn(s, village, {}, parse("2026-08-31 10:00"))
    assert again.value.rule == "本村本月已开展动态监测，每月一次"
    warn(s, village, {}, parse("2026-09-01 10:00"))


def test_each_missing_item_raises_a_warning_on_the_households_case(world):
    s = setup(world)
    village = world.villages[0]
    a, b, c = households(s, village)[:3]
    cases = warn(s, village, {a: ["housing", "water"], b: ["education"]})
    assert set(cases) == {a, b}
    opened = world.session.execute(select(Case.household_id, Case.stage, Case.chain).where(Case.id.in_(
        list(cases.values())))).all()
    assert sorted(opened) == sorted([(a, "MON_FLAG", "MONITORING"), (b, "MON_FLAG", "MONITORING")])
    warnings = world.session.execute(select(MonitoringWarning.household_id, MonitoringWarning.guarantee,
                                            MonitoringWarning.case_id)).all()
    assert sorted(warnings) == sorted([(a, "housing", cases[a]), (a, "water", cases[a]), (b, "education", cases[b])])
    assert world.session.scalar(select(func.count()).select_from(MonitoringObservation)) == len(households(s, village))
    assert c not in cases


def test_a_later_rounds_warning_joins_the_open_case_and_a_closed_case_gets_none(world):
    s = setup(world)
    village = world.villages[0]
    a, b = households(s, village)[:2]
    first = warn(s, village, {a: ["housing"], b: ["water"]}, parse("2026-08-20 10:00"))
    walk_to(s, first[b], "MON_CLOSEOUT")
    from tests.monitoring_walk import finish

    finish(s, first[b], parse("2026-09-29 10:00"))
    later = hold_round(session=world.session, campaign_id=s.campaign_id, village_code=village,
                       held_at=parse("2026-09-24 10:00"), actor=s.actor(Role.VILLAGE_COMMITTEE, village),
                       observations=observations(s, village, {a: ["medical"], b: ["water"]}))
    assert later.cases == {a: first[a]}
    assert later.without_case == [b]


@pytest.mark.parametrize(("change", "field"), [("other-village", "户ID"), ("missing-item", "饮水安全"),
                                               ("not-bool", "吃不愁"), ("extra", "income")])
def test_bad_observations_are_refused_and_nothing_is_written(world, change, field):
    s = setup(world)
    village = world.villages[0]
    seen = observations(s, village, {})
    first = next(iter(seen))
    if change == "other-village":
        seen[households(s, world.villages[1])[0]] = dict(seen[first])
    elif change == "missing-item":
        del seen[first]["water"]
    elif change == "not-bool":
        seen[first]["food"] = "是"  # type: ignore[assignment]
    else:
        seen[first]["income"] = True
    with pytest.raises(InvalidInput) as refused:
        hold_round(session=world.session, campaign_id=s.campaign_id, village_code=village,
                   held_at=parse("2026-09-24 10:00"), actor=s.actor(Role.VILLAGE_COMMITTEE, village),
                   observations=seen)
    assert refused.value.field == field
    world.session.rollback()
    assert world.session.scalar(select(func.count()).select_from(MonitoringRound)) == 0


def test_a_round_is_held_by_the_villages_own_committee(world):
    s = setup(world)
    village = world.villages[0]
    other = s.actor(Role.VILLAGE_COMMITTEE, world.villages[1])
    with pytest.raises(InvalidInput) as refused:
        hold_round(session=world.session, campaign_id=s.campaign_id, village_code=village,
                   held_at=parse("2026-09-24 10:00"), actor=other, observations=observations(s, village, {}))
    assert refused.value.field == "监测人"
