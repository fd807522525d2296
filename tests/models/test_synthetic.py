"""The synthetic households are plausible families: relation agrees with sex, the spouse is of the other sex,
generations are spaced as people's are, and every resident ID is valid with its sex digit matching."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from stdnum.cn import ric

from models.core.household import Household, Member
from synthetic.area import People, _household_members, build_area

MALE_ONLY = {"子", "孙子", "父亲"}
FEMALE_ONLY = {"女", "孙女", "母亲"}


def _born(resident_id: str) -> date:
    return date(int(resident_id[6:10]), int(resident_id[10:12]), int(resident_id[12:14]))


def _families(session) -> dict[int, list[Member]]:
    families: dict[int, list[Member]] = {}
    for member in session.scalars(select(Member).order_by(Member.id)):
        families.setdefault(member.household_id, []).append(member)
    return families


def test_every_member_agrees_with_their_sex_and_their_id(world):
    members = [m for family in _families(world.session).values() for m in family]
    assert len(members) == 72
    for m in members:
        assert ric.is_valid(m.resident_id), m.resident_id
        male = int(m.resident_id[16]) % 2 == 1
        assert m.sex == ("男" if male else "女"), (m.name, m.sex, m.resident_id)
        if m.relation in MALE_ONLY:
            assert m.sex == "男", (m.name, m.relation)
        if m.relation in FEMALE_ONLY:
            assert m.sex == "女", (m.name, m.relation)
    assert len({m.resident_id for m in members}) == len(members)


def test_each_household_has_one_head_and_a_spouse_of_the_other_sex(world):
    for family in _families(world.session).values():
        heads = [m for m in family if m.relation == "户主"]
        assert len(heads) == 1 and family[0] is heads[0]
        spouses = [m for m in family if m.relation == "配偶"]
        assert len(spouses) <= 1
        for spouse in spouses:
            assert spouse.sex != heads[0].sex
        household = world.session.get(Household, family[0].household_id)
        assert household.head_name == heads[0].name
        assert len({m.name for m in family}) == len(family)


def _sample(seed: int, households: int = 400) -> list[list[dict[str, object]]]:
    rng = random.Random(seed)
    people = People(rng)
    return [list(_household_members(people, rng, rng.choice((1, 2, 3, 4, 5, 6, 7)))) for _ in range(households)]


def test_generations_are_spaced_plausibly_and_heads_are_mostly_men():
    families = _sample(11)
    heads = Counter(family[0]["sex"] for family in families)
    assert heads["男"] > heads["女"] > 0  # mostly men, but not only
    relations: Counter[str] = Counter()
    for family in families:
        head = _born(str(family[0]["resident_id"]))
        parents = [m for m in family if m["relation"] in ("父亲", "母亲")]
        assert len({m["relation"] for m in parents}) == len(parents)  # at most one father and one mother
        for member in family:
            relations[str(member["relation"])] += 1
            gap = _born(str(member["resident_id"])).year - head.year
            female = member["sex"] == "女"
            assert ric.is_valid(str(member["resident_id"]))
            assert (int(str(member["resident_id"])[16]) % 2 == 0) == female
            if member["relation"] in ("子", "女"):
                assert 20 <= gap <= 40, member
            elif member["relation"] in ("孙子", "孙女"):
                assert gap >= 40, member
            elif member["relation"] in ("父亲", "母亲"):
                assert -40 <= gap <= -20, member
            elif member["relation"] == "配偶":
                assert abs(gap) <= 5 and member["sex"] != family[0]["sex"]
    assert set(relations) == {"户主", "配偶", "子", "女", "孙子", "孙女", "父亲", "母亲"}


def test_the_same_seed_gives_the_same_families_and_sizes_are_kept():
    assert _sample(5, 50) == _sample(5, 50)
    rng = random.Random(1)
    people = People(rng)
    for size in range(1, 9):
        assert len(list(_household_members(people, rng, size))) == size


def test_the_demo_sized_area_keeps_its_totals(session):
    area = build_area(session, townships=1, villages_per_township=13, households=116, people=333, year=2026)
    assert len(area.household_ids) == 116 and area.people == 333
    assert session.scalar(select(func.count()).select_from(Member)) == 333
    assert session.scalar(select(func.count()).select_from(Household)) == 116
