"""Task of a sampled stage: draw each village's spot-check sample from a stored seed."""

from __future__ import annotations

from datetime import datetime

from prefect import get_run_logger, task

from models.engine import open_case_rows
from models.sampling import draw_for_village
from tasks.context import moment, work


@task(retries=2, retry_delay_seconds=1)
def draw_samples(chain: str, stage: str, scope: str, year: int, now: str | datetime | None = None) -> int:
    """Draw a sample in every village of the scope that has cases newly at the stage."""
    when = moment(now)
    drawn = 0
    with work() as (session, system):
        villages = sorted({r.village_code for r in open_case_rows(session, chain, year, stage, scope)})
        for village in villages:
            sample = draw_for_village(session=session, chain=chain, year=year, stage=stage, village_code=village,
                                      now=when, actor_name=system.name)
            drawn += sample is not None
    get_run_logger().info("%s: drew samples in %d villages", stage, drawn)
    return drawn
