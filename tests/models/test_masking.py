"""The one masking rule of public documents: the policy's numbers, ID check digit X, empty and short values."""

from __future__ import annotations

import pytest

from models.documents.masking import mask_id, mask_phone
from models.policy.loading import Masking

DEFAULT = Masking(6, 4, 3, 4)


def test_resident_id_keeps_first_6_and_last_4():
    assert mask_id("430421198001011234", DEFAULT) == "430421********1234"


def test_resident_id_with_check_digit_x_keeps_the_x_upper_case():
    assert mask_id("43042119800101123X", DEFAULT) == "430421********123X"
    assert mask_id("43042119800101123x", DEFAULT) == "430421********123X"


def test_phone_keeps_first_3_and_last_4():
    assert mask_phone("13812345678", DEFAULT) == "138****5678"


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_input_gives_empty_output(value):
    assert mask_id(value, DEFAULT) == ""
    assert mask_phone(value, DEFAULT) == ""


def test_surrounding_spaces_are_not_counted():
    assert mask_phone(" 13812345678 ", DEFAULT) == "138****5678"


@pytest.mark.parametrize("value", ["1", "1234567"])
def test_a_phone_too_short_to_hide_anything_is_hidden_whole(value):
    assert mask_phone(value, DEFAULT) == "*" * len(value)


@pytest.mark.parametrize("value", ["43", "4304211234"])
def test_an_id_too_short_to_hide_anything_is_hidden_whole(value):
    assert mask_id(value, DEFAULT) == "*" * len(value)


def test_one_hidden_character_is_enough_to_keep_the_ends():
    assert mask_phone("123456789", DEFAULT) == "123**6789"


def test_the_numbers_come_from_the_policy():
    rule = Masking(id_keep_start=3, id_keep_end=2, phone_keep_start=2, phone_keep_end=0)
    assert mask_id("43042119800101123X", rule) == "430*************3X"
    assert mask_phone("13812345678", rule) == "13*********"


def test_the_hunan_policy_file_holds_the_documented_rule(monkeypatch):
    from models.core.settings import get_settings
    from models.policy.loading import _load, policy_for

    monkeypatch.delenv("TUOPIN_POLICY_DIR", raising=False)
    get_settings.cache_clear()
    _load.cache_clear()
    try:
        assert policy_for("430121101201", 2026).masking == DEFAULT
    finally:
        get_settings.cache_clear()
        _load.cache_clear()
