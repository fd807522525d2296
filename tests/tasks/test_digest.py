"""The sweep's digest task (`.fn()`, no Prefect run) against a real SMTP server: one mail per office with something
due, none twice the same office day, none when e-mail is off, and an office whose mail fails does not stop the rest."""

from __future__ import annotations

from datetime import timedelta

from prefect.logging import disable_run_logger

from models.core.clock import parse
from models.core.settings import get_settings
from tasks.digest import send_digests
from tests.inbox import TO, free_port
from tests.walk import open_all

T0 = parse("2026-10-08 09:00")  # 村民小组推荐 due 2026-10-15 24:00


def test_each_office_with_something_due_is_mailed_once_an_office_day(world, inbox):
    open_all(world, T0)
    with disable_run_logger():
        assert send_digests.fn("", "2026-10-08 12:00") == 0  # due in 7 days: nothing within 3
        sent = send_digests.fn("", "2026-10-14 09:00")
        assert sent == len(inbox.received) == 3  # the two townships and their county
        assert send_digests.fn("", "2026-10-14 18:00") == 0
        assert send_digests.fn(world.township[:9], "2026-10-15 09:00") == 1  # the next day, one township's
    assert all(to == [TO] for to, _ in inbox.received)
    assert inbox.of("示范镇")[1]["Subject"].startswith("【到期提醒】示范镇 2026-10-14：")


def test_nothing_is_sent_when_e_mail_is_off(world, inbox, monkeypatch):
    open_all(world, T0)
    monkeypatch.delenv("TUOPIN_SMTP_HOST")
    get_settings.cache_clear()
    with disable_run_logger():
        assert send_digests.fn("", (T0 + timedelta(days=8)).isoformat()) == 0
    assert inbox.received == []


def test_an_office_whose_mail_fails_is_counted_out_and_mailed_by_the_next_run(world, inbox, monkeypatch):
    open_all(world, T0)
    monkeypatch.setenv("TUOPIN_SMTP_PORT", str(free_port()))  # nobody listens there
    get_settings.cache_clear()
    with disable_run_logger():
        assert send_digests.fn("", "2026-10-14 09:00") == 0
        monkeypatch.setenv("TUOPIN_SMTP_PORT", str(inbox.port))
        get_settings.cache_clear()
        assert send_digests.fn("", "2026-10-14 10:00") == len(inbox.received) == 3
