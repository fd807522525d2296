"""The deployments tuopin serves: the nightly sweep on a schedule; household exit and any other chain on demand."""

from __future__ import annotations

from typing import cast

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.chains import chain_run
from flows.household_exit import household_exit
from flows.runtime import short_runs
from flows.sweeps import sweep
from models.core.settings import get_settings

# 01:00 office time, so windows that ended at midnight close first thing in the morning.
SWEEP_CRON = "0 1 * * *"


def deployments() -> list[RunnerDeployment]:
    """Every deployment, built from the flows (one source of truth for schedules)."""
    built = [
        sweep.to_deployment(name="daily-sweep", schedules=[Cron(SWEEP_CRON, timezone=get_settings().timezone)]),
        # No schedule: run on demand with parameters region and year (and chain, for chain-run).
        household_exit.to_deployment(name="household-exit"),
        chain_run.to_deployment(name="chain-run"),
    ]
    # Called outside an event loop, to_deployment returns the deployment (its type also allows a coroutine).
    return cast(list[RunnerDeployment], built)


def main() -> None:
    """Serve every deployment from this process until interrupted."""
    with short_runs():
        serve(*deployments())


if __name__ == "__main__":
    main()
