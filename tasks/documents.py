"""Task that renders the letters and forms a stage produces, for every batch of a scope that is ready."""

from __future__ import annotations

from datetime import datetime

from prefect import get_run_logger, task

from models.door import machine
from tasks.context import moment, work


@task(retries=2, retry_delay_seconds=1)
def render_stage_documents(chain: str, stage: str, scope: str, year: int, now: str | datetime | None = None) -> int:
    """Render the request letters and spot-check forms whose inputs are complete."""
    with work() as (session, _system):
        rendered = machine.render_ready_documents(session=session, chain=chain, stage=stage, scope=scope, year=year,
                                                  now=moment(now))
    get_run_logger().info("%s: rendered %d documents", stage, rendered)
    return rendered
