"""The township's request (请示) to the county for its exiting households, with the roster (花名册) attached."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.core.actors import Actor
from models.core.case import Case, Outcome, StageRecord
from models.core.clock import local_date
from models.core.document import Document
from models.core.errors import InvalidInput
from models.core.publicity import Objection, ObjectionStatus, Window, WindowCase
from models.core.regions import Level, prefix
from models.documents.common import (
    Foot,
    Listed,
    Person,
    VillageCount,
    assessed_before,
    cases_suffix,
    foot,
    listed_households,
    official_number,
    parent,
    region,
    stage_issuing,
    title_lines,
    village_counts,
    window_days,
)
from models.documents.decided import decided_without
from models.documents.owed import region_of
from models.documents.registry import Paper, Run, Scope, Trigger, register
from models.documents.render import document_path, render, store
from models.home_checks.standards import Assessment
from models.policy.loading import policy_for

KIND = "township_request"


@dataclass(frozen=True)
class Publicity:
    """The villages that posted their notices over the same days."""

    villages: str
    first_day: date
    last_day: date


@dataclass(frozen=True)
class RosterHousehold:
    """One household of the roster; it prints one row per member."""

    serial: int
    village: str
    group: str
    head: str
    members: tuple[Person, ...]
    size: int
    per_capita: Decimal | None
    exit_year: int


@dataclass(frozen=True)
class TownshipRequestContext:
    office_name: str
    number: str
    signer: str
    title: str
    title_lines: tuple[str, ...]
    addressee: str
    township: str
    we: str
    year: int
    income_rule: str
    households: int
    people: int
    villages: tuple[VillageCount, ...]
    checked: int
    passed: int
    signed: int
    publicity: tuple[Publicity, ...]
    objections: int
    upheld: int
    dismissed: int
    pending: int
    objection_note: str
    issued_on: date
    contact_name: str
    contact_phone: str
    roster_title: str
    roster_title_lines: tuple[str, ...]
    roster: tuple[RosterHousehold, ...]
    foot: Foot


def _latest_assessments(session: Session, stage: str, case_ids: list[int]) -> dict[int, Assessment]:
    found: dict[int, Assessment] = {}
    for assessment in session.exec(
        select(Assessment).where(Assessment.stage == stage, col(Assessment.case_id).in_(case_ids))
        .order_by(col(Assessment.checked_at), col(Assessment.id))
    ):
        found[assessment.case_id] = assessment
    return found


def _windows(session: Session, chain: str, case_ids: list[int]) -> list[Window]:
    """The village publicity windows that carried these cases here (each case's latest), in village and date order.

    A window also lists the households sent back from it (an objection upheld), so its objections count them too.
    """
    latest: dict[int, Window] = {}
    for case_id, window in session.exec(
        select(WindowCase.case_id, Window).join(Window, col(Window.id) == col(WindowCase.window_id))
        .where(col(WindowCase.case_id).in_(case_ids), Window.stage == stage_issuing(chain, "village_notice"))
        .order_by(col(Window.opened_at), col(Window.id))
    ):
        latest[case_id] = window
    unique = {w.id: w for w in latest.values()}
    return sorted(unique.values(), key=lambda w: (w.scope_code, w.opened_at, w.id or 0))


def _publicity(session: Session, windows: list[Window]) -> tuple[Publicity, ...]:
    villages: dict[tuple[date, date], list[str]] = {}
    for window in windows:
        name = region(session, window.scope_code).name
        names = villages.setdefault(window_days(window), [])
        if name not in names:
            names.append(name)
    return tuple(Publicity("、".join(names), first, last) for (first, last), names in sorted(villages.items()))


def _objections(session: Session, windows: list[Window]) -> Counter[str]:
    """Every objection raised in these windows, by status: also those against households since sent back."""
    window_ids = [w.id for w in windows]
    return Counter(session.exec(select(Objection.status).where(col(Objection.window_id).in_(window_ids))).all())


def objection_note(upheld: int, dismissed: int, pending: int) -> str:
    """The sentence of the 请示 on the objections of its windows: how many, and what became of them."""
    total = upheld + dismissed + pending
    if not total:
        return "公示期间未收到异议。"
    found = [f"异议成立{upheld}件，已退回重新核查"] if upheld else []
    found += [f"异议不成立{dismissed}件"] if dismissed else []
    sentence = f"公示期间共收到异议{total}件"
    if found:
        sentence += "，经核实，" + "；".join(found)
    if pending:
        sentence += f"{'；另有' if found else '，'}{pending}件尚在核实"
    return sentence + "。"


def _decided_on(session: Session, stage: str, case_ids: list[int], now: datetime) -> date:
    """The day the township government decided to request: the latest decision of these cases at `stage`.

    Only cases never decided there (a request drafted ahead of the decision) fall back to `now`.
    """
    decided = session.exec(
        select(func.max(StageRecord.decided_at)).where(
            StageRecord.stage == stage, col(StageRecord.case_id).in_(case_ids),
            col(StageRecord.decided_at).is_not(None))
    ).one()
    return local_date(decided if decided is not None else now)


def build_township_request_context(
    session: Session, *, township_code: str, chain: str, year: int, case_ids: list[int], signer: str, number: str,
    now: datetime,
) -> TownshipRequestContext:
    """What the 请示 and its roster print, for these cases of one township."""
    township = region(session, township_code)
    county = parent(session, township)
    record = f"{township.name}请示"
    if not case_ids:
        raise InvalidInput(record, "案件", 0, "请示须至少包含1户")
    households = listed_households(session, case_ids)
    foreign = session.exec(
        select(Case.id).where(col(Case.id).in_(case_ids), (Case.chain != chain) | (Case.year != year))
    ).first()
    if foreign is not None:
        raise InvalidInput(record, "案件", foreign, f"不是{chain}流程{year}年度的案件")
    outside = [h for h in households if not h.village_code.startswith(prefix(township_code, Level.TOWNSHIP))]
    if outside:
        stray = outside[0]
        raise InvalidInput(record, "案件", stray.case_id, f"{stray.village}不属于{township.name}")
    ids = [h.case_id for h in households]
    stage = stage_issuing(chain, KIND)
    issued_on = _decided_on(session, stage, ids, now)
    checks = _latest_assessments(session, assessed_before(chain, stage), ids)
    windows = _windows(session, chain, ids)
    statuses = _objections(session, windows)
    policy = policy_for(township_code, year)
    lines = title_lines("关于", township.name, f"{year}年度", "拟脱贫", "贫困户退出", "的请示")
    roster_lines = title_lines(township.name, f"{year}年度", "拟脱贫人口", "花名册")
    return TownshipRequestContext(
        office_name=township.office_name,
        number=number,
        signer=signer,
        title="".join(lines),
        title_lines=lines,
        addressee=county.office_name,
        township=township.name,
        we="我" + (township.name[-1] if township.name[-1] in "乡镇" else "乡镇"),
        year=year,
        income_rule=policy.exit_income.describe("元"),
        households=len(households),
        people=sum(h.size for h in households),
        villages=village_counts(households),
        checked=len(checks),
        passed=sum(1 for a in checks.values() if a.passed),
        signed=sum(1 for a in checks.values() if a.head_signed),
        publicity=_publicity(session, windows),
        objections=sum(statuses.values()),
        upheld=statuses[ObjectionStatus.UPHELD],
        dismissed=statuses[ObjectionStatus.DISMISSED],
        pending=statuses[ObjectionStatus.OPEN],
        objection_note=objection_note(statuses[ObjectionStatus.UPHELD], statuses[ObjectionStatus.DISMISSED],
                                      statuses[ObjectionStatus.OPEN]),
        issued_on=issued_on,
        contact_name=township.contact_name,
        contact_phone=township.contact_phone,
        roster_title="".join(roster_lines),
        roster_title_lines=roster_lines,
        roster=tuple(_roster(households, checks, year)),
        # One addressee (the county government); the county's poverty office gets a copy.
        foot=foot(township, [f"{county.name}扶贫开发领导小组办公室"], issued_on),
    )


def _roster(households: list[Listed], checks: dict[int, Assessment], year: int) -> list[RosterHousehold]:
    return [
        RosterHousehold(
            serial=index, village=h.village, group=h.group, head=h.head, members=h.members, size=h.size,
            per_capita=checks[h.case_id].per_capita if h.case_id in checks else None, exit_year=year,
        )
        for index, h in enumerate(households, start=1)
    ]


def render_township_request(
    session: Session, *, township_code: str, chain: str, year: int, case_ids: list[int], signer: str, now: datetime
) -> Document:
    """Render and store the 请示 with its roster (internal; numbered per township and year; the caller commits)."""
    township = region(session, township_code)
    suffix = cases_suffix(case_ids)
    path = document_path(kind=KIND, year=year, scope_code=township_code, suffix=suffix)
    number = official_number(session, kind=KIND, year=year, scope_prefix=township_code, path=path,
                             doc_prefix=township.doc_prefix)
    context = build_township_request_context(session, township_code=township_code, chain=chain, year=year,
                                             case_ids=case_ids, signer=signer, number=number, now=now)
    return store(
        session, kind=KIND, chain=chain, year=year, stage=stage_issuing(chain, KIND), scope_code=township_code,
        case_ids=case_ids, html=render(f"{KIND}.html.j2", context), public=False, number=number, now=now,
        suffix=suffix, context=context,
    )


@dataclass(frozen=True)
class RequestBatch:
    """The cases one township's signer approved for the request with no 请示 since."""

    township_code: str
    signer: str
    case_ids: list[int]


def _ready(session: Session, run: Run) -> list[RequestBatch]:
    """Cases approved at the request stage with no request letter since, by township and signer."""
    owed = [d for d in decided_without(session, chain=run.chain, year=run.year, scope=run.scope, stage=run.stage,
                                       kind=KIND) if d.outcome == Outcome.APPROVED]
    names = dict(session.exec(select(Actor.id, Actor.name).where(
        col(Actor.id).in_({d.actor_id for d in owed}))).all())
    batches: dict[tuple[str, str], list[int]] = defaultdict(list)
    for decided in owed:
        signer = names.get(decided.actor_id, "") if decided.actor_id is not None else ""
        batches[(region_of(decided.village_code, Level.TOWNSHIP), signer)].append(decided.case_id)
    return [RequestBatch(township, signer, ids) for (township, signer), ids in sorted(batches.items())]


def _render(session: Session, run: Run, batch: RequestBatch, now: datetime) -> Document:
    return render_township_request(session, township_code=batch.township_code, chain=run.chain, year=run.year,
                                   case_ids=batch.case_ids, signer=batch.signer, now=now)


register(Paper(KIND, "请示（附花名册）", Trigger.DECIDED, Scope.TOWNSHIP, _ready, _render))
