"""Tasks of the publicity stages: post notices, close due windows, move the cases their windows released."""

from __future__ import annotations

from datetime import datetime

from prefect import get_run_logger, task

from models import machine
from models.windows import close_due_windows
from tasks.context import moment, work


@task(retries=2, retry_delay_seconds=1)
def close_windows(scope: str, now: str | datetime | None = None) -> int:
    """Close every window in the scope whose last day has passed."""
    with work() as (session, system):
        closed = close_due_windows(session=session, now=moment(now), actor=system, scope_prefix=scope)
    get_run_logger().info("closed %d windows in %s", len(closed), scope or "all regions")
    return len(closed)


@task(retries=2, retry_delay_seconds=1)
def post_notices(chain: str, stage: str, scope: str, year: int, now: str | datetime | None = None) -> int:
    """Open a window and render its notice for each region with cases ready to be posted."""
    with work() as (session, system):
        posted = machine.post_notices(session=session, chain=chain, stage=stage, scope=scope, year=year,
                                      now=moment(now), actor=system)
    get_run_logger().info("%s: posted %d cases", stage, posted)
    return posted


@task(retries=2, retry_delay_seconds=1)
def advance_released(chain: str, stage: str, scope: str, year: int | None, now: str | datetime | None = None) -> int:
    """Move on every case of a window stage whose window has closed with no open objection."""
    with work() as (session, system):
        result = machine.release(session=session, chain=chain, stage=stage, scope=scope, year=year,
                                 now=moment(now), actor=system)
    get_run_logger().info("%s: %d moved on, %d still held", stage, len(result.moved), len(result.refused))
    return len(result.moved)
