"""The county the dashboard benchmark reads (bench/web.py): built as `bench.household_exit` builds it, then its
cases walked through the household exit chain to different stages (some returned or rejected, some past their
deadline, village notices still open with objections raised, some announced and exited), and the two logins."""

from __future__ import annotations

import random
import time
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from bench.household_exit import YEAR, say
from models.chains.household_exit.stages import CODE
from models.core.actors import Actor, Role, system_actor
from models.core.case import Case
from models.core.clock import parse
from models.core.db import session_scope
from models.core.passwords import hash_password
from models.core.regions import Level, prefix
from models.core.web_users import add_web_user
from models.door import machine
from models.door.engine import Move
from models.door.objections import raise_objection
from models.door.sampling import SampleCase
from models.door.windows import close_due_windows
from synthetic.area import Area
from synthetic.clerks import Clerks

PASSWORD = "bench-web-12345"
# The decided stages in order, and the share of cases whose walk stops before each one's decision (the rest go on).
DECIDED = ("GROUP_RECOMMEND", "COMMITTEE_REVIEW", "CHECK_REQUEST", "HOME_CHECK", "COUNTY_REQUEST", "COUNTY_RECHECK",
           "COUNTY_APPROVAL")
STOPS = (0.06, 0.05, 0.04, 0.10, 0.08, 0.10, 0.07)  # then 0.50 go all the way
OPEN_VILLAGES = 2  # per township: the villages whose notices are posted last and still open when the pages are read
NOW = "2026-11-04 18:00"  # the dashboard's clock


# --- the county -----------------------------------------------------------------------------------------------

