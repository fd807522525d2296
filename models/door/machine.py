"""The machine's part of each stage, for all cases of a scope at once: post notices, release cases whose
windows closed, draw samples, render the letters and forms whose inputs are complete.

Prefect tasks wrap these (tasks/), tests and the benchmark call them directly; every function is
safe to call again: a second call finds nothing new to do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import and_, exists, func, select
from sqlmodel import Session

from models.chains.edge_identify.documents.announcement import render_edge_announcement
from models.chains.edge_identify.documents.notice import render_edge_notice
from models.chains.household_exit.documents.county_announcement import render_county_announcement
from models.chains.household_exit.documents.home_check_form import ready_batches as home_check_batches
from models.chains.household_exit.documents.home_check_form import render_home_check_form
from models.chains.household_exit.documents.recheck_form import render_recheck_form
from models.chains.household_exit.documents.township_request import render_township_request
from models.chains.household_exit.documents.village_notice import render_village_notice
from models.chains.key_village.documents.check_form import KINDS as KEY_VILLAGE_CHECK_FORMS
from models.chains.key_village.documents.check_form import render_key_village_check_form
from models.chains.key_village.documents.notice import render_key_village_notice
from models.chains.relative_identify.documents.notice import render_relative_notice
from models.chains.village_exit.documents.notice import render_village_exit_notice
from models.chains.village_exit.documents.request import ready_batches as village_request_batches
from models.chains.village_exit.documents.request import render_village_request
from models.core.actors import Actor
from models.core.case import Outcome, Status
from models.core.document import Document, DocumentCase
from models.core.regions import Level, prefix
from models.documents import application, minutes, registration_form
from models.documents.decided import Decided
from models.door.cases import CASE, RECORD, hold_scope, open_case_rows
from models.door.chain import chain_named
from models.door.engine import WINDOW, Move, Result, apply
from models.door.sampling import Sample, SampleCase, draw_for_village
from models.door.windows import awaiting_window, open_window

ACTOR = Actor.__table__  # type: ignore[attr-defined]
DOCUMENT = Document.__table__  # type: ignore[attr-defined]
LINK = DocumentCase.__table__  # type: ignore[attr-defined]
SAMPLE = Sample.__table__  # type: ignore[attr-defined]
SAMPLE_CASE = SampleCase.__table__  # type: ignore[attr-defined]
# Papers of a stage's decisions, one per village and day of decision: kind -> (batches owed, renderer).
DAY_PAPERS: dict[str, tuple[Callable[[Session, str, int, str, str], dict[tuple[str, date], list[Decided]]],
                            Callable[..., Document]]] = {
    "application": (application.ready_batches, application.render_application),
    "minutes": (minutes.ready_batches, minutes.render_minutes),
    "registration_form": (registration_form.ready_batches, registration_form.render_registration_form),
}
# Forms of the samples a checking team draws per county (chain D's city and provincial checks), each rendered once
# every drawn village is decided: kind -> renderer.
COUNTY_SAMPLE_FORMS: dict[str, Callable[..., Document]] = dict.fromkeys(KEY_VILLAGE_CHECK_FORMS.values(),
                                                                        render_key_village_check_form)
# Letters and forms are rendered once their inputs are complete; notices, when their window opens.
LETTERS = {*DAY_PAPERS, "home_check_form", "township_request", "village_request", "recheck_form",
           *COUNTY_SAMPLE_FORMS}
WINDOW_DOCUMENTS: dict[str, Callable[..., Document]] = {
    "village_notice": render_village_notice,
    "county_announcement": render_county_announcement,
    "village_exit_notice": render_village_exit_notice,
    "village_exit_announcement": render_village_exit_notice,
    "edge_notice": render_edge_notice,
    "edge_announcement": render_edge_announcement,
    "key_village_notice": render_key_village_notice,
    "relative_notice": render_relative_notice,
}


def post_notices(*, session: Session, chain: str, stage: str, scope: str, year: int, now: datetime,
                 actor: Actor) -> int:
    """Open one window per region of the stage's window level for the cases ready to be posted."""
    the_stage = chain_named(chain).stage(stage)
    assert the_stage.window_scope is not None
    hold_scope(session, chain, year, scope)
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


# Chains whose sampled stage the machine draws by itself (chain A's 30% re-check sample, models/door/sampling.py); the
# other chains' samples are drawn by the checking team with its own rule (village_check, relative_check).
MACHINE_SAMPLED = {"HOUSEHOLD_EXIT"}


def draw_samples(*, session: Session, chain: str, stage: str, scope: str, year: int, now: datetime,
                 actor: Actor) -> int:
    """Draw a sample in every village of the scope with cases newly at the stage; returns how many."""
    if chain not in MACHINE_SAMPLED:
        return 0
    hold_scope(session, chain, year, scope)
    villages = sorted({r.village_code for r in open_case_rows(session, chain, year, stage, scope)})
    drawn = [draw_for_village(session=session, chain=chain, year=year, stage=stage, village_code=v, now=now,
                              actor_name=actor.name) for v in villages]
    return sum(sample is not None for sample in drawn)


