"""What a chain run leaves behind, in comparable form: the rows that carry meaning, and the document files.

Every time the flow stores comes from its simulated "now", so times are compared as they are. Row ids of new rows
are left out (a database may number them differently after a crash); rows are identified by what they are about
(case, stage, scope, path), links by the case ids they hold. The seed of a sample drawn during the run is random by
design (DESIGN decision 9), so a sample is compared by its population and required share, its drawn households
are checked against its own stored seed, and the seed and drawn households are left out of its audit event.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from models.core.audit import AuditEvent, first_broken
from models.core.case import Case, StageRecord
from models.core.db import dispose_engine, session_scope
from models.core.document import Document, DocumentCase
from models.core.publicity import Window, WindowCase
from models.door.sampling import Sample, SampleCase, Unit, draw
from models.policy.loading import policy_for

RANDOM_DETAIL = ("seed", "drawn")
TEMPORARY = re.compile(r"\..+\.tmp")


def file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by path relative to it. A kill inside `write_atomically` can leave its
    hidden temporary file (.<name>.<random>.tmp) behind; no document refers to it, so it is not counted."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not TEMPORARY.fullmatch(p.name)}


def _relative(path: str, folder: Path) -> str:
    return str(Path(path).relative_to(folder)) if path else ""


def state(url: str, documents: Path) -> dict[str, Any]:
    """The meaningful content of the database and the documents folder."""
    with session_scope(url) as session:
        assert first_broken(session) is None
        links: dict[int, frozenset[int]] = {}
        pairs = select(col(DocumentCase.document_id), col(DocumentCase.case_id))
        for document_id, case_id in session.execute(pairs).tuples():
            links[document_id] = links.get(document_id, frozenset()) | {case_id}
        window_cases: dict[int, frozenset[int]] = {}
        for window_id, case_id in session.execute(select(col(WindowCase.window_id), col(WindowCase.case_id))).tuples():
            window_cases[window_id] = window_cases.get(window_id, frozenset()) | {case_id}
        samples = []
        for sample in session.scalars(select(Sample)):
            population = session.execute(select(col(SampleCase.case_id), col(SampleCase.drawn))
                                         .where(col(SampleCase.sample_id) == sample.id)).tuples().all()
            samples.append((sample.stage, sample.village_code, sample.people_total, sample.people_required,
                            frozenset(c for c, _ in population), sample.document_id is not None))
            people = _people(session, [c for c, _ in population])
            redrawn = draw([Unit(c, people[c]) for c, _ in population],
                           policy_for(sample.village_code, sample.year).recheck_sampling, sample.seed)
            assert sorted(redrawn) == sorted(c for c, drawn in population if drawn), sample
        events = []
        for event in session.scalars(select(AuditEvent).order_by(col(AuditEvent.seq))):
            detail = json.loads(event.detail)
            if event.action == "SAMPLE.DRAW":
                detail = {k: v for k, v in detail.items() if k not in RANDOM_DETAIL}
            events.append((event.seq, event.at, event.actor, event.action, event.case_id, detail))
        result = {
            "cases": sorted(session.execute(select(col(Case.id), col(Case.household_id), col(Case.stage),
                                                     col(Case.status), col(Case.version)))
                            .tuples().all()),
            "records": sorted(session.execute(select(*(col(c) for c in (
                StageRecord.case_id, StageRecord.stage, StageRecord.opened_at, StageRecord.due_at,
                StageRecord.decided_at, StageRecord.outcome, StageRecord.actor_id, StageRecord.reason,
                StageRecord.left_at, StageRecord.overdue_at)))).tuples().all(), key=repr),
            "windows": sorted(((w.stage, w.scope_code, w.opened_at, w.ends_at, w.closed_at,
                                window_cases.get(w.id or 0, frozenset())) for w in session.scalars(select(Window))),
                              key=repr),
            "samples": sorted(samples, key=repr),
            "documents": sorted(((d.kind, _relative(d.path, documents), d.sha256, d.number, d.public, d.created_at,
                                  _relative(d.pdf_path, documents), d.pdf_sha256, _relative(d.docx_path, documents),
                                  d.docx_sha256, links.get(d.id or 0, frozenset()))
                                 for d in session.scalars(select(Document))), key=repr),
            "events": events,
            "files": file_hashes(documents),
        }
    dispose_engine(url)
    return result


def _people(session: Any, case_ids: list[int]) -> dict[int, int]:
    from sqlalchemy import func

    from models.core.household import Member

    return dict(session.execute(
        select(col(Case.id), func.count(col(Member.id)))
        .join(Member, col(Member.household_id) == col(Case.household_id))
        .where(col(Case.id).in_(case_ids), col(Member.resident).is_(True)).group_by(col(Case.id))
    ).tuples().all())


@dataclass(frozen=True)
class Progress:
    """How far a run has got, read from another process while it runs."""

    events: int
    samples: int
    stored: frozenset[str]  # document files that have a committed row (HTML, PDF and DOCX)
    files: frozenset[str]  # document files on disk

    def unstored(self, kind: str) -> list[str]:
        """Files of this kind of document on disk without a committed row: written by a transaction still open."""
        return sorted(f for f in self.files - self.stored if Path(f).name.startswith(f"{kind}-"))


def progress(database: Path, documents: Path) -> Progress:
    """Files first, then rows: a file counted as unstored had no committed row after it was seen on disk."""
    files = {str(p) for p in documents.rglob("*") if p.is_file() and not TEMPORARY.fullmatch(p.name)}
    connection = sqlite3.connect(database, timeout=30)
    try:
        events = connection.execute("SELECT count(*) FROM auditevent").fetchone()[0]
        samples = connection.execute("SELECT count(*) FROM sample").fetchone()[0]
        stored = {p for row in connection.execute("SELECT path, pdf_path, docx_path FROM document") for p in row if p}
    finally:
        connection.close()
    return Progress(events, samples, frozenset(stored), frozenset(files))
