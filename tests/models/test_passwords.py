"""Password hashes of dashboard logins: salted, checked, and a login that does not exist never matches."""

from __future__ import annotations

from models.core.passwords import hash_password, password_matches


def test_a_password_matches_its_hash_and_nothing_else():
    stored = hash_password("mima-12345")
    assert stored.startswith("$argon2") and "mima-12345" not in stored
    assert password_matches(stored, "mima-12345")
    assert not password_matches(stored, "mima-12346")
    assert not password_matches(stored, "")


def test_the_same_password_hashes_differently_each_time():
    first, second = hash_password("mima-12345"), hash_password("mima-12345")
    assert first != second
    assert password_matches(first, "mima-12345") and password_matches(second, "mima-12345")


def test_no_login_and_a_broken_hash_never_match():
    assert not password_matches(None, "mima-12345")
    assert not password_matches(None, "")
    assert not password_matches("not-a-hash", "not-a-hash")
