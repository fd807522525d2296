"""Running tuopin's flows from a script or the CLI: short runs, without the heartbeat thread, and with the local
API's task-run recorder writing in batches."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

# The local (ephemeral) API, started by the first flow run of a process, records each task run's events in a
# transaction of its own by default; on 2 cores that took about a fifth of a county run (8 stages x 20 townships of
# task runs), in batches it keeps up. An environment variable of the same name still decides.
RECORDER_BATCHES = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": ("server.services.task_run_recorder.batch_size", 500),
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": (
        "server.services.task_run_recorder.read_batch_size", 500),
}


@contextmanager
def short_runs() -> Iterator[None]:
    """Run flows in this block without heartbeats (about a second saved per run); a local API started here records
    task runs in batches."""
    updates: dict[Any, object] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    updates.update({key: value for name, (key, value) in RECORDER_BATCHES.items() if name not in os.environ})
    with temporary_settings(updates=updates):
        yield


def run_household_exit(region: str, year: int, now: str | None = None) -> dict[str, int]:
    """One run of the household exit flow over a township or county."""
    from flows.household_exit import household_exit

    with short_runs():
        return household_exit(region=region, year=year, now=now)


def run_chain(chain: str, region: str, year: int, now: str | None = None) -> dict[str, int]:
    """One run of any chain's flow over a township or county."""
    from flows.chains import chain_run

    with short_runs():
        return chain_run(chain=chain, region=region, year=year, now=now)


def run_sweep(now: str | None = None) -> dict[str, int]:
    """One run of the sweep over every region."""
    from flows.sweeps import sweep

    with short_runs():
        return sweep(now=now)
