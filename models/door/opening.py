"""Who enters a chain's year: the registry read with the chain's entry rule, each refusal named, and the opening of
the cases planned through the one function that opens cases (the CLI's `tuopin open` and the dashboard's /open)."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from models import chains
from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.case import Case, Status
from models.core.errors import InvalidInput
from models.core.household import Household
from models.core.regions import LEVEL_NAMES, Level, Region, code_prefix
from models.door.cases import open_cases
from models.door.chain import Chain, Subject
from models.policy.loading import policy_for

# Who may open a year's cases: the township and county governments, the county's administrator, the system.
OPENERS = (Role.TOWNSHIP_GOVERNMENT, Role.COUNTY_GOVERNMENT, Role.COUNTY_ADMIN, Role.SYSTEM)

Pool = Callable[[Session, int], ColumnElement[bool]]
HouseholdRule = Callable[[Session, int, Sequence[Household]], dict[int, str]]
VillageRule = Callable[[Session, int, Sequence[Region]], dict[str, str]]


@dataclass(frozen=True)
class Entry:
    """A chain's entry rule, declared as ENTRY in models/chains/<chain>/entry.py: who may have a case of a year."""

    applies: bool = False  # households enter by applying: listed one by one, never chosen from a region
    pool: Pool | None = None  # with a region and no list: which of its households the rule chooses (None: all)
    households: HouseholdRule | None = None  # why each household given may not enter (none: every one may)
    villages: VillageRule | None = None  # why each village given may not enter


def entry_of(chain: Chain) -> Entry:
    """The chain's entry rule (its package's entry.py); a chain that declares none lets every subject enter."""
    module = f"{chains.__name__}.{chain.code.lower()}.entry"
    if importlib.util.find_spec(module) is None:
        return Entry()
    found = importlib.import_module(module).ENTRY
    assert isinstance(found, Entry), module
    return found


@dataclass(frozen=True)
class Refusal:
    subject: str  # as a cadre reads it: 户编号 and head's name, a village's name and code, or the value given
    reason: str

    def __str__(self) -> str:
        return f"{self.subject}：{self.reason}"


@dataclass(frozen=True)
class Opening:
    """Who would enter the chain's year (subject -> how a cadre reads it) and who is refused, with the reason."""

    chain: Chain
    year: int
    households: dict[int, str] = field(default_factory=dict)
    villages: dict[str, str] = field(default_factory=dict)
    refused: tuple[Refusal, ...] = ()
    listed: bool = False  # the households or villages were listed (a list with one refused opens none)

    @property
    def entering(self) -> list[str]:
        return [*self.households.values(), *self.villages.values()]

    @property
    def unit(self) -> str:
        return "村" if self.chain.subject is Subject.VILLAGE else "户"


def household_label(household: Household) -> str:
    return f"户{household.number}（户主{household.head_name}）"


def village_label(region: Region) -> str:
    return f"{region.name}（{region.code}）"


def finished_before(session: Session, chain: str, year: int, *, household_ids: Sequence[int] = (),
                    village_codes: Sequence[str] = ()) -> dict[int | str, int]:
    """Subjects whose case of the chain in an earlier year finished as passed (exited, identified), with that
    year: household ids, or the village codes of village cases."""
    subject = col(Case.household_id) if household_ids else col(Case.village_code)
    keys: Sequence[int | str] = household_ids or village_codes
    if not keys:
        return {}
    query = select(subject, col(Case.year)).where(
        col(Case.chain) == chain, col(Case.year) < year, col(Case.status) == Status.EXITED, subject.in_(keys))
    if not household_ids:
        query = query.where(col(Case.household_id).is_(None))
    found: dict[int | str, int] = {}
    for key, when in session.execute(query.order_by(col(Case.year))).tuples():
        found.setdefault(key, when)
    return found


def _taken(session: Session, chain: Chain, year: int, keys: Sequence[int | str], villages: bool) -> dict[object, str]:
    """Why each subject already in the chain may not enter again: a case this year, or one still active."""
    subject = col(Case.village_code) if villages else col(Case.household_id)
    query = select(subject, col(Case.year), col(Case.status)).where(
        col(Case.chain) == chain.code, subject.in_(keys),
        or_(col(Case.year) == year, col(Case.status) == Status.ACTIVE))
    if villages:
        query = query.where(col(Case.household_id).is_(None))
    found: dict[object, str] = {}
    for key, when, _status in session.execute(query.order_by(col(Case.year).desc())).tuples():
        found.setdefault(key, f"已有{year}年度{chain.name}案件，不能重复立案" if when == year
                         else f"{when}年度{chain.name}案件尚未办结，不能另行立案")
    return found


