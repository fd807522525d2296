"""A. Household exit as a flow of its own name: one task per stage for each township of a region, as every chain's
flow (flows/chains.py). Running it again finds nothing new to do twice.
"""

from __future__ import annotations

from prefect import flow

from flows.chains import run_stages
from models.chains.household_exit.stages import CODE


@flow(name="household-exit", flow_run_name="exit-{region}-{year}")
def household_exit(region: str, year: int, now: str | None = None) -> dict[str, int]:
    """Run the machine's part of the household exit chain for each township in `region`."""
    return run_stages(CODE, region, year, now)
