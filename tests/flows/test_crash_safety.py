"""A chain run killed (SIGKILL, its whole process group) at several points, then run again, ends exactly where an
uninterrupted run from the same starting database ends: the same cases, stage records, windows, samples, documents
(rows and files, by sha256) and audit events, with the audit chain whole.

Each run is a real `tuopin run` process on a SQLite file, against the session's Prefect test API, writing each
document as HTML and DOCX (the PDF copies, stored the same way, are left off: printing them would double the time).
The test polls the database and the documents folder while the run works and kills it at deterministic points: after
its first commit (windows closed), while the village notice and the request letter are being written (the file is on
disk, its row not committed), and after the samples are drawn. Each run after a kill starts from what the killed one
left, so the last run (which still has the spot-check form and the county announcement to write) also shows that
repeated crashes lose and double nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.core.db import dispose_engine, session_scope
from models.core.settings import PROJECT_ROOT, get_settings
from tests.flows.snapshot import Progress, file_hashes, progress, state
from tests.flows.township import build_township

Point = Callable[[Progress, Progress], bool]
# Kill points in the order a run reaches them, each judged against the progress when that run started.
POINTS: list[tuple[str, Point]] = [
    ("windows closed", lambda start, now: now.events > start.events),
    ("village notice being written", lambda start, now: bool(now.unstored("village_notice"))),
    ("request letter being written", lambda start, now: bool(now.unstored("township_request"))),
    ("sample drawn", lambda start, now: now.samples > start.samples),
]
RUN_TIMEOUT = 180.0


class Workspace:
    """A SQLite database and a documents folder at fixed paths, as one `tuopin run` process sees them."""

    def __init__(self, folder: Path, api_url: str) -> None:
        self.folder, self.database, self.documents = folder, folder / "tuopin.db", folder / "documents"
        self.url = f"sqlite:///{self.database}"
        self.env = {**os.environ, "TUOPIN_DATABASE_URL": self.url, "TUOPIN_OUTPUT_DIR": str(self.documents),
                    "TUOPIN_PDF": "false", "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}

    def restore(self, snapshot: Path) -> None:
        dispose_engine(self.url)
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.copytree(snapshot, self.folder)

    def run(self, township: str, now: str, kill: Point | None = None) -> tuple[int, Progress | None]:
        """One `tuopin run`; killed with its process group as soon as `kill` holds. Returns its exit status and,
        when killed, the progress that triggered the kill."""
        dispose_engine(self.url)
        start = progress(self.database, self.documents)
        log = self.folder.parent / "run.log"
        with log.open("wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "cli", "run", township, "--year", "2026", "--now", now],
                                       cwd=PROJECT_ROOT, env=self.env, start_new_session=True, stdout=out,
                                       stderr=subprocess.STDOUT)
        deadline = time.monotonic() + RUN_TIMEOUT
        try:
            while kill is not None and process.poll() is None:
                seen = progress(self.database, self.documents)
                if kill(start, seen):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    return process.returncode, seen
                assert time.monotonic() < deadline, "the run took too long"
                time.sleep(0.005)
            process.wait(timeout=max(1.0, deadline - time.monotonic()))
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        assert process.returncode == 0, log.read_text(errors="replace")[-3000:]
        return process.returncode, None


@pytest.fixture
def workspace(prefect_api, sqlite_template: Path, tmp_path: Path,
              monkeypatch) -> Iterator[tuple[Workspace, Path, str, str]]:
    """The township built in a workspace, and a copy of it (database and documents) to start every run from."""
    from prefect.settings import PREFECT_API_URL

    work = Workspace(tmp_path / "work", str(PREFECT_API_URL.value()))
    work.documents.mkdir(parents=True)
    shutil.copyfile(sqlite_template, work.database)
    monkeypatch.setenv("TUOPIN_DATABASE_URL", work.url)
    monkeypatch.setenv("TUOPIN_OUTPUT_DIR", str(work.documents))
    monkeypatch.setenv("TUOPIN_PDF", "false")
    get_settings.cache_clear()
    with session_scope(work.url) as session:
        township, when = build_township(session)
    dispose_engine(work.url)
    snapshot = tmp_path / "start"
    shutil.copytree(work.folder, snapshot)
    yield work, snapshot, township, when.isoformat()
    dispose_engine(work.url)
    get_settings.cache_clear()


def _stored_files_match(work: Workspace) -> None:
    """Every document row's files exist with the hashes the row records (what a kill leaves must hold this)."""
    files = file_hashes(work.documents)
    connection = sqlite3.connect(work.database)
    try:
        rows = connection.execute("SELECT path, sha256, pdf_path, pdf_sha256, docx_path, docx_sha256 FROM document")
        for path, digest, pdf, pdf_digest, docx, docx_digest in rows:
            for name, expected in ((path, digest), (pdf, pdf_digest), (docx, docx_digest)):
                if name:
                    assert files.get(str(Path(name).relative_to(work.documents))) == expected, name
    finally:
        connection.close()


def test_a_run_killed_at_each_point_then_run_again_ends_like_an_uninterrupted_run(workspace):
    work, snapshot, township, now = workspace
    start = state(work.url, work.documents)
    work.run(township, now)
    reference = state(work.url, work.documents)
    assert reference["events"] != start["events"] and reference["files"] != start["files"]

    work.restore(snapshot)
    for name, point in POINTS:
        status, seen = work.run(township, now, kill=point)
        assert status == -signal.SIGKILL and seen is not None, f"the run ended before “{name}”"
        _stored_files_match(work)
        interrupted = state(work.url, work.documents)  # also checks the audit chain
        assert interrupted != reference, f"killed at “{name}” after the run had done everything"
    work.run(township, now)
    final = state(work.url, work.documents)
    for part in reference:
        assert final[part] == reference[part], part
