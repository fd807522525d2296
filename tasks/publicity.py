"""Tasks of the publicity stages: post notices, close due windows, move the cases their windows released."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from prefect import get_run_logger, task

from models.chain import chain_named
from models.engine import Move, apply, open_case_rows
from models.regions import prefix
from models.windows import awaiting_window, close_due_windows, open_window
from tasks.context import moment, work
from tasks.documents import render_window_document


@task(retries=2, retry_delay_seconds=1)
def close_windows(scope: str, now: str | datetime | None = None) -> int:
    """Close every window in the scope whose last day has passed."""
    with work() as (session, system):
        closed = close_due_windows(session=session, now=moment(now), actor=system, scope_prefix=scope)
    get_run_logger().info("closed %d windows in %s", len(closed), scope or "all regions")
    return len(closed)


@task(retries=2, retry_delay_seconds=1)
def post_notices(chain: str, stage: str, scope: str, year: int, now: str | datetime | None = None) -> int:
    """Open one window per region of the stage's window level for the cases ready to be posted."""
    when = moment(now)
    the_stage = chain_named(chain).stage(stage)
    assert the_stage.window_scope is not None
    posted = 0
    with work() as (session, system):
        ready = awaiting_window(session, open_case_rows(session, chain, year, stage, scope))
        groups: dict[str, list[int]] = defaultdict(list)
        for row in ready:
            groups[prefix(row.village_code, the_stage.window_scope).ljust(12, "0")].append(row.id)
        for region_code, case_ids in sorted(groups.items()):
            window = open_window(session=session, scope_code=region_code, case_ids=case_ids, now=when, actor=system)
            assert window.id is not None
            render_window_document(session, chain=chain, stage=stage, window_id=window.id, now=when)
            posted += len(case_ids)
    get_run_logger().info("posted %d cases of %s in %d notices", posted, stage, len(groups))
    return posted


@task(retries=2, retry_delay_seconds=1)
def advance_released(chain: str, stage: str, scope: str, year: int | None, now: str | datetime | None = None) -> int:
    """Move on every case of a window stage whose window has closed with no open objection."""
    when = moment(now)
    with work() as (session, system):
        ids = [r.id for r in open_case_rows(session, chain, year, stage, scope)]
        result = apply(session=session, chain=chain, stage=stage, case_ids=ids, move=Move.ADVANCE, actor=system,
                       now=when, strict=False)
    get_run_logger().info("%s: %d moved on, %d still held", stage, len(result.moved), len(result.refused))
    return len(result.moved)
