"""An office's tuopin seen from outside: the `tuopin` command run as a subprocess and the dashboard served over
HTTP, on an empty database of the test's own, with nothing of the project imported. The `office` fixture
(tests/e2e/conftest.py) gives each test an Office in its tmp_path, its flows on the session's Prefect server:

    def test_x(office):
        office.ok("init", says=["数据库已就绪"])               # exit 0 and each phrase printed
        office.refused(["decide", "1", ...], "无权决定")       # exit 1, 未执行 and the Chinese reason
        with office.dashboard() as web:                       # `tuopin web` on a free port until the block ends
            clerk = web.log_in("huanglijuan", PASSWORD)
            page = clerk.page("/cases/1")
            clerk.submit("/cases/1", "/cases/1/objections", {...}, status=409)   # with the page's form token
            pdf_text(clerk.download("/documents/3/pdf", "application/pdf").content)"""

from __future__ import annotations

import html
import io
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
# `python -m cli` is the `tuopin` entry point (pyproject's [project.scripts]) of the interpreter running the tests.
COMMAND = (sys.executable, "-m", "cli")
# A command that takes longer is stuck (a Prefect flow run's first start takes up to ~20 s on 2 cores).
COMMAND_TIMEOUT = 180


@dataclass(frozen=True)
class Ran:
    """What a command printed (stdout and stderr together) and its exit code."""

    args: tuple[str, ...]
    code: int
    out: str

    def __str__(self) -> str:
        return f"$ tuopin {' '.join(self.args)}\n(exit {self.code})\n{self.out}"


class Office:
    """One county office's installation: its database and documents folder under `root`, its flows run on the
    Prefect server at `prefect_api` (a county's setup, docs/server.md) or, without one, on Prefect's ephemeral API
    that each command starts (~10 s a command)."""

    def __init__(self, root: Path, prefect_api: str = "") -> None:
        self.root = root
        self.database = root / "tuopin.db"
        self.documents = root / "documents"
        self.env = {
            **os.environ,
            "TUOPIN_DATABASE_URL": f"sqlite:///{self.database}",
            "TUOPIN_OUTPUT_DIR": str(self.documents),
            # Wide enough that rich wraps neither a table cell nor a message (the tests look for whole phrases).
            "COLUMNS": "250",
            "NO_COLOR": "1",
            "PYTHONIOENCODING": "utf-8",
        }
        self.env.pop("TUOPIN_TEST_POSTGRES_URL", None)
        if prefect_api:
            self.env["PREFECT_API_URL"] = prefect_api
        self.timings: list[tuple[float, tuple[str, ...]]] = []  # seconds each command took, for a slow test's why

    def tuopin(self, *args: str, stdin: str | None = None) -> Ran:
        """Run `tuopin ARGS` in the office and return what it printed and its exit code."""
        started = time.monotonic()
        done = subprocess.run([*COMMAND, *args], cwd=self.root, env=self.env, input=stdin, capture_output=True,
                              text=True, encoding="utf-8", timeout=COMMAND_TIMEOUT, check=False)
        self.timings.append((time.monotonic() - started, tuple(args)))
        return Ran(tuple(args), done.returncode, done.stdout + done.stderr)

    def ok(self, *args: str, says: Sequence[str] = ()) -> str:
        """Run a command that must succeed (exit 0) and print each phrase of `says`; its output."""
        ran = self.tuopin(*args)
        assert ran.code == 0, str(ran)
        for phrase in says:
            assert phrase in ran.out, f"missing “{phrase}” in\n{ran}"
        return ran.out

    def refused(self, args: Sequence[str], *says: str) -> str:
        """Run a command that must be refused: exit 1, “未执行” and each phrase of `says`, and no traceback."""
        ran = self.tuopin(*args)
        assert ran.code == 1, str(ran)
        assert "未执行" in ran.out and "Traceback" not in ran.out, str(ran)
        for phrase in says:
            assert phrase in ran.out, f"missing “{phrase}” in\n{ran}"
        return ran.out

    @contextmanager
    def dashboard(self) -> Iterator[Dashboard]:
        """`tuopin web` served on a free local port until the block ends."""
        port = free_port()
        log = (self.root / f"web-{port}.log").open("w", encoding="utf-8")
        process = subprocess.Popen([*COMMAND, "web", "--host", "127.0.0.1", "--port", str(port)], cwd=self.root,
                                   env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        served = Dashboard(f"http://127.0.0.1:{port}")
        try:
            wait_until_answers(f"{served.url}/login", process, self.root / f"web-{port}.log")
            yield served
        finally:
            served.close()
            stop(process)
            log.close()


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """`prefect server start` on a free local port with its state in `home`, until the block ends; its API URL."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    log_path = home / "server.log"
    home.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                    "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            wait_until_answers(f"http://127.0.0.1:{port}/api/health", process, log_path, seconds=120)
            yield f"http://127.0.0.1:{port}/api"
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server started here and what it started (its own process group), waiting for it."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_answers(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    """Return once a server started here answers `url` with 200; fail with its log if it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited ({process.returncode}):\n{log.read_text(encoding='utf-8')}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text(encoding='utf-8')}")


CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LINK = re.compile(r'href="([^"]+)"')


def table_rows(out: str) -> list[list[str]]:
    """The body rows of the tables a command printed (rich's box drawing), each as its stripped cells."""
    return [[cell.strip() for cell in line.strip().strip("│").split("│")]
            for line in out.splitlines() if line.lstrip().startswith("│")]


def csrf_of(page: str) -> str:
    """The form token a page's forms carry (the login page's, or the logged-in clerk's)."""
    found = CSRF.search(page)
    assert found, "the page has no form token"
    return html.unescape(found.group(1))


def links(page: str, pattern: str) -> list[str]:
    """The page's link targets matching the regular expression, in page order, each once."""
    found = [html.unescape(href) for href in LINK.findall(page) if re.fullmatch(pattern, html.unescape(href))]
    return list(dict.fromkeys(found))


def text_of(page: str) -> str:
    """A page's visible text, roughly: tags dropped, entities read, runs of white space made one space."""
    without = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", without)))


@dataclass
class Dashboard:
    """The served dashboard at `url`."""

    url: str
    clients: list[httpx.Client] = field(default_factory=list)

    def close(self) -> None:
        for client in self.clients:
            client.close()

    def log_in(self, login: str, password: str) -> Clerk:
        """A browser logged in as `login` (through the login form and its token)."""
        client = httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)
        self.clients.append(client)
        form = client.get("/login")
        assert form.status_code == 200, form.text
        done = client.post("/login", data={"login": login, "password": password, "csrf": csrf_of(form.text)})
        assert done.status_code == 303, f"login {login} refused ({done.status_code}): {text_of(done.text)[:500]}"
        return Clerk(client, login)


@dataclass
class Clerk:
    """One logged-in browser."""

    client: httpx.Client
    login: str

    def page(self, path: str, *, status: int = 200) -> str:
        """A page's HTML, asserting its status."""
        got = self.client.get(path)
        assert got.status_code == status, f"GET {path} as {self.login}: {got.status_code}\n{text_of(got.text)[:800]}"
        return got.text

    def submit(self, page: str, action: str, fields: dict[str, str], *,
               files: dict[str, tuple[str, bytes]] | None = None, status: int = 303) -> httpx.Response:
        """Post a form of `page` to `action` with the page's token, as a browser would (`files`: field -> name and
        content); asserts the status (303: written, then back to the page; a refusal shows the page again)."""
        sent = self.client.post(action, data={**fields, "csrf": csrf_of(self.page(page))}, files=files)
        said = text_of(sent.text)[:800]
        assert sent.status_code == status, f"POST {action} as {self.login}: {sent.status_code}\n{said}"
        return sent

    def download(self, path: str, content_type: str) -> httpx.Response:
        """A document as the browser receives it: status 200, of `content_type`, not empty."""
        got = self.client.get(path)
        assert got.status_code == 200, f"GET {path} as {self.login}: {got.status_code}\n{text_of(got.text)[:500]}"
        assert got.headers["content-type"].startswith(content_type), (path, got.headers["content-type"])
        assert got.content, path
        return got


def png(width: int = 2, height: int = 2) -> bytes:
    """A small, valid PNG image (grey pixels), for a form that takes a photo."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (the Debian package poppler-utils, as `make system`)."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True,
                          timeout=60)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


def docx_text(content: bytes) -> str:
    """The text of a Word document's body, its runs joined (Word splits a phrase over several runs)."""
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    return "".join(html.unescape(t) for t in re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", body))
