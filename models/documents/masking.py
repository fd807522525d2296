"""The one masking rule of public documents: resident IDs and phone numbers keep only their ends (DOCUMENTS.md)."""

from __future__ import annotations

from models.policy.loading import Masking


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    """Keep `keep_start` leading and `keep_end` trailing characters, an asterisk for each one between.

    A value too short to hide anything between its kept ends is hidden whole: a public document must
    never show more than the rule allows.
    """
    value = value.strip()
    if not value:
        return ""
    hidden = len(value) - keep_start - keep_end
    if hidden <= 0:
        return "*" * len(value)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_id(value: str, rule: Masking) -> str:
    """A resident ID as a public document may print it: 430421********123X under the default rule."""
    return _mask(value.upper(), rule.id_keep_start, rule.id_keep_end)


def mask_phone(value: str, rule: Masking) -> str:
    """A phone number as a public document may print it: 138****5678 under the default rule."""
    return _mask(value, rule.phone_keep_start, rule.phone_keep_end)