def _request_batches(session: Session, chain: str, year: int, scope: str) -> dict[tuple[str, str], list[int]]:
    """Cases approved at the request stage with no request letter since: (township, signer) -> case ids."""
    letter = (
        select(LINK.c.case_id)
        .join(DOCUMENT, DOCUMENT.c.id == LINK.c.document_id)
        .where(DOCUMENT.c.kind == "township_request", LINK.c.case_id == RECORD.c.case_id,
               DOCUMENT.c.created_at >= RECORD.c.decided_at)
    )
    rows = session.execute(
        select(CASE.c.id, CASE.c.village_code, ACTOR.c.name)
        .join(RECORD, and_(RECORD.c.case_id == CASE.c.id, RECORD.c.stage == "COUNTY_REQUEST",
                           RECORD.c.outcome == Outcome.APPROVED))
        .join(ACTOR, ACTOR.c.id == RECORD.c.actor_id)
        .where(CASE.c.chain == chain, CASE.c.year == year, CASE.c.village_code.startswith(scope), ~exists(letter))
        .order_by(CASE.c.id)
    ).tuples().all()
    batches: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case_id, village, signer in rows:
        batches[(prefix(village, Level.TOWNSHIP).ljust(12, "0"), signer)].append(case_id)
    return batches


def _finished_samples(session: Session, chain: str, year: int, scope: str, stage: str) -> list[int]:
    """Samples with no form yet whose drawn households have all been decided at the stage."""
    undecided = (
        select(SAMPLE_CASE.c.sample_id)
        .join(RECORD, RECORD.c.id == SAMPLE_CASE.c.stage_record_id)
        .join(CASE, CASE.c.id == SAMPLE_CASE.c.case_id)
        .where(SAMPLE_CASE.c.sample_id == SAMPLE.c.id, SAMPLE_CASE.c.drawn.is_(True), RECORD.c.outcome.is_(None),
               CASE.c.status == Status.ACTIVE)
    )
    return list(session.execute(
        select(SAMPLE.c.id).where(SAMPLE.c.chain == chain, SAMPLE.c.year == year, SAMPLE.c.stage == stage,
                                  SAMPLE.c.village_code.startswith(scope), SAMPLE.c.document_id.is_(None),
                                  ~exists(undecided))
        .order_by(SAMPLE.c.id)
    ).scalars())


def render_ready_documents(*, session: Session, chain: str, stage: str, scope: str, year: int,
                           now: datetime) -> int:
    """Render the stage's papers whose inputs are complete: applications, meeting minutes, home-check and
    registration forms, request letters, spot-check forms."""
    kinds = chain_named(chain).stage(stage).documents
    hold_scope(session, chain, year, scope)
    rendered = 0
    for kind in (k for k in DAY_PAPERS if k in kinds):
        batches, render_paper = DAY_PAPERS[kind]
        for (village, _day), decisions in sorted(batches(session, chain, year, scope, stage).items()):
            render_paper(session, chain=chain, year=year, stage=stage, village_code=village, decisions=decisions,
                         now=now)
            rendered += 1
    if "home_check_form" in kinds:
        for village, case_ids in sorted(home_check_batches(session, chain, year, scope).items()):
            render_home_check_form(session, chain=chain, village_code=village, year=year, case_ids=case_ids, now=now)
            rendered += 1
    if "village_request" in kinds:
        for (township, _signer), decisions in sorted(village_request_batches(session, chain, year, scope).items(),
                                                      key=lambda item: (item[0][0], item[0][1] or 0)):
            render_village_request(session, chain=chain, year=year, township_code=township, decisions=decisions,
                                   now=now)
            rendered += 1
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
    for kind in (k for k in COUNTY_SAMPLE_FORMS if k in kinds):
        for sample_id in _finished_samples(session, chain, year, scope[:6], stage):  # a township's run: its county's
            COUNTY_SAMPLE_FORMS[kind](session, sample_id=sample_id, now=now)
            rendered += 1
    return rendered


def pending(*, session: Session, chain: str, scope: str, year: int, now: datetime) -> set[str]:
    """What the machine has to do in the scope: "windows" if a window is due to close, and the stages with work."""
    active = dict(session.execute(
        select(CASE.c.stage, func.count()).where(
            CASE.c.chain == chain, CASE.c.year == year, CASE.c.status == Status.ACTIVE,
            CASE.c.village_code.startswith(scope)).group_by(CASE.c.stage)
    ).tuples().all())
    todo: set[str] = set()
    due = select(WINDOW.c.id).where(WINDOW.c.closed_at.is_(None), WINDOW.c.ends_at <= now,
                                    WINDOW.c.scope_code.startswith(scope)).limit(1)
    if session.execute(due).first() is not None:
        todo.add("windows")
    for stage in chain_named(chain).stages:
        if (stage.window or (stage.sampled and chain in MACHINE_SAMPLED)) and active.get(stage.code):
            todo.add(stage.code)
        if any(DAY_PAPERS[k][0](session, chain, year, scope, stage.code) for k in DAY_PAPERS
               if k in stage.documents) or (
                "home_check_form" in stage.documents and home_check_batches(session, chain, year, scope)) or (
                "township_request" in stage.documents and _request_batches(session, chain, year, scope)) or (
                "village_request" in stage.documents and village_request_batches(session, chain, year, scope)) or (
                "recheck_form" in stage.documents and _finished_samples(session, chain, year, scope, stage.code)) or (
                set(stage.documents) & set(COUNTY_SAMPLE_FORMS)
                and _finished_samples(session, chain, year, scope[:6], stage.code)):
            todo.add(stage.code)
    return todo
