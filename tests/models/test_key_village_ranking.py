"""The ranking by degree of relative poverty and the application condition (seed 004), without a database."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from models.chains.key_village.figures import (
    Figures,
    RankInput,
    check_figures,
    key_village_policy,
    rank_villages,
    shortfalls,
)
from models.core.errors import InvalidInput


def item(code: str, households: int, poor: int, income: str, collective: str) -> RankInput:
    return RankInput(int(code[-3:]), code, households, poor, Decimal(income), Decimal(collective))


def order(items: list[RankInput]) -> list[str]:
    return [r.item.village_code for r in rank_villages(items)]


def test_lower_per_capita_income_ranks_first():
    assert order([item("430121101201", 100, 10, "2600", "5000"),
                  item("430121101202", 100, 10, "2599.99", "29000")]) == ["430121101202", "430121101201"]


def test_at_equal_income_the_higher_share_of_relative_poor_households_ranks_first():
    # 21 of 100 (21%) before 40 of 200 (20%), whatever the counts.
    assert order([item("430121101201", 200, 40, "2600", "1000"),
                  item("430121101202", 100, 21, "2600", "29000")]) == ["430121101202", "430121101201"]


def test_shares_are_compared_exactly():
    # 1/3 and 33.33% print alike but are not equal: 1/3 is higher, so it ranks first.
    assert order([item("430121101201", 10000, 3333, "2600", "100"),
                  item("430121101202", 3, 1, "2600", "29000")]) == ["430121101202", "430121101201"]


def test_at_equal_income_and_share_the_lower_collective_income_ranks_first():
    assert order([item("430121101201", 100, 20, "2600", "12000.01"),
                  item("430121101202", 300, 60, "2600", "12000")]) == ["430121101202", "430121101201"]


def test_villages_equal_in_every_figure_are_placed_by_village_code_and_marked_tied():
    a, b = item("430121102203", 300, 60, "2600", "12000"), item("430121101202", 250, 50, "2600", "12000")
    ranked = rank_villages([a, b])
    assert [(r.place, r.item.village_code, r.tied_with_previous) for r in ranked] == [
        (1, "430121101202", False), (2, "430121102203", True)]


def test_re_ranking_any_order_of_the_same_inputs_gives_the_same_places():
    items = [item(f"430121101{200 + n:03d}", 100 + n % 3, 20 + n % 2, str(2500 + 50 * (n % 4)), str(9000 + n % 2))
             for n in range(1, 13)]
    expected = order(items)
    rng = random.Random(4)
    for _ in range(20):
        shuffled = items[:]
        rng.shuffle(shuffled)
        assert order(shuffled) == expected
    assert [r.place for r in rank_villages(items)] == list(range(1, 13))


def test_collective_income_must_be_below_30000_yuan():
    standard = key_village_policy("430121101201", 2026)
    assert shortfalls(Decimal("29999.99"), standard) == []
    assert shortfalls(Decimal("30000"), standard) == ["村集体经济年收入30000.00元，不符合“低于30000元”"]


@pytest.mark.parametrize(("figures", "field"), [
    (Figures(0, 0, Decimal("1"), Decimal("1"), "镇核实"), "农村总户数"),
    (Figures(10, 11, Decimal("1"), Decimal("1"), "镇核实"), "相对贫困户数"),
    (Figures(10, 1, Decimal("-1"), Decimal("1"), "镇核实"), "农民人均纯收入"),
    (Figures(10, 1, Decimal("1"), Decimal("-0.01"), "镇核实"), "村集体经济年收入"),
    (Figures(10, 1, Decimal("1"), Decimal("1"), "  "), "数据来源"),
])
def test_bad_figures_are_refused_naming_the_field(figures, field):
    with pytest.raises(InvalidInput) as raised:
        check_figures(figures, "案件1")
    assert field in str(raised.value) and "案件1" in str(raised.value)
