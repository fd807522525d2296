"""A household as it was: before each change its state is saved as a revision, so a case's documents show the
household as it was when the case was decided (the earliest revision valid after that moment, else the rows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, Session, SQLModel, col, select

from models.core.clock import to_db
from models.core.household import Household, Member

HOUSEHOLD_FIELDS = ("number", "village_code", "group_name", "head_name", "phone", "registered_poor",
                    "minimum_allowance", "destitute", "house_type", "disabled_member", "ill_member")
MEMBER_FIELDS = ("name", "resident_id", "relation", "sex", "resident", "phone", "left", "left_reason")


class HouseholdRevision(SQLModel, table=True):
    """The household and its members as they stood until `valid_until` (the moment a change was applied)."""

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    valid_until: datetime = Field(index=True)
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


@dataclass(frozen=True)
class MemberState:
    """A member as the household stood at a moment."""

    id: int
    name: str
    resident_id: str
    relation: str
    sex: str
    resident: bool
    phone: str
    left: bool
    left_reason: str


@dataclass(frozen=True)
class HouseholdState:
    """A household as it stood at a moment: a Household not attached to the session, and its members (the present
    ones, head first, and those who had left by then)."""

    household: Household
    members: tuple[MemberState, ...]

    @property
    def present(self) -> tuple[MemberState, ...]:
        return tuple(m for m in self.members if not m.left)

    @property
    def residents(self) -> int:
        return sum(1 for m in self.present if m.resident)


def _member_data(member: Member) -> dict[str, Any]:
    return {"id": member.id, **{key: getattr(member, key) for key in MEMBER_FIELDS}}


def snapshot(session: Session, household: Household, *, now: datetime) -> None:
    """Save the household as it stands, valid until `now`, before a change is applied to it (the caller commits)."""
    members = session.exec(select(Member).where(Member.household_id == household.id)
                           .order_by(col(Member.id))).all()
    data = {"household": {key: getattr(household, key) for key in HOUSEHOLD_FIELDS},
            "members": [_member_data(m) for m in members]}
    assert household.id is not None
    session.add(HouseholdRevision(household_id=household.id, valid_until=to_db(now), data=data))
    session.flush()


def _ordered(members: Sequence[MemberState]) -> tuple[MemberState, ...]:
    return tuple(sorted(members, key=lambda m: (m.left, m.relation != "户主", m.id)))


def _from_data(household_id: int, data: Mapping[str, Any]) -> HouseholdState:
    household = Household(id=household_id, **data["household"])
    return HouseholdState(household, _ordered([MemberState(**m) for m in data["members"]]))


def households_as_of(session: Session, moments: Mapping[int, datetime | None]) -> dict[int, HouseholdState]:
    """Each household as it stood at its moment (None: as it stands now); households that do not exist are left
    out. Two queries for any number of households."""
    ids = list(moments)
    if not ids:
        return {}
    found: dict[int, HouseholdState] = {}
    for revision in session.exec(select(HouseholdRevision).where(col(HouseholdRevision.household_id).in_(ids))
                                 .order_by(col(HouseholdRevision.valid_until), col(HouseholdRevision.id))):
        moment = moments[revision.household_id]
        if revision.household_id in found or moment is None or to_db(revision.valid_until) <= to_db(moment):
            continue
        found[revision.household_id] = _from_data(revision.household_id, revision.data)
    current = [i for i in ids if i not in found]
    if current:
        members: dict[int, list[MemberState]] = {}
        for member in session.exec(select(Member).where(col(Member.household_id).in_(current))):
            members.setdefault(member.household_id, []).append(MemberState(**_member_data(member)))
        for household in session.exec(select(Household).where(col(Household.id).in_(current))):
            assert household.id is not None
            found[household.id] = HouseholdState(household, _ordered(members.get(household.id, [])))
    return found


def household_as_of(session: Session, household_id: int, when: datetime | None) -> HouseholdState | None:
    """The household and its members as they were at `when` (None: now); None if there is no such household."""
    return households_as_of(session, {household_id: when}).get(household_id)
