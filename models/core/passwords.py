"""Password hashes of dashboard logins (argon2): a new password hashed, a given one checked against its hash."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


@cache
def _unknown_hash() -> str:
    """Checked against when a login does not exist, so an unknown login costs the same work as a wrong password;
    made on first use, so importing this module hashes nothing."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The argon2 hash stored for a password (salted: the same password hashes differently each time)."""
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password is the one hashed; None (no such login) checks against a random hash, in the same time."""
    try:
        return _hasher.verify(password_hash or _unknown_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
