"""The deployments of serve.py registered on a work pool instead, for Prefect workers to run (several machines):
    python -m deployments.pool POOL
Each run starts in this project folder on the worker's machine, with the worker's environment.
"""

from __future__ import annotations

import sys
from typing import cast
from uuid import UUID

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment

from deployments.serve import deployments
from models.core.settings import PROJECT_ROOT


def register(pool: str) -> list[UUID]:
    """Create or update every deployment, same names, flows and schedules as served, on the work pool `pool`."""
    ids = []
    for served in deployments():
        assert served.entrypoint is not None
        schedules = [s.schedule for s in served.schedules or [] if s.schedule is not None]
        # Called outside an event loop, these return their results (their types also allow coroutines).
        flow = cast(Flow[..., object], Flow.from_source(source=str(PROJECT_ROOT), entrypoint=served.entrypoint))
        deployment = cast(RunnerDeployment, flow.to_deployment(name=served.name, schedules=schedules,
                                                               work_pool_name=pool))
        ids.append(cast(UUID, deployment.apply()))
    return ids


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m deployments.pool POOL")
    for served, deployment_id in zip(deployments(), register(sys.argv[1]), strict=True):
        sys.stdout.write(f"{served.flow_name}/{served.name} on work pool {sys.argv[1]}: {deployment_id}\n")


if __name__ == "__main__":
    main()
