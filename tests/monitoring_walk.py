"""Walks household warnings through the monitoring chain as clerks would, without Prefect."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from models.chains.monitoring.assist import assign_departments, request_closeout, verify_closeout
from models.chains.monitoring.campaign import create_campaign, hold_round
from models.chains.monitoring.stages import CODE, MONITORING
from models.core.actors import Actor, Role
from models.core.case import Case
from models.core.clock import parse
from models.core.household import Household
from models.door.engine import Move, Result, transition
from models.home_checks.standards import GUARANTEES
from synthetic.clerks import Clerks
from synthetic.monitoring import add_departments

ROUND_AT = parse("2026-09-24 10:00")
CONFIRM_AT = parse("2026-09-29 10:00")


@dataclass
class Setup:
    world: object
    campaign_id: int
    liaisons: dict[str, Actor]

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.world.session  # type: ignore[attr-defined]

    def actor(self, role: Role, village: str) -> Actor:
        return Clerks(self.session, CODE, 2026, "").actor(role, village)


def setup(world, dates: dict[str, tuple[date, date]] | None = None) -> Setup:  # type: ignore[no-untyped-def]
    """The first township's campaign with the policy's phases (or the dates given) and one liaison a department."""
    session = world.session
    liaisons = add_departments(session, world.area.county_code, 2026, random.Random(3))
    government = Clerks(session, CODE, 2026, "").actor(Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    campaign = create_campaign(session=session, region_code=world.township, year=2026, actor=government,
                               now=parse("2026-03-16 09:00"), dates=dates)
    session.commit()
    return Setup(world, campaign.id, liaisons)


def households(s: Setup, village: str) -> list[int]:
    return list(s.session.scalars(select(Household.id).where(Household.village_code == village)
                                  .order_by(Household.number)))


def observations(s: Setup, village: str, missing: dict[int, list[str]]) -> dict[int, dict[str, bool]]:
    return {h: {k: k not in missing.get(h, []) for k in GUARANTEES} for h in households(s, village)}


def warn(s: Setup, village: str, missing: dict[int, list[str]], when: datetime = ROUND_AT) -> dict[int, int]:
    """A round in the village with these items missing; returns household → case."""
    result = hold_round(session=s.session, campaign_id=s.campaign_id, village_code=village, held_at=when,
                        actor=s.actor(Role.VILLAGE_COMMITTEE, village), observations=observations(s, village, missing))
    s.session.commit()
    return result.cases


def case(s: Setup, case_id: int) -> Case:
    s.session.expire_all()
    return s.session.get(Case, case_id)


def move(s: Setup, stage: str, case_id: int, actor: Actor, now: datetime, m: Move = Move.APPROVE,
         reason: str = "") -> Result:
    return transition(session=s.session, chain=CODE, stage=stage, case_ids=[case_id], move=m, actor=actor, now=now,
                      reason=reason)


def finish(s: Setup, case_id: int, now: datetime) -> None:
    """Do what the case's current stage needs, then its person approves it."""
    row = case(s, case_id)
    village = row.village_code
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, village)
    if row.stage == "MON_FLAG":
        move(s, "MON_FLAG", case_id, s.actor(Role.VILLAGE_COMMITTEE, village), now)
    elif row.stage == "MON_CONFIRM":
        assign_departments(session=s.session, case_id=case_id, liaisons=s.liaisons, actor=government, now=now)
        s.session.commit()
        move(s, "MON_CONFIRM", case_id, government, now)
    elif row.stage == "MON_ASSIST":
        liaisons = assigned_liaisons(s, case_id)
        for liaison in liaisons:
            request_closeout(session=s.session, case_id=case_id, actor=liaison, measures="落实帮扶措施", now=now)
        s.session.commit()
        move(s, "MON_ASSIST", case_id, liaisons[0], now)
    else:
        from models.chains.monitoring.assist import assignments_of, guarantee_of

        items = {guarantee_of(s.session, a): True for a in assignments_of(s.session, [case_id])[case_id]}
        verify_closeout(session=s.session, case_id=case_id, actor=government, results=items, note="已达标", now=now)
        s.session.commit()
        move(s, "MON_CLOSEOUT", case_id, government, now)


def assigned_liaisons(s: Setup, case_id: int) -> list[Actor]:
    from models.chains.monitoring.assist import assignments_of

    ids = list(dict.fromkeys(a.liaison_id for a in assignments_of(s.session, [case_id])[case_id]))
    return [s.session.get(Actor, i) for i in ids]


def walk_to(s: Setup, case_id: int, stage: str, now: datetime = CONFIRM_AT) -> datetime:
    """Move the case on until it reaches `stage`; returns the time of the last move."""
    while case(s, case_id).stage != stage:
        finish(s, case_id, now)
    return now


STAGES = [st.code for st in MONITORING.stages]
