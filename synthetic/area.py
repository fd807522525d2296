"""Synthetic but valid data for the demo, tests and benchmark: regions, offices, people and households.

Names are made up; resident IDs carry a real area code, a real birth date and a correct GB 11643
check digit; everything is drawn from a seeded generator, so a seed always gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlmodel import Session
from stdnum.cn import ric

from models.core.actors import SYSTEM_NAME, Actor, Role
from models.core.household import Household, Income, Member
from models.core.regions import Level, Region

PROVINCE = ("430000000000", "湖南省")
CITY = ("430100000000", "长沙市")
COUNTY = ("430121000000", "长沙县")
ID_AREA = "430121"  # birth-place code printed in the demo's resident IDs

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国华明伟芳秀英玉兰桂春海军红平德志勇强永福丽萍文斌金成林荣贵发生光辉云霞凤梅娟清友和顺安"
GIVEN_MALE = "建国华明伟海军平德志勇强永福文斌金成林荣贵发生光辉清友和顺安"
GIVEN_FEMALE = "华芳秀英玉兰桂春红平丽萍云霞凤梅娟清"
TOWNSHIPS = ["示范镇", "青山镇", "白沙乡", "龙潭镇", "石门乡", "金井镇", "高桥镇", "黄花镇", "北山乡", "福临镇",
             "开慧镇", "路口镇", "江背镇", "春华镇", "果园镇", "安沙镇", "黄兴镇", "干杉镇", "跳马乡", "榔梨镇"]
VILLAGES = ["欧阳海村", "增家源村", "柏树村", "枫林村", "新塘村", "高岭村", "石桥村", "竹山村", "桃源村", "大坪村",
            "上湾村", "花园村", "杉木村", "双江村", "莲塘村"]
RELATIONS = ["户主", "配偶", "子", "女", "孙子", "孙女", "父亲", "母亲"]
# Relation to the head by generation and sex (male, female): a member's relation always agrees with their sex.
KIN = {"child": ("子", "女"), "grandchild": ("孙子", "孙女"), "parent": ("父亲", "母亲")}
MALE_HEADS = 0.85  # rural registers list mostly men as heads of household
HEADS_BORN = (1945, 1985)
LAST_BORN = 2022  # the youngest members were born by this year
OLDEST_BORN = 1935  # a living parent of the head was born after this year


@dataclass
class Area:
    """What was built: the township codes and, per township, its village codes and households."""

    county_code: str
    townships: list[str] = field(default_factory=list)
    villages: dict[str, list[str]] = field(default_factory=dict)
    household_ids: list[int] = field(default_factory=list)
    people: int = 0


class People:
    """A seeded source of distinct names and valid, distinct resident IDs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.names: set[str] = set()

    def name(self, surname: str | None = None, *, unique: bool = False) -> str:
        while True:
            candidate = (surname or self.rng.choice(SURNAMES)) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if not unique or candidate not in self.names:
                self.names.add(candidate)
                return candidate

    def resident_id(self, born: date, female: bool) -> str:
        while True:
            serial = self.rng.randrange(0, 1000)
            if (serial % 2 == 0) != female:
                continue
            body = f"{ID_AREA}{born:%Y%m%d}{serial:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.ids:
                self.ids.add(number)
                return number

    def given(self, surname: str, female: bool) -> str:
        """A name whose given part suits the sex (not kept unique)."""
        pool = GIVEN_FEMALE if female else GIVEN_MALE
        return surname + "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2))))

    def birth(self, low: int, high: int) -> date:
        return date(low, 1, 1) + timedelta(days=self.rng.randrange(0, (high - low) * 365))


