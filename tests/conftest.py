"""Shared fixtures: a fresh migrated SQLite database per test, the seed-000-sized area, and named actors."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Prefect's state lives in a temporary folder for the whole session (set before Prefect is imported).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="tuopin-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("DO_NOT_TRACK", "1")

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from models.actors import Actor, Role  # noqa: E402
from models.db import session_scope, upgrade  # noqa: E402
from models.settings import get_settings  # noqa: E402
from models.synthetic import Area, build_area  # noqa: E402


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated, empty database file; settings point at it and at a temporary output folder."""
    url = f"sqlite:///{tmp_path / 'tuopin.db'}"
    monkeypatch.setenv("TUOPIN_DATABASE_URL", url)
    monkeypatch.setenv("TUOPIN_OUTPUT_DIR", str(tmp_path / "documents"))
    get_settings.cache_clear()
    upgrade(url)
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
