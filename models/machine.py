"""The machine's part of each stage, for all cases of a scope at once: post notices, release cases whose
windows closed, draw samples, render the letters and forms whose inputs are complete.

Prefect tasks wrap these (tasks/), tests and the benchmark call them directly; every function is
safe to call again: a second call finds nothing new to do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlmodel import Session

from models.actors import Actor
from models.case import Case, Outcome, StageRecord, Status
from models.cases import open_case_rows
from models.chain import chain_named
from models.document import Document, DocumentCase
from models.documents import (
    render_county_announcement,
    render_recheck_form,
    render_township_request,
    render_village_notice,
)
from models.engine import Move, Result, apply
from models.regions import Level, prefix
from models.sampling import Sample, SampleCase, draw_for_village
from models.windows import awaiting_window, open_window

WINDOW_DOCUMENTS: dict[str, Callable[..., Document]] = {
    "village_notice": render_village_notice,
    "county_announcement": render_county_announcement,
}


def post_notices(*, session: Session, chain: str, stage: str, scope: str, year: int, now: datetime,
                 actor: Actor) -> int:
    """Open one window per region of the stage's window level for the cases ready to be posted."""
    the_stage = chain_named(chain).stage(stage)
    assert the_stage.window_scope is not None
    groups: dict[str, list[int]] = defaultdict(list)
    for row in awaiting_window(session, open_case_rows(session, chain, year, stage, scope)):
        groups[prefix(row.village_code, the_stage.window_scope).ljust(12, "0")].append(row.id)
    for region_code, case_ids in sorted(groups.items()):
        window = open_window(session=session, scope_code=region_code, case_ids=case_ids, now=now, actor=actor)
        for kind in the_stage.documents:
            WINDOW_DOCUMENTS[kind](session, window_id=window.id, now=now)
    return sum(len(ids) for ids in groups.values())


def release(*, session: Session, chain: str, stage: str, scope: str, year: int | None, now: datetime,
            actor: Actor) -> Result:
    """Move on every case of a window stage whose window closed with no open objection; the rest stay."""
    ids = [r.id for r in open_case_rows(session, chain, year, stage, scope)]
    return apply(session=session, chain=chain, stage=stage, case_ids=ids, move=Move.ADVANCE, actor=actor, now=now,
                 strict=False)


def draw_samples(*, session: Session, chain: str, stage: str, scope: str, year: int, now: datetime,
                 actor: Actor) -> int:
    """Draw a sample in every village of the scope with cases newly at the stage; returns how many."""
    villages = sorted({r.village_code for r in open_case_rows(session, chain, year, stage, scope)})
    drawn = [draw_for_village(session=session, chain=chain, year=year, stage=stage, village_code=v, now=now,
                              actor_name=actor.name) for v in villages]
    return sum(sample is not None for sample in drawn)


def _request_batches(session: Session, chain: str, year: int, scope: str) -> dict[tuple[str, str], list[int]]:
    """Cases approved at the request stage with no request letter since: (township, signer) -> case ids."""
    letter = (
        select(DocumentCase.case_id)
        .join(Document, Document.id == DocumentCase.document_id)  # type: ignore[arg-type]
        .where(Document.kind == "township_request", DocumentCase.case_id == StageRecord.case_id,
               Document.created_at >= StageRecord.decided_at)  # type: ignore[operator]
    )
    rows = session.execute(
        select(Case.id, Case.village_code, Actor.name)
        .join(StageRecord, and_(StageRecord.case_id == Case.id, StageRecord.stage == "COUNTY_REQUEST",
                                StageRecord.outcome == Outcome.APPROVED))
        .join(Actor, Actor.id == StageRecord.actor_id)  # type: ignore[arg-type]
        .where(Case.chain == chain, Case.year == year, Case.village_code.startswith(scope),  # type: ignore[attr-defined]
               ~exists(letter))
        .order_by(Case.id)
    ).all()
    batches: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case_id, village, signer in rows:
        batches[(prefix(village, Level.TOWNSHIP).ljust(12, "0"), signer)].append(case_id)
    return batches


def _finished_samples(session: Session, chain: str, year: int, scope: str, stage: str) -> list[int]:
    """Samples with no form yet whose drawn households have all been decided at the stage."""
    pending = (
        select(SampleCase.sample_id)
        .join(StageRecord, StageRecord.id == SampleCase.stage_record_id)  # type: ignore[arg-type]
        .join(Case, Case.id == SampleCase.case_id)  # type: ignore[arg-type]
        .where(SampleCase.sample_id == Sample.id, SampleCase.drawn.is_(True),  # type: ignore[attr-defined]
               StageRecord.outcome.is_(None), Case.status == Status.ACTIVE)  # type: ignore[union-attr]
    )
    return list(session.execute(
        select(Sample.id).where(Sample.chain == chain, Sample.year == year, Sample.stage == stage,
                                Sample.village_code.startswith(scope),  # type: ignore[attr-defined]
                                Sample.document_id.is_(None), ~exists(pending))  # type: ignore[union-attr]
        .order_by(Sample.id)
    ).scalars())


def render_ready_documents(*, session: Session, chain: str, stage: str, scope: str, year: int,
                           now: datetime) -> int:
    """Render the request letters and spot-check forms of the stage whose inputs are complete."""
    kinds = chain_named(chain).stage(stage).documents
    rendered = 0
    if "township_request" in kinds:
        for (township, signer), case_ids in sorted(_request_batches(session, chain, year, scope).items()):
            render_township_request(session, township_code=township, chain=chain, year=year, case_ids=case_ids,
                                    signer=signer, now=now)
            rendered += 1
    if "recheck_form" in kinds:
        for sample_id in _finished_samples(session, chain, year, scope, stage):
            sample = session.get(Sample, sample_id)
            assert sample is not None
            sample.document_id = render_recheck_form(session, sample_id=sample_id, now=now).id
            session.add(sample)
            rendered += 1
    return rendered
