"""Synthetic data of the village exit chain (B): a village's acceptance entries from a few figures, and non-poor
households for the county's missed-identification sample."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlmodel import Session, col

from models.chains.village_exit.standards import Score, VillageFacts, village_exit_policy
from models.core.household import Household, Member
from synthetic.area import People


@dataclass(frozen=True)
class Scenario:
    """A village's figures: people, poor people, collective income, and points lost on the scored indicators."""

    registered_population: int
    poor_people: int
    collective_income: Decimal
    points_lost: int


def facts_for(scenario: Scenario, region_code: str, year: int) -> VillageFacts:
    """The acceptance entries of a scenario: points taken off the last indicators first, evidence for each."""
    scores: dict[str, Score] = {}
    lost = scenario.points_lost
    for indicator in reversed(village_exit_policy(region_code, year).indicators):
        take = min(lost, indicator.points)
        lost -= take
        evidence = f"{indicator.name.split('（')[0]}：县行业主管部门认定数据及现场照片"
        scores[indicator.code] = Score(Decimal(indicator.points - take), evidence)
    return VillageFacts(scenario.registered_population, scenario.poor_people, "县扶贫办建档立卡数据、县统计局人口数据",
                        scenario.collective_income, "村集体经济收支账目（乡镇经管站审核）", scores)


def add_non_poor_households(session: Session, village: str, count: int, rng: random.Random) -> list[int]:
    """Non-poor households (two-person, in two village groups) for the missed-identification sample."""
    if count <= 0:
        return []
    people = People(rng)
    people.ids.update(session.execute(select(col(Member.resident_id))).scalars())
    rows = [{"number": f"{village}F{i + 1:03d}", "village_code": village, "group_name": f"{i % 2 + 1}组",
             "head_name": people.name(), "phone": "", "registered_poor": False} for i in range(count)]
    session.execute(insert(Household.__table__), rows)  # type: ignore[attr-defined]
    ids = list(session.execute(select(col(Household.id)).where(
        col(Household.number).in_([r["number"] for r in rows])).order_by(col(Household.id))).scalars())
    couples = (("户主", "男"), ("配偶", "女"))
    session.execute(insert(Member.__table__), [  # type: ignore[attr-defined]
        {"household_id": hid, "name": row["head_name"] if relation == "户主" else people.name(), "relation": relation,
         "sex": sex, "phone": "", "resident": True,
         "resident_id": people.resident_id(date(1970 + i % 20, 3, 1), sex == "女")}
        for i, (hid, row) in enumerate(zip(ids, rows, strict=True)) for relation, sex in couples
    ])
    return ids
