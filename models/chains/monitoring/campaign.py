"""The yearly monitoring campaign (seed 003): its dated phases, and the monthly rounds that raise warnings.

A round is held in a village by its committee (村“两委”和驻村工作队) on a day inside one of the campaign's monthly
phases, once a month; every household observed is recorded with the six items of 两不愁三保障一安全, and each missing
item raises a warning on the household's monitoring case of the year (opened at the chain's first stage if new).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.chains.monitoring.policy import Monitoring
from models.chains.monitoring.tables import (
    MonitoringCampaign,
    MonitoringObservation,
    MonitoringPhase,
    MonitoringRound,
    MonitoringWarning,
)
from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.case import Case, Status
from models.core.clock import cn_date, local_date
from models.core.errors import InvalidInput, NotFound
from models.core.household import Household
from models.core.regions import Level, Region, prefix
from models.documents.render import cn_period
from models.door.cases import open_cases
from models.home_checks.standards import GUARANTEES
from models.policy.loading import policy_for

CHAIN = "MONITORING"
CAMPAIGN_ROLES = {Role.TOWNSHIP_GOVERNMENT, Role.COUNTY_GOVERNMENT}


def monitoring_policy(region_code: str, year: int) -> Monitoring:
    """The [monitoring] section in force; a clear refusal when the province and year set none."""
    found = policy_for(region_code, year).monitoring
    if found is None:
        raise InvalidInput(f"{region_code[:2]}/{year}.toml", "monitoring", "（无）",
                           "未设置防止返贫监测的阶段和行业部门")
    return found


def create_campaign(*, session: Session, region_code: str, year: int, actor: Actor, now: datetime,
                    dates: Mapping[str, tuple[date, date]] | None = None) -> MonitoringCampaign:
    """A campaign with the policy's phases in `year`, each moved to the dates given for its code (the caller commits).

    Phases must stay inside the year, each start on or before its end, and follow one another without overlap.
    """
    region = session.get(Region, region_code)
    record = f"{year}年度防止返贫监测和帮扶工作"
    if region is None or region.level not in (Level.TOWNSHIP, Level.COUNTY):
        raise InvalidInput(record, "区划代码", region_code, "须为已登记的乡镇或县级区划")
    if actor.role not in CAMPAIGN_ROLES or not region_code.startswith(prefix(actor.region_code, actor.level)):
        raise InvalidInput(record, "部署人", actor.title(), f"须为{region.name}所在的乡镇或县人民政府人员")
    defaults = monitoring_policy(region_code, year)
    given = dict(dates or {})
    known = {p.code: p.name for p in defaults.phases}
    for code in given:
        if code not in known:
            raise InvalidInput(record, "阶段", code, "可选：" + "、".join(f"{c}（{n}）" for c, n in known.items()))
    exists = session.exec(select(MonitoringCampaign.id).where(
        MonitoringCampaign.region_code == region_code, MonitoringCampaign.year == year)).first()
    if exists is not None:
        raise InvalidInput(record, "区划", region.name, "本年度已部署监测工作，不能重复部署")
    phases: list[MonitoringPhase] = []
    for position, default in enumerate(defaults.phases, start=1):
        first, last = given.get(default.code, (date(year, *default.start), date(year, *default.end)))
        where = f"{record}{default.name}"
        if first.year != year or last.year != year:
            raise InvalidInput(where, "起止日期", f"{first}至{last}", f"须在{year}年内")
        if first > last:
            raise InvalidInput(where, "起止日期", f"{first}至{last}", "开始日期不能晚于结束日期")
        if phases and first <= phases[-1].ends_on:
            raise InvalidInput(where, "开始日期", first,
                               f"须晚于上一阶段（{phases[-1].name}）的结束日期{cn_date(phases[-1].ends_on)}")
        phases.append(MonitoringPhase(campaign_id=0, position=position, code=default.code, name=default.name,
                                      starts_on=first, ends_on=last, monthly=default.monthly))
    campaign = MonitoringCampaign(region_code=region_code, year=year, name=f"{region.name}{record}",
                                  actor_id=actor.id or 0, created_at=now)
    session.add(campaign)
    session.flush()
    for phase in phases:
        phase.campaign_id = campaign.id or 0
        session.add(phase)
    session.flush()
    return campaign


def campaign_phases(session: Session, campaign_id: int) -> list[MonitoringPhase]:
    return list(session.exec(select(MonitoringPhase).where(MonitoringPhase.campaign_id == campaign_id)
                             .order_by(col(MonitoringPhase.position))).all())


def phase_on(session: Session, campaign_id: int, day: date) -> MonitoringPhase | None:
    """The campaign's phase that contains `day` (both ends included), if any."""
    return next((p for p in campaign_phases(session, campaign_id) if p.starts_on <= day <= p.ends_on), None)


@dataclass
class RoundResult:
    round: MonitoringRound
    warnings: int = 0
    cases: dict[int, int] = field(default_factory=dict)  # household id → its case, for households warned
    without_case: list[int] = field(default_factory=list)  # households whose case of the year is already closed