def walk(area: Area) -> dict[str, int]:
    """Move the county's cases to different stages through the one door and the machine's steps."""
    rng = random.Random(12)
    county = area.county_code[:6]
    with session_scope() as session:
        clerks = Clerks(session, CODE, YEAR, county)
        system = system_actor(session)
        ids = clerks.cases("GROUP_RECOMMEND")
        stop = {case_id: rng.choices(range(len(STOPS) + 1), weights=(*STOPS, 1 - sum(STOPS)))[0] for case_id in ids}
        village_of = dict(session.execute(select(col(Case.id), col(Case.village_code))).tuples().all())
        townships = sorted({prefix(v, Level.TOWNSHIP) for v in village_of.values()})
        late_villages = {v for t in townships for v in sorted({v for v in village_of.values()
                                                               if v.startswith(t)})[:OPEN_VILLAGES]}
        late_townships = set(townships[: len(townships) // 2])

        def movers(stage: str) -> list[int]:
            return [i for i in clerks.cases(stage) if stop[i] > DECIDED.index(stage)]

        def step(text: str, mark: float) -> None:
            say(f"    {text} ({time.perf_counter() - mark:.1f} s)")

        mark = time.perf_counter()
        clerks.decide("GROUP_RECOMMEND", parse("2026-10-10 10:00"), movers("GROUP_RECOMMEND"))
        going = movers("COMMITTEE_REVIEW")
        back = going[::97]
        clerks.decide("COMMITTEE_REVIEW", parse("2026-10-12 10:00"), back, move=Move.RETURN,
                      reason="评议材料不全，退回重新推荐")
        clerks.decide("COMMITTEE_REVIEW", parse("2026-10-12 10:00"), [i for i in going if i not in set(back)])
        clerks.decide("CHECK_REQUEST", parse("2026-10-13 10:00"), movers("CHECK_REQUEST"))
        going = movers("HOME_CHECK")
        clerks.check("HOME_CHECK", parse("2026-10-14 09:00"), going)
        out = going[::89]
        clerks.decide("HOME_CHECK", parse("2026-10-14 15:00"), out, move=Move.REJECT, reason="人均纯收入未达标")
        clerks.decide("HOME_CHECK", parse("2026-10-14 15:00"), [i for i in going if i not in set(out)])
        step("village and township decisions, home checks", mark)

        mark = time.perf_counter()
        early = sorted({village_of[i] for i in clerks.cases("PUBLICITY")} - late_villages)
        for village in early:
            machine.post_notices(session=session, chain=CODE, stage="PUBLICITY", scope=village, year=YEAR,
                                 now=parse("2026-10-15 09:00"), actor=system)
        session.commit()
        posted = [i for i in clerks.cases("PUBLICITY") if village_of[i] not in late_villages]
        objected = object_to(session, clerks, posted[::150], parse("2026-10-16 10:00"))
        released = 0
        for village in early:
            close_due_windows(session=session, now=parse("2026-10-23 00:05"), actor=system, scope_prefix=village)
            released += len(machine.release(session=session, chain=CODE, stage="PUBLICITY", scope=village, year=YEAR,
                                            now=parse("2026-10-23 00:05"), actor=system).moved)
        session.commit()
        step(f"{len(early)} village notices posted and closed, {released:,} cases released, "
             f"{objected} objections", mark)

        mark = time.perf_counter()
        clerks.decide("COUNTY_REQUEST", parse("2026-10-24 10:00"), movers("COUNTY_REQUEST"))
        machine.draw_samples(session=session, chain=CODE, stage="COUNTY_RECHECK", scope=county, year=YEAR,
                             now=parse("2026-10-24 11:00"), actor=system)
        session.commit()
        going = movers("COUNTY_RECHECK")
        drawn = set(session.scalars(select(col(SampleCase.case_id)).where(col(SampleCase.drawn).is_(True))))
        clerks.check("COUNTY_RECHECK", parse("2026-10-25 09:00"), [i for i in going if i in drawn])
        clerks.decide("COUNTY_RECHECK", parse("2026-10-25 15:00"), going)
        clerks.decide("COUNTY_APPROVAL", parse("2026-10-26 09:00"), movers("COUNTY_APPROVAL"))
        for township in townships:
            if township not in late_townships:
                machine.post_notices(session=session, chain=CODE, stage="COUNTY_APPROVAL", scope=township, year=YEAR,
                                     now=parse("2026-10-26 10:00"), actor=system)
        session.commit()
        exited = 0
        for township in townships:
            if township not in late_townships:
                close_due_windows(session=session, now=parse("2026-11-03 00:05"), actor=system, scope_prefix=township)
                exited += len(machine.release(session=session, chain=CODE, stage="COUNTY_APPROVAL", scope=township,
                                              year=YEAR, now=parse("2026-11-03 00:05"), actor=system).moved)
        session.commit()
        step(f"county request, re-check and approval; {exited:,} cases announced and exited", mark)

        mark = time.perf_counter()
        for village in sorted(late_villages):
            machine.post_notices(session=session, chain=CODE, stage="PUBLICITY", scope=village, year=YEAR,
                                 now=parse("2026-11-04 09:00"), actor=system)
        for township in sorted(late_townships):
            machine.post_notices(session=session, chain=CODE, stage="COUNTY_APPROVAL", scope=township, year=YEAR,
                                 now=parse("2026-11-04 10:00"), actor=system)
        session.commit()
        posted = [i for i in clerks.cases("PUBLICITY") if village_of[i] in late_villages]
        objected = object_to(session, clerks, posted[::30], parse("2026-11-04 15:00"))
        step(f"{len(late_villages)} village notices and {len(late_townships)} announcements still open, "
             f"{objected} objections raised in them", mark)
        rows = session.execute(select(col(Case.stage), col(Case.status), col(Case.id))).tuples().all()
    spread: dict[str, int] = {}
    for stage, status, _ in rows:
        key = stage if status == "ACTIVE" else status
        spread[key] = spread.get(key, 0) + 1
    return spread


def object_to(session: Session, clerks: Clerks, case_ids: list[int], now: datetime) -> int:
    """An objection against each of these posted cases, recorded by its village committee."""
    village_of = dict(session.execute(select(col(Case.id), col(Case.village_code))
                                      .where(col(Case.id).in_(case_ids))).tuples().all())
    for n, case_id in enumerate(case_ids):
        raise_objection(session=session, case_id=case_id, raised_by=f"村民{n + 1}号",
                        content="家中新购小汽车一辆，收入情况存疑", now=now,
                        actor=clerks.actor(Role.VILLAGE_COMMITTEE, village_of[case_id]))
    session.commit()
    return len(case_ids)


def add_logins(area: Area) -> dict[str, tuple[Actor, str]]:
    """A county clerk and a township clerk (login -> person, region prefix), one password."""
    password_hash = hash_password(PASSWORD)
    found: dict[str, tuple[Actor, str]] = {}
    with session_scope() as session:
        for login, role, region in (("county", Role.COUNTY_GOVERNMENT, area.county_code),
                                    ("township", Role.TOWNSHIP_GOVERNMENT, area.townships[1])):
            actor = session.scalars(select(Actor).where(col(Actor.role) == role,
                                                        col(Actor.region_code) == region)).one()
            add_web_user(session, login=login, actor=actor, password_hash=password_hash)
            found[login] = (actor, prefix(actor.region_code, actor.level))
        session.commit()
    return found
