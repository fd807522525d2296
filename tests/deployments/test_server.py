"""Server mode for real: a Prefect server, the serving process, the nightly sweep triggered through the API, and
the chain runs it asks for, against an application database whose publicity windows ended days ago."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.sorting import FlowRunSort
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import func, select

from flows.sweeps import CHAIN_DEPLOYMENTS
from models.core.actors import Role, system_actor
from models.core.audit import first_broken
from models.core.case import Case, Status
from models.core.clock import utcnow
from models.core.db import session_scope
from models.core.publicity import Window
from models.core.settings import get_settings
from models.door import machine
from models.door.objections import raise_objection
from tests.walk import CHAIN, actor_for, open_all, walk_to

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120  # a fresh server migrates its SQLite database first: 10-20 s on 2 cores
SWEEP = "sweep/daily-sweep"
CHAIN_RUN = CHAIN_DEPLOYMENTS[CHAIN]


@dataclass
class Server:
    api: str
    home: Path
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(process: subprocess.Popen[bytes], grace: float = 20) -> None:
    """Terminate a child (its whole session), then kill it if it is still there after `grace` seconds."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def prefect_env(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "false", **extra}


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`prefect server start` on a free port with its own PREFECT_HOME, once for the module; stopped afterwards."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    server = Server(api=f"http://127.0.0.1:{port}/api", home=home, log=home / "server.log")
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=prefect_env(home, PREFECT_SERVER_UI_ENABLED="false"), cwd=home, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{server.api}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, f"the Prefect server stopped while starting:\n{tail(server.log)}"
            assert time.monotonic() < deadline, f"no answer from the Prefect server:\n{tail(server.log)}"
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


@pytest.fixture
def serving(prefect_server: Server, database: str, tmp_path: Path) -> Iterator[Path]:
    """`python -m deployments.serve` against the server and the test's database, until its deployments are in
    the API; stopped after the test. Yields its log."""
    log_path = tmp_path / "serve.log"
    started = datetime.now().astimezone()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "deployments.serve"],
            env=prefect_env(prefect_server.home, PREFECT_API_URL=prefect_server.api, TUOPIN_DATABASE_URL=database,
                            TUOPIN_OUTPUT_DIR=str(tmp_path / "documents"), TUOPIN_PDF="false", TUOPIN_DOCX="false",
                            PREFECT_RUNNER_POLL_FREQUENCY="1"),
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        with temporary_settings(updates={PREFECT_API_URL: prefect_server.api}), get_client(sync_client=True) as c:
            for name in (SWEEP, CHAIN_RUN):
                while True:  # registered (or, on a server that saw an earlier serve, registered again) by this one
                    try:
                        deployment = c.read_deployment_by_name(name)
                        if not deployment.paused and deployment.updated and deployment.updated >= started:
                            break
                    except ObjectNotFound:
                        pass
                    assert process.poll() is None, f"serve stopped:\n{tail(log_path)}"
                    assert time.monotonic() < deadline, f"{name} not served:\n{tail(log_path)}"
                    time.sleep(0.2)
        yield log_path
    finally:
        stop(process)


def post_windows_that_ended(world) -> tuple[list[int], int]:  # type: ignore[no-untyped-def]
    """Every case walked to publicity and posted 30 days ago (so its window ended days ago); one case held by
    an objection. Returns the cases and the held one."""
    session = world.session
    start = utcnow() - timedelta(days=30)
    ids = open_all(world, start)
    posted_at = walk_to(world, ids, "PUBLICITY", start + timedelta(hours=1))
    machine.post_notices(session=session, chain=CHAIN, stage="PUBLICITY", scope="", year=2026, now=posted_at,
                         actor=system_actor(session))
    held = ids[0]
    village = session.get(Case, held).village_code
    raise_objection(session=session, case_id=held, raised_by="村民甲", content="收入不实",
                    now=posted_at + timedelta(days=2), actor=actor_for(world, Role.VILLAGE_COMMITTEE, village))
    session.commit()
    return ids, held


def wait_final(client, run: FlowRun, seconds: float = 90) -> FlowRun:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not (run.state and run.state.is_final()) and time.monotonic() < deadline:
        time.sleep(0.5)
        run = client.read_flow_run(run.id)
    return run


def test_the_served_sweep_closes_due_windows_and_asks_for_the_chain_in_each_township(world, serving: Path,
                                                                                       prefect_server: Server,
                                                                                       monkeypatch):
    monkeypatch.setenv("TUOPIN_PDF", "false")  # the notices' HTML is enough here
    monkeypatch.setenv("TUOPIN_DOCX", "false")
    get_settings.cache_clear()
    ids, held = post_windows_that_ended(world)
    with session_scope() as session:
        due = session.scalar(select(func.count()).select_from(Window).where(
            Window.closed_at.is_(None), Window.ends_at <= utcnow()))
    assert due == sum(len(villages) for villages in world.area.villages.values())  # one notice per village

    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api}), get_client(sync_client=True) as client:
        swept = run_deployment(SWEEP, timeout=120, poll_interval=1)  # no parameters: the real time, as at 01:00
        assert swept.state is not None and swept.state.is_completed(), f"{swept.state}\n{tail(serving)}"
        chain_runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[swept.id])),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=50)
        finished = [wait_final(client, run) for run in chain_runs]

    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Window).where(Window.closed_at.is_(None))) == 0
        stages = dict(session.execute(select(Case.id, Case.stage).where(Case.status == Status.ACTIVE)).tuples().all())
        assert stages == {i: "PUBLICITY" if i == held else "COUNTY_REQUEST" for i in ids}
        assert first_broken(session) is None

    assert sorted((run.parameters["region"], run.parameters["year"]) for run in finished) == [
        (township, 2026) for township in sorted(world.area.townships)]
    for run in finished:
        assert run.deployment_id is not None and set(run.parameters) == {"region", "year"}
        assert run.state is not None and run.state.is_completed(), f"{run.name}: {run.state}\n{tail(serving)}"
