"""Running tuopin's flows from a script or the CLI: short runs, without the heartbeat thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings


@contextmanager
def short_runs() -> Iterator[None]:
    """Run flows in this block without heartbeats (about a second saved per run)."""
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
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
