"""The served deployments, inspected without a server: names, flows and schedules."""

from __future__ import annotations

from prefect.client.schemas.schedules import CronSchedule

from deployments.serve import deployments
from flows.sweeps import deployment_for
from models.door.chain import all_chains


def test_the_sweep_runs_nightly_in_office_time_and_the_chains_on_demand():
    sweep, exit_chain, any_chain = deployments()
    assert (sweep.name, sweep.flow_name) == ("daily-sweep", "sweep")
    assert sweep.schedules is not None and len(sweep.schedules) == 1
    schedule = sweep.schedules[0].schedule
    assert isinstance(schedule, CronSchedule)
    assert (schedule.cron, schedule.timezone) == ("0 1 * * *", "Asia/Shanghai")

    assert (exit_chain.name, exit_chain.flow_name) == ("household-exit", "household-exit")
    assert not exit_chain.schedules
    assert not exit_chain.parameters  # region and year come with each run
    assert (any_chain.name, any_chain.flow_name) == ("chain-run", "chain-run")
    assert not any_chain.schedules and not any_chain.parameters  # chain, region and year come with each run


def test_the_sweep_asks_for_a_served_deployment_for_every_chain():
    served = {f"{d.flow_name}/{d.name}" for d in deployments()}
    asked = {chain.code: deployment_for(chain.code) for chain in all_chains()}
    assert {name for name, _ in asked.values()} <= served
    assert asked["HOUSEHOLD_EXIT"] == ("household-exit/household-exit", {})
    assert asked["VILLAGE_EXIT"] == ("chain-run/chain-run", {"chain": "VILLAGE_EXIT"})
