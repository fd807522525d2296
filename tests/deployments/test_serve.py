"""The served deployments, inspected without a server: names, flows and schedules."""

from __future__ import annotations

from prefect.client.schemas.schedules import CronSchedule

from deployments.serve import deployments
from flows.sweeps import CHAIN_DEPLOYMENTS


def test_the_sweep_runs_nightly_in_office_time_and_the_exit_chain_on_demand():
    sweep, exit_chain = deployments()
    assert (sweep.name, sweep.flow_name) == ("daily-sweep", "sweep")
    assert sweep.schedules is not None and len(sweep.schedules) == 1
    schedule = sweep.schedules[0].schedule
    assert isinstance(schedule, CronSchedule)
    assert (schedule.cron, schedule.timezone) == ("0 1 * * *", "Asia/Shanghai")

    assert (exit_chain.name, exit_chain.flow_name) == ("household-exit", "household-exit")
    assert not exit_chain.schedules
    assert not exit_chain.parameters  # region and year come with each run


def test_the_sweep_asks_for_the_chain_deployment_that_is_served():
    served = {f"{d.flow_name}/{d.name}" for d in deployments()}
    assert set(CHAIN_DEPLOYMENTS.values()) <= served