def _check_observations(session: Session, village: Region, observations: Mapping[int, Mapping[str, bool]]) -> None:
    if not observations:
        raise InvalidInput(f"{village.name}动态监测", "监测户", 0, "每次监测至少登记1户")
    households = dict(session.execute(
        select(Household.id, Household.village_code)
        .where(col(Household.id).in_(list(observations)))
    ).tuples().all())
    for household_id, items in observations.items():
        record = f"{village.name}监测户{household_id}"
        if households.get(household_id) != village.code:
            raise InvalidInput(record, "户ID", household_id, f"不是{village.name}的农户")
        for key, label in GUARANTEES.items():
            if not isinstance(items.get(key), bool):
                raise InvalidInput(record, label, items.get(key, "（未填）"), "须填写是或否")
        extra = sorted(set(items) - set(GUARANTEES))
        if extra:
            raise InvalidInput(record, extra[0], items[extra[0]], "不是两不愁三保障一安全的监测项")


def hold_round(*, session: Session, campaign_id: int, village_code: str, held_at: datetime, actor: Actor,
               observations: Mapping[int, Mapping[str, bool]]) -> RoundResult:
    """Record a village's monthly round and raise a warning for each missing item (the caller commits)."""
    campaign = session.get(MonitoringCampaign, campaign_id)
    if campaign is None:
        raise NotFound(f"监测工作{campaign_id}不存在")
    village, scope = session.get(Region, village_code), session.get(Region, campaign.region_code)
    day = local_date(held_at)
    assert scope is not None
    if village is None or village.level is not Level.VILLAGE or not village_code.startswith(
            prefix(scope.code, scope.level)):
        raise InvalidInput(f"{campaign.name}动态监测", "村区划代码", village_code, "须为本次监测工作范围内的行政村")
    record = f"{village.name}{day.year}年{day.month}月动态监测"
    if actor.role is not Role.VILLAGE_COMMITTEE or not actor.covers(village_code):
        raise InvalidInput(record, "监测人", actor.title(),
                           f"须由本村{ROLE_NAMES[Role.VILLAGE_COMMITTEE]}（村“两委”和驻村工作队）开展")
    phase = phase_on(session, campaign_id, day)
    if phase is None or not phase.monthly:
        monthly = [p for p in campaign_phases(session, campaign_id) if p.monthly]
        where = f"处于{phase.name}" if phase else "不在本年度监测工作的任何阶段内"
        allowed = "、".join(f"{p.name}（{cn_period(p.starts_on, p.ends_on)}）" for p in monthly)
        raise InvalidInput(record, "监测日期", cn_date(day), f"{where}；每月动态监测须在{allowed}内开展")
    taken = session.exec(select(MonitoringRound.id).where(
        MonitoringRound.campaign_id == campaign_id, MonitoringRound.village_code == village_code,
        MonitoringRound.month == day.month)).first()
    if taken is not None:
        raise InvalidInput(record, "监测月份", f"{day.month}月", "本村本月已开展动态监测，每月一次")
    _check_observations(session, village, observations)
    held = MonitoringRound(campaign_id=campaign_id, phase_id=phase.id or 0, village_code=village_code,
                           month=day.month, held_on=day, actor_id=actor.id or 0, recorded_at=held_at)
    session.add(held)
    session.flush()
    assert held.id is not None
    session.execute(insert(MonitoringObservation.__table__), [  # type: ignore[attr-defined]
        {"round_id": held.id, "household_id": hid, **{k: bool(items[k]) for k in GUARANTEES}}
        for hid, items in sorted(observations.items())
    ])
    lacking = {hid: [k for k in GUARANTEES if not items[k]] for hid, items in sorted(observations.items())}
    lacking = {hid: keys for hid, keys in lacking.items() if keys}
    result = RoundResult(held)
    if not lacking:
        return result
    open_cases(session=session, chain=CHAIN, year=campaign.year, household_ids=list(lacking), now=held_at,
               actor=actor)
    found = {hid: (cid, status) for hid, cid, status in session.execute(
        select(Case.household_id, Case.id, Case.status)
        .where(col(Case.chain) == CHAIN, col(Case.year) == campaign.year, col(Case.household_id).in_(list(lacking)))
    ).tuples()}
    rows = []
    for hid, keys in lacking.items():
        case_id, status = found[hid]
        active = status == Status.ACTIVE
        if active:
            result.cases[hid] = case_id
        else:
            result.without_case.append(hid)
        rows += [{"round_id": held.id, "household_id": hid, "case_id": case_id if active else None, "guarantee": key,
                  "raised_at": held_at} for key in keys]
    session.execute(insert(MonitoringWarning.__table__), rows)  # type: ignore[attr-defined]
    result.warnings = len(rows)
    return result


def warnings_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[MonitoringWarning]]:
    """Each case's warnings, oldest first."""
    found: dict[int, list[MonitoringWarning]] = {}
    for warning in session.exec(select(MonitoringWarning).where(col(MonitoringWarning.case_id).in_(list(case_ids)))
                                .order_by(col(MonitoringWarning.id))):
        found.setdefault(warning.case_id or 0, []).append(warning)
    return found
