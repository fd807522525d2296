"""The sweep asks for chain runs only where a Prefect server has the chain's deployment (tests/deployments/
test_server.py runs that case for real, with the serving process)."""

from __future__ import annotations

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.logging import disable_run_logger
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.sweeps import CHAIN_DEPLOYMENTS, deployment_served, request_chain_runs
from models.chains.edge_identify.stages import CODE as EDGE
from models.core.errors import NotFound
from tasks.publicity import Released

RELEASED = [Released("430121101000", 2026, 3), Released("430121102000", 2026, 1), Released("430121101000", 2026, 2)]


def test_without_a_prefect_server_the_sweep_asks_for_nothing():
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not deployment_served(CHAIN_DEPLOYMENTS["HOUSEHOLD_EXIT"])
        assert request_chain_runs("HOUSEHOLD_EXIT", RELEASED, None) == 0


def test_an_api_without_the_chain_deployment_gets_no_request(prefect_api):
    assert PREFECT_API_URL.value()
    assert not deployment_served(CHAIN_DEPLOYMENTS["HOUSEHOLD_EXIT"])
    assert request_chain_runs("HOUSEHOLD_EXIT", RELEASED, "2026-11-02 00:05") == 0


def test_a_chain_without_a_deployment_or_released_cases_asks_for_nothing(prefect_api):
    """On an API that has chain-run but not household-exit: chain A (its own deployment) and a sweep that released
    nothing ask for nothing; another chain asks chain-run once per township and year; an unknown chain is refused."""
    from flows.chains import chain_run

    deployment_id = chain_run.to_deployment(name="chain-run").apply()
    asked = DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
    with get_client(sync_client=True) as client, disable_run_logger():
        try:
            assert request_chain_runs("HOUSEHOLD_EXIT", RELEASED, None) == 0
            assert request_chain_runs(EDGE, [], None) == 0
            assert request_chain_runs(EDGE, RELEASED, "2026-11-02 00:05") == 2
            with pytest.raises(NotFound, match="NO_SUCH_CHAIN"):
                request_chain_runs("NO_SUCH_CHAIN", RELEASED, None)
            runs = client.read_flow_runs(deployment_filter=asked)
            assert sorted((r.parameters["region"], r.parameters["year"]) for r in runs) == [
                ("430121101000", 2026), ("430121102000", 2026)]
            assert all(r.parameters["chain"] == EDGE and r.parameters["now"] == "2026-11-02 00:05" for r in runs)
        finally:
            for run in client.read_flow_runs(deployment_filter=asked):
                client.delete_flow_run(run.id)
            client.delete_deployment(deployment_id)
