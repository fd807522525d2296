"""The dashboard served for real: uvicorn on a free port of 127.0.0.1 in a thread, on the test's database, with
logins for people of the two townships and a clock the test can move."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn

from cli.web import add_demo_logins
from models.core.actors import Role
from models.core.case import Case
from models.core.passwords import hash_password
from models.core.web_users import add_web_user
from tests.walk import open_all
from web.app import create_app

T0 = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
PASSWORD = "mima-12345"


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0 + timedelta(days=2))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database: str, clock: Clock) -> Iterator[str]:
    """The base URL of the dashboard, served until the test ends."""
    port = _free_port()
    config = uvicorn.Config(create_app(database, clock=clock), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", ws="none")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def logins(world) -> dict[str, str]:
    """Login name -> the person's name: the group leader and committee of township 1's first village, the
    governments of both townships, and the county's (the demo's three logins)."""
    t1, t2 = world.area.townships[0], world.area.townships[1]
    village = world.area.villages[t1][0]
    people = {
        "zu": world.actor(Role.GROUP_LEADER, village),
        "cun": world.actor(Role.VILLAGE_COMMITTEE, village),
        "zhen1": world.actor(Role.TOWNSHIP_GOVERNMENT, t1),
        "zhen2": world.actor(Role.TOWNSHIP_GOVERNMENT, t2),
    }
    for login, actor in people.items():
        add_web_user(world.session, login=login, actor=actor, password_hash=hash_password(PASSWORD))
    add_demo_logins(world.session)
    world.session.commit()
    return {login: actor.name for login, actor in people.items()}


@pytest.fixture
def opened(world) -> dict[str, list[int]]:
    """Every household's case opened at GROUP_RECOMMEND, by township."""
    found: dict[str, list[int]] = {}
    for case_id in open_all(world, T0):
        village = world.session.get(Case, case_id).village_code
        township = next(t for t in world.area.townships if village in world.area.villages[t])
        found.setdefault(township, []).append(case_id)
    return found


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


@pytest.fixture
def browser(server: str) -> Iterator[Callable[..., httpx.Client]]:
    """Opens clients with their own cookies, logged in as `login` when given; all closed when the test ends."""
    clients: list[httpx.Client] = []

    def open_client(login: str | None = None, password: str = PASSWORD) -> httpx.Client:
        client = httpx.Client(base_url=server, follow_redirects=False, timeout=30)
        clients.append(client)
        if login:
            token = csrf_of(client.get("/login"))
            answer = client.post("/login", data={"login": login, "password": password, "csrf": token})
            assert answer.status_code == 303, answer.text
        return client

    yield open_client
    for client in clients:
        client.close()
