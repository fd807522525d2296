"""Households a chain's demo adds to the synthetic area: in given villages, with a given number of resident members,
a yearly net income and any household flags, each with synthetic members (valid resident IDs) and an income record
whose parts net to that income."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.core.household import Household, Income, Member
from synthetic.area import People


@dataclass(frozen=True)
class NewHousehold:
    village_code: str
    members: int
    net_income: Decimal  # the household's yearly net income (all parts less production expenses)
    flags: Mapping[str, object] = field(default_factory=dict)  # Household fields other than the defaults


def income_parts(year: int, net: Decimal) -> dict[str, object]:
    """Four income parts and the production expenses that net to `net` (wages take the rest)."""
    operating, transfer, expenses = Decimal("1200"), Decimal("300"), Decimal("400")
    return {"year": year, "wages": net - operating - transfer + expenses, "operating": operating,
            "property_income": Decimal(0), "transfer": transfer, "expenses": expenses}


def add_households(session: Session, households: Sequence[NewHousehold], year: int, rng: random.Random, *,
                   number_prefix: str, groups: int = 2) -> list[int]:
    """Insert the households with their members and income records; their ids, in the given order."""
    people = People(rng)
    people.ids.update(session.execute(select(col(Member.resident_id))).scalars())
    rows = [{"number": f"{h.village_code}{number_prefix}{i + 1:03d}", "village_code": h.village_code,
             "group_name": f"{i % groups + 1}组", "head_name": people.name(), "phone": f"139{rng.randrange(10**8):08d}",
             "registered_poor": False, "minimum_allowance": False, "destitute": False, **h.flags}
            for i, h in enumerate(households)]
    session.execute(insert(Household.__table__), rows)  # type: ignore[attr-defined]
    number_to_id = dict(session.execute(select(col(Household.number), col(Household.id)).where(
        col(Household.number).in_([r["number"] for r in rows]))).tuples().all())
    ids = [number_to_id[str(r["number"])] for r in rows]
    members, incomes = [], []
    for index, (hid, row, household) in enumerate(zip(ids, rows, households, strict=True)):
        for m in range(household.members):
            female = m % 2 == 1
            members.append({
                "household_id": hid, "name": row["head_name"] if m == 0 else people.name(),
                "relation": "户主" if m == 0 else ("配偶" if m == 1 else "子"), "sex": "女" if female else "男",
                "phone": row["phone"] if m == 0 else "", "resident": True,
                "resident_id": people.resident_id(date(1970 + index, 5, 1) if m < 2 else date(2000 + index, 7, 1),
                                                  female),
            })
        incomes.append({**income_parts(year, household.net_income), "household_id": hid})
    session.execute(insert(Member.__table__), members)  # type: ignore[attr-defined]
    session.execute(insert(Income.__table__), incomes)  # type: ignore[attr-defined]
    return ids
