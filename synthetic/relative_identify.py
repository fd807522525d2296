"""Synthetic data of the relative-poor identification (E): applicant households with their members, yearly net income,
house and members' conditions, and the city's check team."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from models.core.actors import Actor, Role, add_actor
from synthetic.area import CITY
from synthetic.households import NewHousehold, add_households

CITY_TEAM = "市扶贫办 周国华"


@dataclass(frozen=True)
class Applicant:
    """An applicant household: its village (by index), resident members, yearly net income, house and members."""

    village: int
    members: int
    net_income: Decimal
    house_type: str = "砖混房"
    disabled_member: bool = False
    ill_member: bool = False
    hidden_income: Decimal = Decimal(0)  # found by the city's check


def add_applicants(session: Session, villages: Sequence[str], year: int, rng: random.Random,
                   applicants: Sequence[Applicant]) -> list[int]:
    """Non-registered households with the applicants' members, incomes, houses and flags; their ids in order."""
    households = [NewHousehold(villages[a.village], a.members, a.net_income,
                               {"house_type": a.house_type, "disabled_member": a.disabled_member,
                                "ill_member": a.ill_member})
                  for a in applicants]
    return add_households(session, households, year, rng, number_prefix="R", groups=2)


def city_team(session: Session) -> Actor:
    """The city's check team (地级市扶贫办会同统计等部门), added once."""
    found = session.scalars(select(Actor).where(col(Actor.role) == Role.CITY_CHECK_TEAM,
                                                col(Actor.region_code) == CITY[0])).first()
    return found or add_actor(session, name=CITY_TEAM, role=Role.CITY_CHECK_TEAM, region_code=CITY[0])
