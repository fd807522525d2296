"""Statistical division codes: levels, prefixes and containment."""

from __future__ import annotations

import pytest

from models.core.regions import Level, code_prefix, contains


@pytest.mark.parametrize(("code", "prefix"), [
    ("430121101210", "430121101210"),  # a village ending in 0 keeps its own digits
    ("430121110000", "430121110"),  # township 110, not townships 111-119
    ("430121000000", "430121"),
    ("430000000000", "43"),
    ("4301211", "4301211"),  # already a prefix
])
def test_a_code_is_read_down_to_its_level(code, prefix):
    assert code_prefix(code) == prefix


def test_a_township_contains_its_villages_only():
    assert contains("430121101000", Level.TOWNSHIP, "430121101205")
    assert not contains("430121101000", Level.TOWNSHIP, "430121102205")
