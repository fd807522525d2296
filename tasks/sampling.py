"""Task of a sampled stage: draw each village's spot-check sample from a stored seed."""

from __future__ import annotations

from datetime import datetime

from prefect import get_run_logger, task

from models.door import machine
from tasks.context import moment, work


@task(retries=2, retry_delay_seconds=1)
def draw_samples(chain: str, stage: str, scope: str, year: int, now: str | datetime | None = None) -> int:
    """Draw a sample in every village of the scope that has cases newly at the stage."""
    with work() as (session, system):
        drawn = machine.draw_samples(session=session, chain=chain, stage=stage, scope=scope, year=year,
                                     now=moment(now), actor=system)
    get_run_logger().info("%s: drew samples in %d villages", stage, drawn)
    return drawn
