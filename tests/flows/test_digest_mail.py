"""The sweep e-mails each office's due-soon digest to a real SMTP server (the `inbox` fixture, tests/inbox.py), in
Chinese, and sends nothing when nothing is due or when e-mail is off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from models.core.case import Case
from models.core.household import Household
from models.core.settings import get_settings
from synthetic.clerks import Clerks
from tests.inbox import TO, free_port
from tests.walk import CHAIN, open_all

pytestmark = pytest.mark.usefixtures("html_only")
T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def run_sweep(now: str) -> dict[str, int]:
    from flows.runtime import run_sweep as sweep

    return sweep(now)


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_the_sweep_mails_each_office_its_overdue_and_due_soon_cases(prefect_api, world, inbox):
    opened = open_all(world, T0)  # 村民小组推荐 due by 2026-10-15 24:00
    t1, t2 = world.area.townships
    mine = [i for i in opened if world.session.get(Case, i).village_code[:9] == t1[:9]]
    first_village = [i for i in mine if world.session.get(Case, i).village_code == world.villages[0]]
    Clerks(world.session, CHAIN, 2026, "").decide("GROUP_RECOMMEND", T0 + timedelta(days=2), first_village)
    # On 10-16 the rest of 村民小组推荐 is a day overdue; 村委会评议 (opened 10-10) is due by 10-17 24:00.

    done = run_sweep("2026-10-16 09:00")
    assert done["digests_sent"] == 3 and done["overdue_flagged"] == len(opened) - len(first_village)
    assert len(inbox.received) == 3 and all(to == [TO] for to, _ in inbox.received)
    late = len(mine) - len(first_village)
    recipients, mail = inbox.of("示范镇")
    assert mail["Subject"] == f"【到期提醒】示范镇 2026-10-16：超期{late}件，3日内到期{len(first_village)}件"
    assert mail["To"] == TO and mail["From"] == "tuopin@county.example.cn"
    text = text_of(mail)
    assert "【贫困户脱贫退出 · 村民小组推荐】超期" in text and "【贫困户脱贫退出 · 村委会评议】超期0件" in text
    assert text.index("村民小组推荐") < text.index("村委会评议")  # overdue first
    for case_id in mine:
        head = world.session.get(Household, world.session.get(Case, case_id).household_id).head_name
        assert f"案件{case_id} " in text and head in text
    assert "已超期1天" in text and "剩余2天" in text
    assert not any(f"案件{i} " in text for i in opened if i not in mine)
    html = mail.get_body(("html",))
    assert html is not None and "村民小组推荐" in str(html.get_content())
    assert any(s.startswith("【到期提醒】长沙县 2026-10-16：超期") for s in inbox.subjects())


def test_no_mail_when_nothing_is_due(prefect_api, world, inbox):
    open_all(world, T0)
    done = run_sweep("2026-10-08 12:00")  # due 10-15 24:00: more than 3 days away
    assert done["digests_sent"] == 0 and inbox.received == []


def test_no_mail_when_e_mail_is_off(prefect_api, world, inbox, monkeypatch):
    open_all(world, T0)
    monkeypatch.delenv("TUOPIN_DIGEST_TO")
    get_settings.cache_clear()
    assert run_sweep("2026-10-16 09:00")["digests_sent"] == 0 and inbox.received == []


def test_a_second_sweep_the_same_day_mails_no_office_twice_and_the_next_day_mails_again(prefect_api, world, inbox):
    open_all(world, T0)
    first = run_sweep("2026-10-16 09:00")["digests_sent"]
    assert first > 0 and len(inbox.received) == first
    assert run_sweep("2026-10-16 23:30")["digests_sent"] == 0 and len(inbox.received) == first
    assert run_sweep("2026-10-17 09:00")["digests_sent"] == first and len(inbox.received) == 2 * first


def test_a_mail_that_could_not_be_sent_goes_out_with_the_next_sweep(prefect_api, world, inbox, monkeypatch):
    from sqlalchemy import func, select

    from models.digest.log import DigestSent

    open_all(world, T0)
    monkeypatch.setenv("TUOPIN_SMTP_PORT", str(free_port()))  # nobody listens there
    get_settings.cache_clear()
    assert run_sweep("2026-10-16 09:00")["digests_sent"] == 0 and inbox.received == []
    world.session.rollback()
    assert world.session.scalar(select(func.count()).select_from(DigestSent)) == 0
    monkeypatch.setenv("TUOPIN_SMTP_PORT", str(inbox.port))
    get_settings.cache_clear()
    assert run_sweep("2026-10-16 10:00")["digests_sent"] == len(inbox.received) > 0
