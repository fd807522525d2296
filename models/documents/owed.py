"""Which batches a kind's papers are still owed for, beyond a stage's single decisions (models/documents/decided.py):
finished samples, regions whose cases are all decided at a stage, and entries with no paper made since."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlmodel import Session

from models.core.case import Status
from models.core.clock import to_db
from models.core.document import Document, DocumentCase
from models.core.regions import Level, prefix
from models.documents.registry import Run
from models.door.cases import CASE, RECORD
from models.door.chain import chain_named
from models.door.sampling import Sample, SampleCase

DOCUMENT = Document.__table__  # type: ignore[attr-defined]
LINK = DocumentCase.__table__  # type: ignore[attr-defined]
SAMPLE = Sample.__table__  # type: ignore[attr-defined]
SAMPLE_CASE = SampleCase.__table__  # type: ignore[attr-defined]


def region_of(code: str, level: Level) -> str:
    """The 12-digit code of the region at `level` that holds `code`."""
    return prefix(code, level).ljust(12, "0")


def finished_samples(session: Session, run: Run) -> list[int]:
    """The run's samples at its stage with no form yet whose drawn cases have all been decided there."""
    undecided = (
        select(SAMPLE_CASE.c.sample_id)
        .join(RECORD, RECORD.c.id == SAMPLE_CASE.c.stage_record_id)
        .join(CASE, CASE.c.id == SAMPLE_CASE.c.case_id)
        .where(SAMPLE_CASE.c.sample_id == SAMPLE.c.id, SAMPLE_CASE.c.drawn.is_(True), RECORD.c.outcome.is_(None),
               CASE.c.status == Status.ACTIVE)
    )
    return list(session.execute(
        select(SAMPLE.c.id).where(SAMPLE.c.chain == run.chain, SAMPLE.c.year == run.year, SAMPLE.c.stage == run.stage,
                                  SAMPLE.c.village_code.startswith(run.scope), SAMPLE.c.document_id.is_(None),
                                  ~exists(undecided))
        .order_by(SAMPLE.c.id)
    ).scalars())


def newest_papers(session: Session, kind: str, regions: Sequence[str]) -> dict[str, datetime]:
    """When each region's newest `kind` paper was made (regions with none are left out)."""
    return {code: to_db(made) for code, made in session.execute(
        select(DOCUMENT.c.scope_code, func.max(DOCUMENT.c.created_at))
        .where(DOCUMENT.c.kind == kind, DOCUMENT.c.scope_code.in_(list(regions))).group_by(DOCUMENT.c.scope_code)
    ).tuples()}


def decided_since_paper(session: Session, run: Run, level: Level, kind: str,
                        stage: str | None = None) -> dict[str, datetime]:
    """Regions at `level` in the run's scope with a decision at the stage (the run's, unless named) newer than the
    region's newest `kind` paper: region -> its newest decision there."""
    newest: dict[str, datetime] = {}
    for village, decided in session.execute(
        select(CASE.c.village_code, func.max(RECORD.c.decided_at))
        .join(RECORD, RECORD.c.case_id == CASE.c.id)
        .where(CASE.c.chain == run.chain, CASE.c.year == run.year, CASE.c.village_code.startswith(run.scope),
               RECORD.c.stage == (stage or run.stage), RECORD.c.outcome.is_not(None))
        .group_by(CASE.c.village_code)
    ).tuples():
        code = region_of(village, level)
        newest[code] = max(newest.get(code, to_db(decided)), to_db(decided))
    papers = newest_papers(session, kind, sorted(newest))
    return {code: moment for code, moment in sorted(newest.items()) if code not in papers or papers[code] < moment}


def waiting_regions(session: Session, run: Run, level: Level, stage: str | None = None) -> set[str]:
    """Regions at `level` in the run's scope with an active case at the stage (the run's, unless named) or before
    it, still to be decided there."""
    codes = [s.code for s in chain_named(run.chain).stages]
    through = codes[: codes.index(stage or run.stage) + 1]
    villages = session.execute(
        select(CASE.c.village_code).distinct()
        .where(CASE.c.chain == run.chain, CASE.c.year == run.year, CASE.c.village_code.startswith(run.scope),
               CASE.c.status == Status.ACTIVE, CASE.c.stage.in_(through))
    ).scalars()
    return {region_of(v, level) for v in villages}


def batch_decided(session: Session, run: Run, level: Level, kind: str, stage: str | None = None) -> list[str]:
    """Regions at `level` whose cases are all decided at the stage (none waits there or before it) with a decision
    newer than the region's newest `kind` paper, in code order."""
    waiting = waiting_regions(session, run, level, stage)
    return [code for code in decided_since_paper(session, run, level, kind, stage) if code not in waiting]


def linked_since(session: Session, kind: str, stage: str, since: Mapping[int, datetime]) -> set[int]:
    """The cases of `since` that a `kind` paper of the stage made at or after their moment is linked to."""
    made: dict[int, datetime] = {}
    for case_id, created in session.execute(
        select(LINK.c.case_id, func.max(DOCUMENT.c.created_at)).join(DOCUMENT, DOCUMENT.c.id == LINK.c.document_id)
        .where(DOCUMENT.c.kind == kind, DOCUMENT.c.stage == stage, LINK.c.case_id.in_(list(since)))
        .group_by(LINK.c.case_id)
    ).tuples():
        made[case_id] = to_db(created)
    return {case_id for case_id, moment in since.items() if case_id in made and made[case_id] >= to_db(moment)}


def stored_paths(session: Session, kind: str, paths: Sequence[str]) -> set[str]:
    """Which of these paths a `kind` paper is stored at."""
    return set(session.execute(
        select(DOCUMENT.c.path).where(DOCUMENT.c.kind == kind, DOCUMENT.c.path.in_(list(paths)))).scalars())
