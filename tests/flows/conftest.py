"""One Prefect test harness for every flow test of the session (its start takes about 15 s)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.inbox import inbox  # noqa: F401 (the SMTP server fixture, shared with tests/tasks)

# The flow tests read task runs back from the API, so its task-run recorder must run, whatever an earlier test of the
# session set for the CLI's own runs (cli/common.py::local_prefect keeps it off).
RECORDER = "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED"


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    saved = os.environ.pop(RECORDER, None)
    try:
        with prefect_test_harness(server_startup_timeout=120):
            if saved is not None:
                os.environ[RECORDER] = saved  # the harness's server has started with its recorder on
            yield
    finally:
        if saved is not None:
            os.environ[RECORDER] = saved
