"""The monthly monitoring round summary (月度动态监测汇总表) of one village: each household observed with the six
items of 两不愁三保障一安全, and the warnings the round raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.monitoring.campaign import CHAIN
from models.chains.monitoring.tables import (
    MonitoringCampaign,
    MonitoringObservation,
    MonitoringPhase,
    MonitoringRound,
    MonitoringWarning,
)
from models.core.actors import Actor
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import NotFound
from models.core.household import Household
from models.documents.common import parent, region, stage_issuing
from models.documents.owed import stored_paths
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import document_path, render, store
from models.home_checks.standards import GUARANTEES

KIND = "monitoring_round_summary"
MET, MISSING = "✓", "✗"


@dataclass(frozen=True)
class RoundRow:
    serial: int
    group: str
    head: str
    number: str
    marks: tuple[str, ...]
    missing: str


@dataclass(frozen=True)
class ItemCount:
    label: str
    households: int


@dataclass(frozen=True)
class RoundSummaryContext:
    title: str
    campaign: str
    phase: str
    township: str
    village: str
    held_on: date
    monitor: str
    headers: tuple[str, ...]
    rows: tuple[RoundRow, ...]
    households: int
    warned_households: int
    warnings: int
    by_item: tuple[ItemCount, ...]
    made_on: date


def build_round_summary_context(session: Session, *, round_id: int, now: datetime) -> RoundSummaryContext:
    held = session.get(MonitoringRound, round_id)
    if held is None:
        raise NotFound(f"动态监测记录{round_id}不存在")
    campaign = session.get(MonitoringCampaign, held.campaign_id)
    phase = session.get(MonitoringPhase, held.phase_id)
    monitor = session.get(Actor, held.actor_id)
    assert campaign is not None and phase is not None and monitor is not None
    village = region(session, held.village_code)
    observed = session.execute(
        select(MonitoringObservation, Household)
        .join(Household, col(Household.id) == col(MonitoringObservation.household_id))
        .where(col(MonitoringObservation.round_id) == round_id).order_by(col(Household.number))
    ).tuples().all()
    rows = []
    for serial, (seen, household) in enumerate(observed, start=1):
        missing = [label for key, label in GUARANTEES.items() if not getattr(seen, key)]
        rows.append(RoundRow(serial, household.group_name, household.head_name, household.number,
                             tuple(MET if getattr(seen, key) else MISSING for key in GUARANTEES),
                             "、".join(missing) or "—"))
    warnings = session.exec(select(MonitoringWarning).where(MonitoringWarning.round_id == round_id)).all()
    return RoundSummaryContext(
        title=f"{village.name}{held.held_on.year}年{held.month}月防止返贫动态监测汇总表", campaign=campaign.name,
        phase=phase.name, township=parent(session, village).name, village=village.name, held_on=held.held_on,
        monitor=monitor.title(), headers=tuple(GUARANTEES.values()), rows=tuple(rows), households=len(rows),
        warned_households=len({w.household_id for w in warnings}), warnings=len(warnings),
        by_item=tuple(ItemCount(label, sum(1 for w in warnings if w.guarantee == key))
                      for key, label in GUARANTEES.items()),
        made_on=local_date(now),
    )


def render_round_summary(session: Session, *, round_id: int, now: datetime) -> Document:
    """Render and store a round's summary (internal; the caller commits), linked to the cases it warned."""
    context = build_round_summary_context(session, round_id=round_id, now=now)
    held = session.get(MonitoringRound, round_id)
    assert held is not None
    case_ids = [c for c in session.exec(select(MonitoringWarning.case_id).where(
        MonitoringWarning.round_id == round_id)).all() if c is not None]
    return store(
        session, kind=KIND, chain=CHAIN, year=held.held_on.year, stage=stage_issuing(CHAIN, KIND),
        scope_code=held.village_code, case_ids=case_ids, html=render(f"{KIND}.html.j2", context), public=False,
        number="", now=now, suffix=_suffix(held),
    )


def _suffix(held: MonitoringRound) -> str:
    return f"{held.held_on.year}-{held.month:02d}"


def _ready(session: Session, run: Run) -> list[int]:
    """The run's monthly rounds held (rounds of the year in its villages) with no summary yet, in order."""
    held = session.exec(select(MonitoringRound).where(col(MonitoringRound.village_code).startswith(run.scope))
                        .order_by(col(MonitoringRound.id))).all()
    paths = {str(document_path(kind=KIND, year=r.held_on.year, scope_code=r.village_code, suffix=_suffix(r))): r.id
             for r in held if r.held_on.year == run.year and r.id is not None}
    stored = stored_paths(session, KIND, list(paths))
    return [id_ for path, id_ in paths.items() if path not in stored and id_ is not None]


def _render(session: Session, run: Run, round_id: int, now: datetime) -> Document:
    return render_round_summary(session, round_id=round_id, now=now)


register(Paper(KIND, "月度动态监测汇总表", Trigger.RECORDED, Scope.VILLAGE, _ready, _render))
