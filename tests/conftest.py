"""Shared fixtures: a fresh migrated database per test on every available backend, the seed-000-sized area,
and named actors.

`database` runs each test on SQLite, and also on PostgreSQL when TUOPIN_TEST_POSTGRES_URL names a server
(`tools/with-postgres` starts a throwaway one): test ids show the backend, e.g. test_x[postgresql].
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

# Prefect's state lives in a temporary folder for the whole session (set before Prefect is imported).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="tuopin-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("DO_NOT_TRACK", "1")

import pytest  # noqa: E402
from sqlalchemy import Engine, create_engine, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402
from sqlmodel import Session  # noqa: E402

from models.core.actors import Actor, Role  # noqa: E402
from models.core.db import dispose_engine, session_scope, upgrade  # noqa: E402
from models.core.settings import get_settings  # noqa: E402
from synthetic.area import Area, build_area  # noqa: E402

POSTGRES_SERVER = os.environ.get("TUOPIN_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_SERVER else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated by Alembic for the session; each test gets a copy (a migration per test costs
    ~0.7 s on SQLite, which commits every DDL statement with an fsync)."""
    path = tmp_path_factory.mktemp("schema") / "tuopin.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Engine]:
    """An AUTOCOMMIT connection to the test server's maintenance database, for CREATE/DROP DATABASE."""
    engine = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


@contextmanager
def _postgres_database(server: Engine, template: str = "template1") -> Iterator[str]:
    """A new database on the test server, a copy of `template`; its engine disposed and the database dropped
    afterwards (pooled connections would make the DROP fail)."""
    name = f"t_{uuid.uuid4().hex}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        dispose_engine(url)
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_template(postgres_server: Engine) -> Iterator[str]:
    """One PostgreSQL database migrated by Alembic for the session; each test gets a copy (CREATE DATABASE ...
    TEMPLATE takes ~0.04 s, a migration ~0.2 s)."""
    with _postgres_database(postgres_server) as url:
        upgrade(url)
        dispose_engine(url)  # a template must have no connections when it is copied
        yield str(make_url(url).database)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated, empty database (a SQLite file, or a PostgreSQL database of its own); settings point at it and
    at a temporary output folder."""
    with ExitStack() as cleanup:
        if request.param == "postgresql":
            url = cleanup.enter_context(_postgres_database(request.getfixturevalue("postgres_server"),
                                                           request.getfixturevalue("postgres_template")))
        else:
            path = tmp_path / "tuopin.db"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
            cleanup.callback(dispose_engine, url)
        monkeypatch.setenv("TUOPIN_DATABASE_URL", url)
        monkeypatch.setenv("TUOPIN_OUTPUT_DIR", str(tmp_path / "documents"))
        get_settings.cache_clear()
        yield url
        get_settings.cache_clear()


@pytest.fixture
def session(database: str) -> Iterator[Session]:
    with session_scope(database) as s:
        yield s


@dataclass
class World:
    """A small township: regions, actors and households, with helpers to find the actors."""

    session: Session
    area: Area

    def actor(self, role: Role, region: str | None = None) -> Actor:
        query = select(Actor).where(Actor.role == role)
        if region:
            query = query.where(Actor.region_code == region)
        found = self.session.scalars(query).first()
        assert found is not None
        return found

    @property
    def township(self) -> str:
        return self.area.townships[0]

    @property
    def villages(self) -> list[str]:
        return self.area.villages[self.township]


@pytest.fixture
def world(session: Session) -> World:
    """Two townships of 3 villages, 24 households: enough to test region rules and batches."""
    area = build_area(session, townships=2, villages_per_township=3, households=24, people=72, year=2026, seed=7)
    session.commit()
    return World(session, area)


@pytest.fixture
def html_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """PDF and DOCX copies off (tests/models/test_pdf.py, test_docx.py and the demo round test them): HTML keeps a
    test quick."""
    for copy in ("TUOPIN_PDF", "TUOPIN_DOCX"):
        monkeypatch.setenv(copy, "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def demo_folder(html_only: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A demo writes where its --out says: no database or output folder set from outside."""
    for name in ("TUOPIN_DATABASE_URL", "TUOPIN_OUTPUT_DIR"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
