"""Fixtures of the task tests: the SMTP server the digest task mails (tests/inbox.py)."""

from tests.inbox import inbox  # noqa: F401 (a fixture)
