"""The machine's part of each stage, for all cases of a scope at once: post notices, release cases whose
windows closed, draw samples, render the papers whose inputs are complete (each kind's trigger and finder come from
the document registry, models/documents/registry.py; the chains' contract is checked before the first).

Prefect tasks wrap these (tasks/), tests and the benchmark call them directly; every function is
safe to call again: a second call finds nothing new to do.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from models.core.actors import Actor
from models.core.case import Status
from models.core.regions import Region, prefix
from models.documents.registry import Paper, Run, notices_of, papers_of
from models.door.cases import CASE, hold_scope, open_case_ids, open_case_rows
from models.door.chain import Sampler, chain_named
from models.door.contract import checked
from models.door.engine import WINDOW, Move, Result, apply
from models.door.sampling import draw_for_village
from models.door.windows import awaiting_window, open_window

REGION = Region.__table__  # type: ignore[attr-defined]


def post_notices(*, session: Session, chain: str, stage: str, scope: str, year: int, now: datetime,
                 actor: Actor) -> int:
    """Open one window per region of the stage's window level for the cases ready to be posted, each with the
    notices the stage lists."""
    checked()
    the_chain = chain_named(chain)
    the_stage = the_chain.stage(stage)
    assert the_stage.window_scope is not None
    notices = notices_of(the_chain, stage)
    hold_scope(session, chain, year, scope)
    groups: dict[str, list[int]] = defaultdict(list)
    for row in awaiting_window(session, open_case_rows(session, chain, year, stage, scope)):
        groups[prefix(row.village_code, the_stage.window_scope).ljust(12, "0")].append(row.id)
    for region_code, case_ids in sorted(groups.items()):
        window = open_window(session=session, scope_code=region_code, case_ids=case_ids, now=now, actor=actor)
        assert window.id is not None  # flushed by open_window
        for notice in notices:
            notice.render(session, window_id=window.id, now=now)
    return sum(len(ids) for ids in groups.values())


def release(*, session: Session, chain: str, stage: str, scope: str, year: int | None, now: datetime,
            actor: Actor) -> Result:
    """Move on every case of a window stage whose window closed with no open objection; the rest stay."""
    ids = open_case_ids(session, chain, year, stage, scope)
    return apply(session=session, chain=chain, stage=stage, case_ids=ids, move=Move.ADVANCE, actor=actor, now=now,
                 strict=False)


def draw_samples(*, session: Session, chain: str, stage: str, scope: str, year: int, now: datetime,
                 actor: Actor) -> int:
    """Draw a sample in every village of the scope with cases newly at the stage, if the machine draws the stage's
    samples (a checking team draws its own: Sampler.TEAM); returns how many."""
    if chain_named(chain).stage(stage).sampling is not Sampler.MACHINE:
        return 0
    hold_scope(session, chain, year, scope)
    villages = sorted({r.village_code for r in open_case_rows(session, chain, year, stage, scope)})
    drawn = [draw_for_village(session=session, chain=chain, year=year, stage=stage, village_code=v, now=now,
                              actor_name=actor.name) for v in villages]
    return sum(sample is not None for sample in drawn)


def _runs(chain: str, stage: str, scope: str, year: int) -> list[tuple[Paper[Any], Run]]:
    """The stage's papers, each with where to look for it: the scope, widened to the paper's region (a township's
    run renders its county's tables)."""
    run = Run(chain, year, stage, scope)
    return [(paper, run.widened(paper.scope)) for paper in papers_of(chain_named(chain), stage)]


def has_papers(chain: str, stage: str) -> bool:
    """Whether the stage lists papers for render_ready_documents (beyond the notices post_notices renders)."""
    return bool(papers_of(chain_named(chain), stage))


def render_ready_documents(*, session: Session, chain: str, stage: str, scope: str, year: int,
                           now: datetime) -> int:
    """Render every paper the stage lists (models/documents/registry.py) whose inputs are complete and which is not
    rendered yet: applications, minutes, forms, request letters, tables, notices of assignment...; returns how many."""
    checked()
    hold_scope(session, chain, year, scope)
    rendered = 0
    for paper, run in _runs(chain, stage, scope, year):
        if run.scope != scope:
            # Several townships' runs may find the same county's paper owed: the first to lock the county
            # renders it, the others wait and then find it made.
            session.execute(select(REGION.c.code).where(REGION.c.code == run.scope.ljust(12, "0")).with_for_update())
        for batch in paper.ready(session, run):
            paper.render(session, run, batch, now)
            rendered += 1
    return rendered


def pending(*, session: Session, chain: str, scope: str, year: int, now: datetime) -> set[str]:
    """What the machine has to do in the scope: "windows" if a window is due to close, and the stages with work
    (cases to post, release or sample, or a paper owed)."""
    checked()
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
        if ((stage.window or stage.sampling is Sampler.MACHINE) and active.get(stage.code)) or any(
                paper.ready(session, run) for paper, run in _runs(chain, stage.code, scope, year)):
            todo.add(stage.code)
    return todo
