"""The edge household standard as policy data and as a verdict, read at its bounds (DOMAIN §3, seed 002)."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

from models.chains.edge_identify.policy import EdgeHousehold
from models.chains.edge_identify.standards import band, judge_edge
from models.core.errors import InvalidInput
from models.core.settings import get_settings
from models.policy.loading import Comparison, Threshold, parse_policy

STANDARD = EdgeHousehold(lower=Threshold(Decimal(3326), Comparison.gt), upper=Threshold(Decimal(4000), Comparison.lt),
                         excluded=("minimum_allowance", "destitute", "registered_poor"))


def raw_policy() -> dict[str, object]:
    with (get_settings().policy_dir / "43" / "2026.toml").open("rb") as handle:
        return tomllib.load(handle)


def test_the_hunan_policy_reads_above_the_poverty_line_and_below_4000():
    standard = parse_policy(raw_policy(), "43", 2026).edge_household
    assert standard == STANDARD
    assert band(standard) == "超过3326元且低于4000元"


def test_the_lower_bound_may_be_set_apart_from_the_poverty_line():
    raw = raw_policy()
    raw["edge_household"] = {"upper": {"value": 4000, "comparison": "lt"}, "lower": {"value": 3500, "comparison": "ge"}}
    standard = parse_policy(raw, "43", 2026).edge_household
    assert standard.lower == Threshold(Decimal(3500), Comparison.ge)
    assert standard.excluded == ("minimum_allowance", "destitute")


def test_a_policy_without_the_section_sets_no_standard():
    raw = raw_policy()
    del raw["edge_household"]
    assert parse_policy(raw, "43", 2026).edge_household is None


def test_an_unknown_excluded_flag_is_refused_with_the_choices():
    raw = raw_policy()
    raw["edge_household"] = {"upper": {"value": 4000, "comparison": "lt"}, "excluded": ["disabled"]}
    with pytest.raises(InvalidInput) as error:
        parse_policy(raw, "43", 2026)
    assert str(error.value) == ("政策数据文件43/2026.toml：“edge_household.excluded”的值“disabled”不符合规则："
                                "只能是minimum_allowance（低保户）、destitute（特困人员）、registered_poor（建档立卡贫困户）之一")


@pytest.mark.parametrize(("per_capita", "reasons"), [
    (Decimal("3326"), ("人均纯收入3326.00元，不符合下限“超过3326元”（建档立卡贫困户标准）",)),
    (Decimal("3326.001"), ()),
    (Decimal("3999.999"), ()),
    (Decimal("4000"), ("人均纯收入4000.00元，不符合上限“低于4000元”",)),
    (Decimal("2000"), ("人均纯收入2000.00元，不符合下限“超过3326元”（建档立卡贫困户标准）",)),
])
def test_the_band_excludes_both_of_its_bounds(per_capita, reasons):
    assert judge_edge(standard=STANDARD, flags={}, per_capita=per_capita) == reasons


def test_every_excluding_status_is_named_before_the_income():
    reasons = judge_edge(standard=STANDARD, flags={"minimum_allowance": True, "destitute": True},
                         per_capita=Decimal("3600"))
    assert reasons == ("属低保户，按规定暂不列入贫困边缘户", "属特困人员，按规定暂不列入贫困边缘户")


def test_a_status_the_policy_does_not_exclude_is_not_a_reason():
    standard = EdgeHousehold(STANDARD.lower, STANDARD.upper, excluded=("destitute",))
    assert judge_edge(standard=standard, flags={"minimum_allowance": True}, per_capita=Decimal("3600")) == ()
