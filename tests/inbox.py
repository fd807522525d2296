"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and the settings that send digests to it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from models.core.settings import get_settings

TO = "fupin@shifan.example.cn"


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for _, m in self.received]

    def of(self, office: str) -> tuple[list[str], EmailMessage]:
        return next((to, m) for to, m in self.received if f"】{office} " in str(m["Subject"]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server for the test, and the settings that send digests to it."""
    handler = Inbox()
    port = handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in (("TUOPIN_SMTP_HOST", "127.0.0.1"), ("TUOPIN_SMTP_PORT", str(port)),
                        ("TUOPIN_SMTP_SENDER", "tuopin@county.example.cn"), ("TUOPIN_DIGEST_TO", TO)):
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield handler
    controller.stop()
    get_settings.cache_clear()