def _split(values: str | Sequence[str]) -> list[str]:
    """The values of a list typed or pasted: comma (also the full-width one), newline or space separated."""
    text = values if isinstance(values, str) else ",".join(values)
    for mark in ("，", "、", "\n", "\r", "\t", " ", ";", "；"):
        text = text.replace(mark, ",")
    return list(dict.fromkeys(v.strip() for v in text.split(",") if v.strip()))


class _Plan:
    """The plan being built: the region given and the actor's area, then each subject's first refusal."""

    def __init__(self, session: Session, chain: Chain, year: int, region: Region | None, actor: Actor | None) -> None:
        self.session, self.chain, self.year, self.region, self.actor = session, chain, year, region, actor
        self.refused: list[Refusal] = []
        self.places: set[str] = set()  # the villages of those who enter, whose policy must exist

    def outside(self, village_code: str) -> str | None:
        if self.region is not None and not village_code.startswith(code_prefix(self.region.code)):
            return f"不在所给区划{village_label(self.region)}内"
        if self.actor is not None and not self.actor.covers(village_code):
            return f"不在{self.actor.title()}的辖区内"
        return None

    def households(self, given: Sequence[Household | Refusal], rule: HouseholdRule | None) -> dict[int, str]:
        """Those of the households given who may enter; a value already refused stays refused, in its place."""
        found = [h for h in given if isinstance(h, Household)]
        taken = _taken(self.session, self.chain, self.year, [h.id for h in found if h.id is not None], villages=False)
        refused = rule(self.session, self.year, found) if rule else {}
        entering: dict[int, str] = {}
        for household in given:
            if isinstance(household, Refusal):
                self.refused.append(household)
                continue
            assert household.id is not None
            reason = self.outside(household.village_code) or taken.get(household.id) or refused.get(household.id)
            if reason:
                self.refused.append(Refusal(household_label(household), reason))
            else:
                entering[household.id] = household_label(household)
                self.places.add(household.village_code)
        return entering

    def villages(self, given: Sequence[Region | Refusal], rule: VillageRule | None) -> dict[str, str]:
        """Those of the villages given who may enter; a value already refused stays refused, in its place."""
        found = [r for r in given if isinstance(r, Region)]
        taken = _taken(self.session, self.chain, self.year, [r.code for r in found], villages=True)
        refused = rule(self.session, self.year, found) if rule else {}
        entering: dict[str, str] = {}
        for region in given:
            if isinstance(region, Refusal):
                self.refused.append(region)
                continue
            reason = self.outside(region.code) or taken.get(region.code) or refused.get(region.code)
            if reason:
                self.refused.append(Refusal(village_label(region), reason))
            else:
                entering[region.code] = village_label(region)
                self.places.add(region.code)
        return entering


def _listed_households(session: Session, values: Sequence[str]) -> list[Household | Refusal]:
    """The households listed by 户编号 or id, in the order given, each once; a value naming none is refused."""
    ids = [int(v) for v in values if v.isdigit() and len(v) < 12]
    found = session.exec(select(Household).where(
        or_(col(Household.number).in_(values), col(Household.id).in_(ids)))).all()
    by_number = {h.number: h for h in found}
    by_id = {h.id: h for h in found}
    listed: list[Household | Refusal] = []
    for value in values:
        household = by_number.get(value) or (by_id.get(int(value)) if value.isdigit() and len(value) < 12 else None)
        if household is None:
            listed.append(Refusal(f"户编号或户ID“{value}”", "没有这一户"))
        elif household not in listed:
            listed.append(household)
    return listed


def _listed_villages(session: Session, chain: Chain, values: Sequence[str]) -> list[Region | Refusal]:
    """The villages listed by code, in the order given; a code of another level or of no region is refused."""
    found = {r.code: r for r in session.exec(select(Region).where(col(Region.code).in_(values)))}
    listed: list[Region | Refusal] = []
    for value in values:
        region = found.get(value)
        if region is None:
            listed.append(Refusal(f"区划代码“{value}”", "不是已登记的区划代码"))
        elif region.level is not Level.VILLAGE:
            listed.append(Refusal(village_label(region), f"是{LEVEL_NAMES[Level(region.level)]}区划，"
                                  f"{chain.name}须给出村级区划代码"))
        else:
            listed.append(region)
    return listed


