"""Tasks that render the documents a stage produces, for every batch of a scope that is ready."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from prefect import get_run_logger, task
from sqlalchemy import and_, exists, select
from sqlmodel import Session

from models.actors import Actor
from models.case import Case, Outcome, StageRecord, Status
from models.chain import chain_named
from models.document import Document, DocumentCase
from models.documents import (
    render_county_announcement,
    render_recheck_form,
    render_township_request,
    render_village_notice,
)
from models.regions import Level, prefix
from models.sampling import Sample, SampleCase
from tasks.context import moment, work

WINDOW_DOCUMENTS = {"village_notice": render_village_notice, "county_announcement": render_county_announcement}


def render_window_document(session: Session, *, chain: str, stage: str, window_id: int, now: datetime) -> None:
    """Render the notice posted for a window just opened."""
    for kind in chain_named(chain).stage(stage).documents:
        WINDOW_DOCUMENTS[kind](session, window_id=window_id, now=now)


def _request_batches(session: Session, chain: str, year: int, scope: str) -> dict[tuple[str, str], list[int]]:
    """Cases approved at the request stage with no request letter since: (township, signer) -> case ids."""
    letter = (
        select(DocumentCase.case_id)
        .join(Document, Document.id == DocumentCase.document_id)  # type: ignore[arg-type]
        .where(Document.kind == "township_request", DocumentCase.case_id == StageRecord.case_id,
               Document.created_at >= StageRecord.decided_at)
    )
    rows = session.execute(
        select(Case.id, Case.village_code, Actor.name)
        .join(StageRecord, and_(StageRecord.case_id == Case.id, StageRecord.stage == "COUNTY_REQUEST",
                                StageRecord.outcome == Outcome.APPROVED))
        .join(Actor, Actor.id == StageRecord.actor_id)
        .where(Case.chain == chain, Case.year == year, Case.village_code.startswith(scope), ~exists(letter))
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


@task(retries=2, retry_delay_seconds=1)
def render_stage_documents(chain: str, stage: str, scope: str, year: int, now: str | datetime | None = None) -> int:
    """Render the request letters and spot-check forms whose inputs are complete."""
    when = moment(now)
    kinds = chain_named(chain).stage(stage).documents
    rendered = 0
    with work() as (session, _system):
        if "township_request" in kinds:
            for (township, signer), case_ids in sorted(_request_batches(session, chain, year, scope).items()):
                render_township_request(session, township_code=township, chain=chain, year=year,
                                        case_ids=case_ids, signer=signer, now=when)
                rendered += 1
        if "recheck_form" in kinds:
            for sample_id in _finished_samples(session, chain, year, scope, stage):
                document = render_recheck_form(session, sample_id=sample_id, now=when)
                sample = session.get(Sample, sample_id)
                assert sample is not None
                sample.document_id = document.id
                session.add(sample)
                rendered += 1
    get_run_logger().info("%s: rendered %d documents", stage, rendered)
    return rendered
