"""Synthetic data of the edge household identification (C): applicant households, not registered poor, with their
members, yearly net income and the flags the standard keeps off the list (低保户)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from synthetic.households import NewHousehold, add_households


@dataclass(frozen=True)
class Applicant:
    """An applicant household: its village (by index), resident members, yearly net income and status flags."""

    village: int
    members: int
    net_income: Decimal
    minimum_allowance: bool = False
    objected: bool = False


def add_applicants(session: Session, villages: Sequence[str], year: int, rng: random.Random,
                   applicants: Sequence[Applicant]) -> list[int]:
    """Non-registered households with the applicants' members, incomes and flags; their ids in the given order."""
    households = [NewHousehold(villages[a.village], a.members, a.net_income, {"minimum_allowance": a.minimum_allowance})
                  for a in applicants]
    return add_households(session, households, year, rng, number_prefix="E", groups=3)
