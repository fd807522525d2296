"""Each end-to-end test gets an office of its own (an empty database and documents folder in its tmp_path); the
session shares one Prefect server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Office, prefect_server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: through the `tuopin` command and the served dashboard only (tests/e2e)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of tests/e2e is marked e2e, so `-m "not e2e"` leaves them out and `-m e2e` runs them alone."""
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Prefect server for the session's offices, as a county runs one (docs/server.md): a flow run costs a
    command ~3 s instead of the ~10 s of starting Prefect's ephemeral API in each."""
    with prefect_server(tmp_path_factory.mktemp("prefect")) as api:
        yield api


@pytest.fixture
def office(tmp_path: Path, prefect_api: str) -> Iterator[Office]:
    """An empty office: no database yet (the test runs `tuopin init`), no documents."""
    here = Office(tmp_path, prefect_api)
    yield here
    # The slowest commands, shown with -s or when the test fails, to see where a test's time goes.
    slowest = sorted(here.timings, reverse=True)[:8]
    total = sum(seconds for seconds, _ in here.timings)
    print(f"\n{len(here.timings)} commands, {total:.1f} s; slowest:")  # noqa: T201
    for seconds, args in slowest:
        print(f"  {seconds:5.1f} s  tuopin {' '.join(args)[:100]}")  # noqa: T201
