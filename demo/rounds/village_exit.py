"""A scripted village exit round for the demo: three villages of the demo area walked through every stage of the
village exit chain by the one door on a simulated clock, their documents rendered, and what happened summed up.

The villages sit at the standard's edges: one passes clearly, one has an incidence of 2.01% (just above 以下 2%,
so the veto refuses it), and one passes with incidence exactly 2%, income exactly 50,000 yuan and score exactly 80.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from demo.papers import decide, write_papers
from models.chains.village_exit.county_check import Finding, draw_village_check, record_findings, record_survey
from models.chains.village_exit.stages import CODE
from models.chains.village_exit.standards import record_assessment
from models.core.actors import Role, system_actor
from models.core.case import Case
from models.core.household import Household
from models.core.regions import Level, prefix
from models.door import machine
from models.door.cases import open_cases
from models.door.windows import close_due_windows
from synthetic.area import Area, build_area
from synthetic.clerks import Clerks
from synthetic.village_exit import Scenario, add_non_poor_households, facts_for

START = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)


SCENARIOS = (
    Scenario(1000, 10, Decimal("86000"), 0),  # 1%, well above every mark
    Scenario(10000, 201, Decimal("62000"), 5),  # 2.01%: the veto refuses
    Scenario(500, 10, Decimal("50000"), 20),  # exactly 2%, exactly 50,000 yuan, exactly 80 points
)


@dataclass
class VillageOutcome:
    village_code: str
    case_id: int
    status: str
    stage: str
    reason: str = ""


@dataclass
class VillageDemoSummary:
    villages: list[VillageOutcome] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    finished_at: datetime = START


def _move(clerks: Clerks, stage: str, case_ids: Sequence[int], now: datetime, summary: VillageDemoSummary) -> None:
    """The stage's person approves each case; a case the door refuses is rejected with the door's reason. Then the
    machine writes the stage's papers (applications, minutes, the 请示, the 三率一度 summary), as the chain's flow
    does."""
    for case_id, reason in decide(clerks, stage, case_ids, now).refused.items():
        summary.villages.append(VillageOutcome("", case_id, "REJECTED", stage, reason))


def _publicity(session: Session, stage: str, scope: str, year: int, now: datetime) -> datetime:
    """Post the stage's lists, let the window run out, and move the cases on."""
    system = system_actor(session)
    machine.post_notices(session=session, chain=CODE, stage=stage, scope=scope, year=year, now=now, actor=system)
    session.commit()
    Clerks(session, CODE, year, scope).photograph_notices(stage, now)
    later = now + timedelta(days=8)
    close_due_windows(session=session, now=later, actor=system)
    machine.release(session=session, chain=CODE, stage=stage, scope=scope, year=year, now=later, actor=system)
    session.commit()
    return later


def run_village_demo(*, session: Session, area: Area | None = None, year: int = 2026, start: datetime = START,
                     seed: int = 2026) -> VillageDemoSummary:
    """Build (or reuse) the demo area, run three villages through village exit, and say what happened."""
    area = area or build_area(session, townships=1, villages_per_township=3, households=48, people=150, year=year,
                              seed=seed)
    rng = random.Random(seed)
    system = system_actor(session)
    villages = area.villages[area.townships[0]][: len(SCENARIOS)]
    scope = prefix(area.county_code, Level.COUNTY)
    for village in villages:
        add_non_poor_households(session, village, 6, rng)
    exiting = list(session.execute(select(col(Household.id)).where(
        col(Household.village_code).in_(villages), col(Household.registered_poor).is_(True))).scalars())
    open_cases(session=session, chain="HOUSEHOLD_EXIT", year=year, household_ids=exiting, now=start, actor=system)
    ids = open_cases(session=session, chain=CODE, year=year, village_codes=villages, now=start, actor=system)
    session.commit()
    scenario = dict(zip(ids, SCENARIOS, strict=True))
    village_of = dict(zip(ids, villages, strict=True))
    clerks, summary, now = Clerks(session, CODE, year, scope), VillageDemoSummary(), start

    def active(stage: str) -> list[int]:
        return clerks.cases(stage)

    for stage in ("VILLAGE_APPLICATION", "VILLAGE_MEETING"):
        _move(clerks, stage, active(stage), now, summary)
        now += timedelta(days=2)
    for stage in ("VILLAGE_ACCEPTANCE", "VILLAGE_COUNTY_CHECK"):
        if stage == "VILLAGE_COUNTY_CHECK":
            now = _publicity(session, "VILLAGE_PUBLICITY", scope, year, now)
            _move(clerks, "VILLAGE_REQUEST", active("VILLAGE_REQUEST"), now, summary)
            now += timedelta(days=2)
        role = Role.TOWNSHIP_CHECK_TEAM if stage == "VILLAGE_ACCEPTANCE" else Role.COUNTY_RECHECK_TEAM
        for case_id in active(stage):
            actor = clerks.actor(role, village_of[case_id])
            record_assessment(session=session, case_id=case_id, stage=stage, actor=actor, now=now,
                              facts=facts_for(scenario[case_id], village_of[case_id], year))
            if stage == "VILLAGE_COUNTY_CHECK":
                check = draw_village_check(session=session, case_id=case_id, now=now, actor=actor,
                                           seed=seed + case_id, group_seed=seed - case_id)
                drawn = drawn_households(session, check.id or 0)
                record_findings(session=session, check_id=check.id or 0, actor=actor, now=now,
                                findings={h: Finding(False) for h in drawn})
                record_survey(session=session, check_id=check.id or 0, respondents=50, satisfied=48, actor=actor,
                              now=now)
        session.commit()
        write_papers(clerks, stage, now)  # the approval forms of the acceptances just entered
        _move(clerks, stage, active(stage), now, summary)  # and, once the county has decided, the 三率一度 summary
        now += timedelta(days=2)
    _move(clerks, "VILLAGE_APPROVAL", active("VILLAGE_APPROVAL"), now, summary)
    now = _publicity(session, "VILLAGE_APPROVAL", scope, year, now)
    return _summarize(session, summary, village_of, now)


def drawn_households(session: Session, check_id: int) -> list[int]:
    """The households drawn in a check (both samples)."""
    from models.chains.village_exit.county_check import sample_rows

    return [h.household_id for h in sample_rows(session, check_id) if h.drawn]


def _summarize(session: Session, summary: VillageDemoSummary, village_of: dict[int, str],
               now: datetime) -> VillageDemoSummary:
    reasons = {v.case_id: v.reason for v in summary.villages}
    summary.villages = []
    session.expire_all()
    for case_id, village in village_of.items():
        case = session.get(Case, case_id)
        assert case is not None
        summary.villages.append(VillageOutcome(village, case_id, case.status.value, case.stage,
                                               reasons.get(case_id, "")))
    from models.core.document import Document

    summary.documents = sorted(session.execute(select(col(Document.path)).where(col(Document.chain) == CODE)).scalars())
    summary.finished_at = now
    return summary
