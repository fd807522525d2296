"""Measuring the dashboard for bench/web.py: the real app served by uvicorn on 127.0.0.1 in a thread, wrapped in an
ASGI middleware that times each request on the server and counts the SQL statements it runs, and the requests of a
page timed after a warm-up."""

from __future__ import annotations

import re
import socket
import statistics
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import uvicorn
from sqlalchemy import event
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bench.household_exit import say
from bench.web_county import PASSWORD
from models.core.db import engine_for
from web.app import create_app


@dataclass
class Tally:
    """What one request did: its SQL statements (their time and text, when asked)."""

    statements: int = 0
    texts: list[str] | None = None


_tally: ContextVar[Tally | None] = ContextVar("bench_web_tally", default=None)


@dataclass
class Measured:
    path: str
    status: int
    ms: float
    statements: int
    texts: list[str] | None


@dataclass
class Timing:
    """ASGI middleware: each request's server time (its start to its response's last byte handed to the server)
    and the SQL statements run for it, counted on the app's engine."""

    app: ASGIApp
    records: list[Measured] = field(default_factory=list)
    keep_sql: bool = False

    def count(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        tally = _tally.get()
        if tally is not None:
            tally.statements += 1
            if tally.texts is not None:
                conn.info["bench_web_started"] = time.perf_counter()

    def took(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        tally = _tally.get()
        if tally is not None and tally.texts is not None:
            ms = (time.perf_counter() - conn.info.pop("bench_web_started", time.perf_counter())) * 1000
            tally.texts.append(f"{ms:6.1f} ms  {' '.join(statement.split())}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tally = Tally(texts=[] if self.keep_sql else None)
        token = _tally.set(tally)
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        start = time.perf_counter()
        try:
            await self.app(scope, receive, sending)
        finally:
            ms = (time.perf_counter() - start) * 1000
            _tally.reset(token)
            query = scope.get("query_string", b"").decode()
            self.records.append(Measured(scope["path"] + (f"?{query}" if query else ""), status, ms, tally.statements,
                                         tally.texts))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """The dashboard on the database, served by uvicorn in a thread until `stop`."""

    def __init__(self, url: str, now: datetime, keep_sql: bool) -> None:
        self.timing = Timing(create_app(url, clock=lambda: now), keep_sql=keep_sql)
        event.listen(engine_for(url), "before_cursor_execute", self.timing.count)
        if keep_sql:
            event.listen(engine_for(url), "after_cursor_execute", self.timing.took)
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(self.timing, host="127.0.0.1", port=port, log_level="warning",
                                                    access_log=False, lifespan="off", ws="none"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def logged_in(base: str, login: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text
    answer = client.post("/login", data={"login": login, "password": PASSWORD, "csrf": token.group(1)})
    if answer.status_code != 303:
        raise RuntimeError(f"login {login} refused: {answer.status_code}")
    return client


@dataclass
class Row:
    viewer: str
    page: str
    paths: list[str]
    times: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    shown: str = ""  # what the page showed: rows, total, page number
    raw: tuple[str, tuple[str, ...], int] | None = None  # the raw baseline's extra WHERE, its parameters, offset
    rows: int = -1  # rows of a list page
    kind: str = ""  # "list", "overview", "case"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def what_shows(html: str) -> tuple[int, str]:
    """The rows a list page shows, and in words with its total and page."""
    rows = len(re.findall(r'<td><a href="/cases/\d+">', html))
    total = re.search(r"案件（共(\d+)件）", html)
    page = re.search(r"第(\d+)页，共(\d+)页", html)
    words = f"{rows} row{'' if rows == 1 else 's'}" + (f" of {int(total.group(1)):,}" if total else "")
    return rows, words + (f", page {page.group(1)}/{page.group(2)}" if page else "")


def fetch(served: Served, client: httpx.Client, path: str) -> tuple[httpx.Response, Measured]:
    """One request, and what the middleware measured of it (recorded once the response has gone out)."""
    records = served.timing.records
    before = len(records)
    answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"{path} answered {answer.status_code}")
    deadline = time.monotonic() + 5
    while len(records) == before:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no timing recorded for {path}")
        time.sleep(0.0005)
    return answer, records[before]


def measure(served: Served, client: httpx.Client, row: Row, requests: int, warmup: int = 3) -> list[Measured]:
    """Warm-up requests, then `requests` timed ones, the page's paths in turn."""
    for i in range(warmup):
        answer, _ = fetch(served, client, row.paths[i % len(row.paths)])
        if i == 0 and row.kind == "list":
            row.rows, row.shown = what_shows(answer.text)
    found = [fetch(served, client, row.paths[i % len(row.paths)])[1] for i in range(requests)]
    served.timing.records.clear()
    row.times = [m.ms for m in found]
    row.statements = [m.statements for m in found]
    say(f"  {row.viewer:<8} {row.page:<34} p50 {statistics.median(row.times):6.1f} ms  "
        f"p95 {percentile(row.times, 0.95):6.1f} ms  SQL {min(row.statements)}-{max(row.statements)}  {row.shown}")
    return found
