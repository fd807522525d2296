"""Where a township's cases stand, stage by stage (the table each chain run publishes): waiting on a person, in an
open window, overdue, and done, with finished and rejected cases counted where they belong."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.chains.household_exit.stages import HOUSEHOLD_EXIT
from models.core.actors import system_actor
from models.core.case import Case
from models.door import machine
from models.door.engine import Move
from models.door.windows import close_due_windows
from synthetic.clerks import Clerks
from tasks.stages import time_limit
from tasks.standing import Standing, standing_table, standings
from tests.flows.township import YEAR, build_township
from tests.tasks.test_stages import village_sizes

CHAIN = HOUSEHOLD_EXIT.code
pytestmark = pytest.mark.usefixtures("html_only")


def table(session, code: str, now) -> dict[str, tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    session.rollback()
    rows = standings(session, chain=HOUSEHOLD_EXIT, year=YEAR, scope=code[:9], now=now)
    assert [r.stage for r in rows] == [s.code for s in HOUSEHOLD_EXIT.stages]
    return {r.stage: (r.waiting, r.in_window, r.overdue, r.done) for r in rows}


def test_each_stage_counts_its_cases_and_those_past_it(session):
    code, now = build_township(session)
    v1, v2, v3, v4, v5 = village_sizes(session, code)
    everyone = v1 + v2 + v3 + v4 + v5
    assert table(session, code, now) == {
        "GROUP_RECOMMEND": (0, 0, 0, everyone), "COMMITTEE_REVIEW": (0, 0, 0, everyone),
        "CHECK_REQUEST": (0, 0, 0, everyone), "HOME_CHECK": (0, 0, 0, everyone),
        # village 4 in its (ended, not yet closed) window, village 5 not posted; both reached the stage in the
        # round's first days, more than its 10 days ago
        "PUBLICITY": (v5, v4, v4 + v5, v1 + v2 + v3),
        "COUNTY_REQUEST": (0, 0, 0, v1 + v2 + v3),
        "COUNTY_RECHECK": (v2 + v3, 0, 0, v1),
        "COUNTY_APPROVAL": (v1, 0, 0, 0),  # approved, its announcement not yet posted
    }
    assert table(session, "430121102000", now) == {s.code: (0, 0, 0, 0) for s in HOUSEHOLD_EXIT.stages}

    # One household of village 2 refused at the re-check; village 1 announced, and out of the chain when it ends.
    refused = session.scalars(select(col(Case.id)).where(col(Case.stage) == "COUNTY_RECHECK")
                              .order_by(col(Case.id))).first()
    assert refused is not None
    Clerks(session, CHAIN, YEAR, "").decide("COUNTY_RECHECK", now, [refused], move=Move.REJECT, reason="收入不实")
    system = system_actor(session)
    machine.post_notices(session=session, chain=CHAIN, stage="COUNTY_APPROVAL", scope=code[:9], year=YEAR, now=now,
                         actor=system)
    session.commit()
    assert table(session, code, now)["COUNTY_APPROVAL"] == (0, v1, 0, 0)
    later = now + timedelta(days=8)
    close_due_windows(session=session, now=later, actor=system, scope_prefix=code[:9])
    machine.release(session=session, chain=CHAIN, stage="COUNTY_APPROVAL", scope=code[:9], year=YEAR, now=later,
                    actor=system)
    session.commit()
    after = table(session, code, now)
    assert after["HOME_CHECK"] == (0, 0, 0, everyone)  # the refused household had passed it; village 1 finished
    assert after["COUNTY_RECHECK"] == (v2 + v3 - 1, 0, 0, v1)  # the refused one is neither waiting nor done
    assert after["COUNTY_APPROVAL"] == (0, 0, 0, v1)


def test_the_table_reads_in_chinese_with_each_stages_time_limit():
    rows = [Standing("HOME_CHECK", "乡镇入户核查", 2, 0, 1, 7), Standing("PUBLICITY", "村、乡镇公示", 0, 3, 0, 4)]
    limits = {s: time_limit(s, "430121000000", YEAR) for s in ("HOME_CHECK", "PUBLICITY")}
    assert standing_table(rows, limits) == [
        {"环节": "HOME_CHECK 乡镇入户核查", "时限": "15天", "待办理": 2, "公示中": 0, "超期": 1, "已完成": 7},
        {"环节": "PUBLICITY 村、乡镇公示", "时限": "10天", "待办理": 0, "公示中": 3, "超期": 0, "已完成": 4},
    ]
