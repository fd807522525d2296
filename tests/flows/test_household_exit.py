"""The whole household exit round as the demo plays it, with real Prefect flow runs against a test API."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sqlalchemy import func, select

from demo.household_exit import run as run_demo
from models.core.audit import AuditEvent, first_broken
from models.core.case import Case, Status
from models.core.db import session_scope
from models.core.document import Document
from models.core.publicity import Objection, ObjectionStatus, Window
from models.core.settings import get_settings
from models.door.sampling import Sample

FULL_ID = re.compile(r"(?<![0-9*])[1-9]\d{16}[\dX](?![0-9*])")
FULL_MOBILE = re.compile(r"(?<![0-9*])1[3-9]\d{9}(?![0-9*])")


def test_the_demo_round_ends_where_the_script_says(prefect_api, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("TUOPIN_DATABASE_URL", raising=False)
    run_demo(str(tmp_path / "demo"))
    assert get_settings().database_url.endswith(str(tmp_path / "demo" / "tuopin.db"))
    with session_scope() as session:
        states = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).tuples().all())
        assert states == {Status.EXITED: 114, Status.ACTIVE: 2}
        held = session.scalars(select(Case.stage).where(Case.status == Status.ACTIVE)).all()
        assert held == ["HOME_CHECK", "HOME_CHECK"]  # one upheld objection, one failed re-check
        objections = sorted(session.scalars(select(Objection.status)).all())
        assert objections == [ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD]
        kinds = dict(session.execute(select(Document.kind, func.count()).group_by(Document.kind)).tuples().all())
        assert kinds == {"minutes": 26, "home_check_form": 13, "village_notice": 13, "township_request": 1,
                         "recheck_form": 13, "county_announcement": 1}
        assert session.scalar(select(func.count()).select_from(Window).where(Window.closed_at.is_(None))) == 0
        assert session.scalar(select(func.count()).select_from(Sample)) == 13
        assert first_broken(session) is None
        documents = session.execute(select(Document.path, Document.pdf_path, Document.public)).tuples().all()
    for html, pdf, public in documents:
        assert Path(pdf).exists() and Path(pdf).with_suffix(".html") == Path(html)
        if not public:
            continue
        printed = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True).stdout
        for text in (Path(html).read_text(encoding="utf-8"), printed):
            assert not FULL_ID.search(text), html
            assert not FULL_MOBILE.search(text), html
            assert "********" in text  # the policy shows IDs, masked


def test_running_the_flow_again_does_nothing_twice(prefect_api, tmp_path: Path, monkeypatch):
    from flows.household_exit import household_exit
    from flows.runtime import short_runs

    monkeypatch.delenv("TUOPIN_DATABASE_URL", raising=False)
    run_demo(str(tmp_path / "demo"))
    with session_scope() as session:
        before = (session.scalar(select(func.count()).select_from(AuditEvent)),
                  session.scalar(select(func.count()).select_from(Document)))
        township = session.scalars(select(Case.village_code)).first()[:9] + "000"
    with short_runs():
        done = household_exit(region=township, year=2026, now="2026-11-20 09:00")
    assert not any(done.values())
    with session_scope() as session:
        after = (session.scalar(select(func.count()).select_from(AuditEvent)),
                 session.scalar(select(func.count()).select_from(Document)))
    assert after == before
