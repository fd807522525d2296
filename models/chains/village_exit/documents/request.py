"""The township's request (请示) to the county for its villages' exit (chain B): one addressee, the villages with
their acceptance figures (incidence, collective income, score), the publicity done, and the request; GB/T 9704."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from models.chains.village_exit.standards import VillageAssessment, percent, rate
from models.core.actors import Actor
from models.core.case import Outcome
from models.core.clock import local_date
from models.core.document import Document
from models.core.regions import Level, prefix
from models.documents.common import Foot, cases_suffix, foot, official_number, parent, region, title_lines
from models.documents.decided import Decided, decided_without
from models.documents.owed import region_of
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import document_path, render, store

KIND = "village_request"
STAGE = "VILLAGE_REQUEST"
ACCEPTANCE = "VILLAGE_ACCEPTANCE"


@dataclass(frozen=True)
class VillageRow:
    serial: int
    village: str
    population: int
    poor: int
    incidence: str
    collective_income: Decimal
    score: Decimal


@dataclass(frozen=True)
class VillageRequestContext:
    office_name: str
    number: str
    signer: str
    title: str
    title_lines: tuple[str, ...]
    addressee: str
    township: str
    year: int
    villages: tuple[VillageRow, ...]
    issued_on: date
    contact_name: str
    contact_phone: str
    attachment_title: str
    attachment_lines: tuple[str, ...]
    foot: Foot


def _rows(session: Session, decisions: list[Decided]) -> tuple[VillageRow, ...]:
    """Each village's newest acceptance figures (the township's form at 填报验收审批表)."""
    latest: dict[int, VillageAssessment] = {}
    for assessment in session.exec(
        select(VillageAssessment).where(col(VillageAssessment.case_id).in_([d.case_id for d in decisions]),
                                        VillageAssessment.stage == ACCEPTANCE)
        .order_by(col(VillageAssessment.assessed_at), col(VillageAssessment.id))
    ):
        latest[assessment.case_id] = assessment
    ordered = sorted(decisions, key=lambda d: d.village_code)
    return tuple(
        VillageRow(serial, region(session, d.village_code).name, a.registered_population, a.poor_people,
                   percent(rate(a.poor_people, a.registered_population)), a.collective_income, a.score)
        for serial, (d, a) in enumerate(((d, latest[d.case_id]) for d in ordered if d.case_id in latest), start=1)
    )


def render_village_request(session: Session, *, chain: str, year: int, township_code: str,
                           decisions: list[Decided], now: datetime) -> Document:
    """Render and store the 请示 for these villages of one township (internal; numbered in the township's
    sequence of official documents; the caller commits)."""
    township = region(session, township_code)
    county = parent(session, township)
    case_ids = [d.case_id for d in decisions]
    path = document_path(kind=KIND, year=year, scope_code=township_code, suffix=cases_suffix(case_ids))
    number = official_number(session, kind=KIND, year=year, scope_prefix=prefix(township_code, Level.TOWNSHIP),
                             path=path, doc_prefix=township.doc_prefix)
    signers = {d.actor_id for d in decisions if d.actor_id is not None}
    signer = ", ".join(sorted(session.scalars(select(col(Actor.name)).where(col(Actor.id).in_(signers))).all()))
    issued_on = local_date(max(d.decided_at for d in decisions))
    lines = title_lines("关于", township.name, f"{year}年度", "贫困村退出", "的请示")
    attachment = title_lines(township.name, f"{year}年度", "拟退出贫困村", "验收情况汇总表")
    context = VillageRequestContext(
        office_name=township.office_name, number=number, signer=signer, title="".join(lines), title_lines=lines,
        addressee=county.office_name, township=township.name, year=year, villages=_rows(session, decisions),
        issued_on=issued_on, contact_name=township.contact_name, contact_phone=township.contact_phone,
        attachment_title="".join(attachment), attachment_lines=attachment,
        foot=foot(township, [f"{county.name}扶贫开发领导小组办公室"], issued_on),
    )
    return store(
        session, kind=KIND, chain=chain, year=year, stage=STAGE, scope_code=township_code, case_ids=case_ids,
        html=render(f"{KIND}.html.j2", context), public=False, number=number, now=now,
        suffix=cases_suffix(case_ids),
    )


@dataclass(frozen=True)
class RequestBatch:
    """The villages one township's signer approved for the request with no 请示 since."""

    township_code: str
    decisions: list[Decided]


def _ready(session: Session, run: Run) -> list[RequestBatch]:
    """Villages the township approved for its request with no request letter since, by township and signer."""
    batches: dict[tuple[str, int], list[Decided]] = defaultdict(list)
    for decided in decided_without(session, chain=run.chain, year=run.year, scope=run.scope, stage=run.stage,
                                   kind=KIND):
        if decided.outcome == Outcome.APPROVED:
            batches[(region_of(decided.village_code, Level.TOWNSHIP), decided.actor_id or 0)].append(decided)
    return [RequestBatch(township, decisions) for (township, _signer), decisions in sorted(batches.items())]


def _render(session: Session, run: Run, batch: RequestBatch, now: datetime) -> Document:
    return render_village_request(session, chain=run.chain, year=run.year, township_code=batch.township_code,
                                  decisions=batch.decisions, now=now)


register(Paper(KIND, "请示", Trigger.DECIDED, Scope.TOWNSHIP, _ready, _render))
