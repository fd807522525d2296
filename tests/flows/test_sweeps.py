"""The sweep asks for chain runs only where a Prefect server has the chain's deployment (tests/deployments/
test_server.py runs that case for real)."""

from __future__ import annotations

from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.sweeps import CHAIN_DEPLOYMENTS, deployment_served, request_chain_runs
from tasks.publicity import Released

RELEASED = [Released("430121101000", 2026, 3), Released("430121102000", 2026, 1)]


def test_without_a_prefect_server_the_sweep_asks_for_nothing():
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not deployment_served(CHAIN_DEPLOYMENTS["HOUSEHOLD_EXIT"])
        assert request_chain_runs("HOUSEHOLD_EXIT", RELEASED, None) == 0


def test_an_api_without_the_chain_deployment_gets_no_request(prefect_api):
    assert PREFECT_API_URL.value()
    assert not deployment_served(CHAIN_DEPLOYMENTS["HOUSEHOLD_EXIT"])
    assert request_chain_runs("HOUSEHOLD_EXIT", RELEASED, "2026-11-02 00:05") == 0


def test_a_chain_without_a_deployment_or_released_cases_asks_for_nothing():
    assert request_chain_runs("NO_SUCH_CHAIN", RELEASED, None) == 0
    assert request_chain_runs("HOUSEHOLD_EXIT", [], None) == 0
