"""The sweep's overdue task (`.fn()`, no Prefect run): every open, undecided visit of the scope past its due moment
flagged once, with an audit event; a visit not yet due and another scope's left alone."""

from __future__ import annotations

from datetime import timedelta

from prefect.logging import disable_run_logger
from sqlalchemy import func, select
from sqlmodel import col

from models.core.audit import AuditEvent
from models.core.case import Case, StageRecord
from models.core.clock import parse
from synthetic.clerks import Clerks
from tasks.overdue import flag_overdue_stages
from tests.walk import CHAIN, open_all

T0 = parse("2026-10-08 09:00")


def test_visits_past_their_due_moment_are_flagged_once_in_the_scope_alone(world):
    session = world.session
    ids = open_all(world, T0)  # 村民小组推荐, 7 days: due 2026-10-15 24:00
    mine = world.township[:9]
    in_mine = [i for i in ids if session.get_one(Case, i).village_code.startswith(mine)]
    # Two move on the next day: their 村委会评议 (7 days from 10-09) is due 10-16 24:00, not yet at 09:00.
    Clerks(session, CHAIN, 2026, "").decide("GROUP_RECOMMEND", T0 + timedelta(days=1), in_mine[:2])
    with disable_run_logger():
        assert flag_overdue_stages.fn(mine, "2026-10-15 23:59") == 0
        assert flag_overdue_stages.fn(mine, "2026-10-16 09:00") == len(in_mine) - 2
        assert flag_overdue_stages.fn(mine, "2026-10-16 10:00") == 0  # each visit once
    session.rollback()
    flagged = set(session.scalars(select(col(StageRecord.case_id)).where(col(StageRecord.overdue_at).is_not(None))))
    assert flagged == set(in_mine[2:])
    events = session.scalar(select(func.count()).select_from(AuditEvent)
                            .where(col(AuditEvent.action) == "STAGE.OVERDUE"))
    assert events == len(flagged)