def plan_opening(session: Session, *, chain: Chain, year: int, region: str | None = None,
                 households: str | Sequence[str] = (), villages: str | Sequence[str] = (),
                 actor: Actor | None = None) -> Opening:
    """Who would enter the chain's year, writing nothing: the households or villages listed (households by 户编号
    or id), else the region's households the chain's entry rule chooses; each one refused named with its rule
    (not in the region or the actor's area, already in a case of the chain, the chain's own rule). Input that
    plans nothing at all (a finding chain, the wrong kind of list, no region and no list) is refused whole."""
    record = f"{year}年度{chain.name}立案"
    if not 2000 <= year <= 2100:
        raise InvalidInput(record, "年度", year, "须为四位年份")
    if chain.subject is Subject.FINDING:
        raise InvalidInput(record, "流程", chain.name, "该流程的案件由登记排查问题逐件立案，不能批量立案")
    listed_households, listed_villages = _split(households), _split(villages)
    if listed_households and listed_villages:
        raise InvalidInput(record, "名单", "", "一次只能给出户或村，不能同时给出")
    found = session.get(Region, region) if region else None
    if region and found is None:
        raise InvalidInput(record, "区划", region, "不是已登记的区划代码")
    plan = _Plan(session, chain, year, found, actor)
    entry = entry_of(chain)
    entering_households: dict[int, str] = {}
    entering_villages: dict[str, str] = {}
    if chain.subject is Subject.VILLAGE:
        if listed_households or not listed_villages:
            raise InvalidInput(record, "村名单", "", f"{chain.name}以村为单位立案：请列出申请的村的村级区划代码")
        entering_villages = plan.villages(_listed_villages(session, chain, listed_villages), entry.villages)
    elif listed_villages:
        raise InvalidInput(record, "户名单", "", f"{chain.name}以户为单位立案：请列出户编号，或给出区划")
    elif listed_households:
        entering_households = plan.households(_listed_households(session, listed_households), entry.households)
    elif entry.applies:
        raise InvalidInput(record, "户名单", "", f"{chain.name}由农户申请立案：请列出申请户的户编号")
    elif found is None:
        raise InvalidInput(record, "区划", "", "须给出区划，或列出户编号")
    else:
        query = select(Household).where(col(Household.village_code).startswith(code_prefix(found.code)))
        if entry.pool is not None:
            query = query.where(entry.pool(session, year))
        pooled = session.exec(query.order_by(col(Household.id))).all()
        entering_households = plan.households(pooled, entry.households)
    # A year without policy in a province the plan reaches is refused now (PolicyMissing), not when it opens.
    for province in sorted({code[:2] for code in plan.places}):
        policy_for(province.ljust(12, "0"), year)
    return Opening(chain, year, entering_households, entering_villages, tuple(plan.refused),
                   listed=bool(listed_households or listed_villages))


def open_planned(*, session: Session, opening: Opening, actor: Actor, now: datetime) -> list[int]:
    """Open the cases of those the plan lets enter, signed by `actor`, one OPEN audit event each (the caller
    commits). Those a region's entry rule leaves out are left out; a list with any one refused opens none (a
    clerk's list is corrected whole, like a file). A person outside the openers' roles is refused and nothing
    written."""
    record = f"{opening.year}年度{opening.chain.name}立案"
    if actor.role not in OPENERS:
        allowed = "、".join(ROLE_NAMES[r] for r in OPENERS if r is not Role.SYSTEM)
        raise InvalidInput(record, "办理人", actor.title(), f"须为{allowed}")
    if opening.listed and opening.refused:
        raise InvalidInput(record, "名单", f"{len(opening.refused)}{opening.unit}不能立案",
                           "所列名单须全部可以立案，本次未立案：请改正或删去不能立案的后重试")
    return open_cases(session=session, chain=opening.chain.code, year=opening.year, now=now, actor=actor,
                      household_ids=list(opening.households), village_codes=list(opening.villages))
