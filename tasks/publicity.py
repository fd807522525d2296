"""Tasks of the sweep over publicity windows: close the due windows, move on the cases they released."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from prefect import get_run_logger, task

from models.core.regions import Level, prefix
from models.door import machine
from models.door.cases import load_rows
from models.door.windows import close_due_windows
from tasks.context import moment, work


@task(retries=2, retry_delay_seconds=1)
def close_windows(scope: str, now: str | datetime | None = None) -> int:
    """Close every window in the scope whose last day has passed."""
    with work() as (session, system):
        closed = close_due_windows(session=session, now=moment(now), actor=system, scope_prefix=scope)
    get_run_logger().info("closed %d windows in %s", len(closed), scope or "all regions")
    return len(closed)


@dataclass(frozen=True)
class Released:
    """Cases of one township and year that a window stage let move on."""

    township: str
    year: int
    cases: int


@task(retries=2, retry_delay_seconds=1, task_run_name="release {chain} {stage}")
def release_by_township(chain: str, stage: str, scope: str, year: int | None,
                        now: str | datetime | None = None) -> list[Released]:
    """Move on the cases whose window closed with no open objection; what moved, by township and year."""
    with work() as (session, system):
        result = machine.release(session=session, chain=chain, stage=stage, scope=scope, year=year,
                                 now=moment(now), actor=system)
        rows = load_rows(session, result.moved).values()
    get_run_logger().info("%s: %d moved on, %d still held", stage, len(result.moved), len(result.refused))
    counts = Counter((prefix(r.village_code, Level.TOWNSHIP).ljust(12, "0"), r.year) for r in rows)
    return [Released(township, year, cases) for (township, year), cases in sorted(counts.items())]