def _split(total: int, parts: int, rng: random.Random, low: int = 1) -> list[int]:
    """`total` split into `parts` positive counts, uneven as real villages are."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    counts = [max(low, int(total * w / sum(weights))) for w in weights]
    while sum(counts) != total:
        i = rng.randrange(parts)
        if sum(counts) < total:
            counts[i] += 1
        elif counts[i] > low:
            counts[i] -= 1
    return counts


def build_regions(session: Session, *, townships: int, villages_per_township: int) -> Area:
    """Province, city and county, then the townships and villages under them, with their offices."""
    area = Area(county_code=COUNTY[0])
    rows: list[dict[str, object]] = [
        {"code": PROVINCE[0], "name": PROVINCE[1], "level": Level.PROVINCE, "parent_code": None,
         "office_name": "湖南省扶贫开发办公室"},
        {"code": CITY[0], "name": CITY[1], "level": Level.CITY, "parent_code": PROVINCE[0],
         "office_name": "长沙市扶贫开发办公室"},
        {"code": COUNTY[0], "name": COUNTY[1], "level": Level.COUNTY, "parent_code": CITY[0],
         "office_name": "长沙县人民政府", "doc_prefix": "长县政", "contact_name": "县扶贫办 周立新",
         "contact_phone": "0731-86981234"},
    ]
    for t in range(townships):
        name = TOWNSHIPS[t % len(TOWNSHIPS)] + (str(t // len(TOWNSHIPS) + 1) if t >= len(TOWNSHIPS) else "")
        code = f"{COUNTY[0][:6]}{101 + t:03d}000"
        area.townships.append(code)
        rows.append({"code": code, "name": name, "level": Level.TOWNSHIP, "parent_code": COUNTY[0],
                     "office_name": f"{name}人民政府", "doc_prefix": f"{name[0]}{name[-1]}政",
                     "contact_name": "扶贫工作站 李红梅", "contact_phone": f"0731-8650{t:04d}"})
        area.villages[code] = []
        for v in range(villages_per_township):
            vname = VILLAGES[v % len(VILLAGES)] if t == 0 else f"{VILLAGES[v % len(VILLAGES)][:-1]}{t + 1}村"
            vcode = f"{code[:9]}{201 + v:03d}"
            area.villages[code].append(vcode)
            rows.append({"code": vcode, "name": vname, "level": Level.VILLAGE, "parent_code": code,
                         "office_name": f"{vname}村民委员会", "contact_name": "村扶贫专干",
                         "contact_phone": f"0731-8651{t:02d}{v:02d}"})
    defaults = {"doc_prefix": "", "contact_name": "", "contact_phone": ""}
    session.execute(insert(Region.__table__), [{**defaults, **r} for r in rows])  # type: ignore[attr-defined]
    return area


def build_actors(session: Session, area: Area, rng: random.Random) -> None:
    """One named person per role and region, plus the system actor that sweeps use."""
    people = People(rng)
    rows = [{"name": SYSTEM_NAME, "role": Role.SYSTEM, "region_code": PROVINCE[0]}]
    rows += [{"name": people.name(unique=True), "role": r, "region_code": area.county_code}
             for r in (Role.COUNTY_RECHECK_TEAM, Role.COUNTY_GOVERNMENT)]
    for township, villages in area.villages.items():
        rows += [{"name": people.name(unique=True), "role": r, "region_code": township}
                 for r in (Role.TOWNSHIP_CHECK_TEAM, Role.TOWNSHIP_GOVERNMENT)]
        for village in villages:
            rows += [{"name": people.name(unique=True), "role": r, "region_code": village}
                     for r in (Role.GROUP_LEADER, Role.VILLAGE_COMMITTEE)]
    session.execute(insert(Actor.__table__), rows)  # type: ignore[attr-defined]


def _income(rng: random.Random, members: int, year: int) -> dict[str, object]:
    """Components whose per-capita net income lies comfortably above the exit line."""
    per_capita = rng.randrange(3800, 9000)
    net = per_capita * members
    operating = int(net * rng.uniform(0.1, 0.3))
    transfer = int(net * rng.uniform(0.05, 0.15))
    property_income = int(net * rng.uniform(0.0, 0.05))
    expenses = int(operating * rng.uniform(0.1, 0.4))
    wages = net - operating - transfer - property_income + expenses
    return {"year": year, "wages": Decimal(wages), "operating": Decimal(operating),
            "property_income": Decimal(property_income), "transfer": Decimal(transfer),
            "expenses": Decimal(expenses)}


def _relatives(rng: random.Random, size: int, head_year: int) -> list[tuple[str, bool, int, int]]:
    """The members after the head and spouse: (generation, female, earliest and latest birth year).

    Children are born 20-40 years after the head, grandchildren 42 or more, parents 20-40 years before
    (and only while plausibly alive); a household has at most one father and one mother, born near each other.
    """
    child = (head_year + 20, min(head_year + 40, LAST_BORN))
    grandchild = (head_year + 42, min(head_year + 65, LAST_BORN))
    low, high = max(head_year - 40, OLDEST_BORN), head_year - 20
    parents_born = rng.randrange(low, high) if low < high else 0
    parent = (max(low, parents_born - 3), min(high, parents_born + 4))
    found: list[tuple[str, bool, int, int]] = []
    parents: list[bool] = []
    for _ in range(size):
        kinds = [("child", child, 6)]
        if grandchild[0] < grandchild[1]:
            kinds.append(("grandchild", grandchild, 3))
        if parents_born and len(parents) < 2:
            kinds.append(("parent", parent, 1))
        kind, (first, last), _weight = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
        female = (not parents[0] if parents else rng.random() < 0.5) if kind == "parent" else rng.random() < 0.5
        if kind == "parent":
            parents.append(female)
        found.append((kind, female, first, last))
    return found


def _household_members(people: People, rng: random.Random, size: int) -> Iterator[dict[str, object]]:
    """A plausible family: the head (mostly a man), the spouse of the other sex, then parents, children and
    grandchildren, eldest first, whose relation agrees with their sex and whose ages fit their generation."""
    surname = rng.choice(SURNAMES)
    head_female = rng.random() >= MALE_HEADS
    head_born = people.birth(*HEADS_BORN)
    family: list[tuple[str, str, bool, date]] = [("户主", surname, head_female, head_born)]
    line = surname  # the children's surname: the father's
    if size >= 2:
        spouse_surname = rng.choice(SURNAMES)
        family.append(("配偶", spouse_surname, not head_female,
                       people.birth(head_born.year - 4, head_born.year + 5)))
        if head_female:
            line = spouse_surname
    relatives = []
    for kind, female, low, high in _relatives(rng, size - len(family), head_born.year):
        relation = KIN[kind][female]
        own = surname if relation == "父亲" else rng.choice(SURNAMES) if relation == "母亲" else line
        relatives.append((relation, own, female, people.birth(low, high)))
    generation = {"父亲": 0, "母亲": 0, "子": 1, "女": 1, "孙子": 2, "孙女": 2}
    family += sorted(relatives, key=lambda r: (generation[r[0]], r[3]))
    names: set[str] = set()
    for index, (relation, own, female, born) in enumerate(family):
        name = people.given(own, female)
        while name in names:  # no two members of a household share a name
            name = people.given(own, female)
        names.add(name)
        yield {"name": name, "relation": relation, "sex": "女" if female else "男",
               "resident_id": people.resident_id(born, female), "resident": True,
               "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if index == 0 else ""}


def build_households(session: Session, area: Area, *, households: int, people_total: int | None, year: int,
                     rng: random.Random) -> None:
    """Registered poor households spread over the villages, with members and one year's income."""
    villages = [v for t in area.townships for v in area.villages[t]]
    per_village = _split(households, len(villages), rng)
    sizes = _split(people_total, households, rng) if people_total else [rng.choice((1, 2, 3, 3, 4, 5))
                                                                         for _ in range(households)]
    people = People(rng)
    rows, members, serial = [], [], 0
    for village, count in zip(villages, per_village, strict=True):
        groups = max(1, count // 4)
        for i in range(count):
            size = sizes[serial]
            serial += 1
            family = list(_household_members(people, rng, size))
            rows.append({"number": f"{village}{i + 1:04d}", "village_code": village,
                         "group_name": f"{(i % groups) + 1}组", "head_name": family[0]["name"],
                         "phone": family[0]["phone"], "registered_poor": True})
            members.append(family)
    session.execute(insert(Household.__table__), rows)  # type: ignore[attr-defined]
    ids = dict(session.execute(select(Household.number, Household.id)).tuples().all())  # type: ignore[call-overload]
    member_rows, income_rows = [], []
    for row, family in zip(rows, members, strict=True):
        hid = ids[row["number"]]
        area.household_ids.append(hid)
        member_rows += [{**m, "household_id": hid} for m in family]
        income_rows.append({**_income(rng, len(family), year), "household_id": hid})
    session.execute(insert(Member.__table__), member_rows)  # type: ignore[attr-defined]
    session.execute(insert(Income.__table__), income_rows)  # type: ignore[attr-defined]
    area.people = len(member_rows)


def build_area(session: Session, *, townships: int, villages_per_township: int, households: int,
               people: int | None, year: int, seed: int = 2026) -> Area:
    """Regions, offices, actors and households in one go (the caller commits)."""
    rng = random.Random(seed)
    area = build_regions(session, townships=townships, villages_per_township=villages_per_township)
    build_actors(session, area, rng)
    build_households(session, area, households=households, people_total=people, year=year, rng=rng)
    return area
