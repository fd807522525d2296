"""Task of the sweep: flag stage visits past their deadline."""

from __future__ import annotations

from datetime import datetime

from prefect import get_run_logger, task

from models.door.overdue import flag_overdue
from tasks.context import moment, work


@task(retries=2, retry_delay_seconds=1)
def flag_overdue_stages(scope: str = "", now: str | datetime | None = None) -> int:
    """Flag every undecided stage visit in the scope whose due moment has passed."""
    with work() as (session, system):
        flagged = flag_overdue(session=session, now=moment(now), actor=system, scope_prefix=scope)
    get_run_logger().info("flagged %d overdue stages", flagged)
    return flagged
