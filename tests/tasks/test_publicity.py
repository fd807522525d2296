"""The sweep's publicity tasks (`.fn()`, no Prefect run): due windows closed once, never early; the cases they
released moved on and counted by township and year."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from prefect.logging import disable_run_logger
from sqlalchemy import func, select
from sqlmodel import Session, col

from models.core.case import Case
from models.core.publicity import Window
from tasks.publicity import Released, close_windows, release_by_township
from tests.flows.township import YEAR, build_township
from tests.walk import CHAIN

pytestmark = pytest.mark.usefixtures("html_only")


@pytest.fixture
def township(session: Session) -> Iterator[tuple[str, datetime]]:
    """Village 4's notice window has ended; village 5 waits to be posted (tests/flows/township.py)."""
    with disable_run_logger():
        yield build_township(session)


def test_a_window_is_closed_once_its_last_day_has_passed_and_only_then(session, township):
    code, now = township
    session.rollback()
    ends = session.scalar(select(col(Window.ends_at)).where(col(Window.closed_at).is_(None)))
    assert ends is not None and ends <= now
    assert close_windows.fn(code[:9], (ends - timedelta(seconds=1)).isoformat()) == 0
    assert close_windows.fn("430121102", now.isoformat()) == 0  # another township's scope
    assert close_windows.fn(code[:9], now.isoformat()) == 1
    assert close_windows.fn(code[:9], now.isoformat()) == 0


def test_the_released_cases_move_on_counted_by_township_and_year(session, township):
    code, now = township
    assert release_by_township.fn(CHAIN, "PUBLICITY", code[:9], YEAR, now.isoformat()) == []  # window still open
    close_windows.fn(code[:9], now.isoformat())
    session.rollback()
    village_4 = sorted(set(session.scalars(select(col(Case.village_code)).where(col(Case.stage) == "PUBLICITY"))))[0]
    held = session.scalar(select(func.count()).select_from(Case).where(col(Case.village_code) == village_4))
    assert release_by_township.fn(CHAIN, "PUBLICITY", "", None, now.isoformat()) == [Released(code, YEAR, held)]
    assert release_by_township.fn(CHAIN, "PUBLICITY", "", None, now.isoformat()) == []
    session.rollback()
    stages = set(session.scalars(select(col(Case.stage)).where(col(Case.village_code) == village_4)))
    assert stages == {"COUNTY_REQUEST"}
