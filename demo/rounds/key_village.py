"""A scripted key-village round for the demo: six villages of a county walked through the five-level chain by the
one door on a simulated clock, ranked at township and county, their documents rendered, and what happened summed up.

The figures sit at the rules' edges: two villages equal in every figure (placed by village code), one with
collective income of exactly 30,000 yuan (not 低于3万元, so the township's guard refuses it), one just below it. The
city's spot-check draws its sample from a stored seed, finds the collective income of the village just below the
condition different from the county's figure and sends it back; the county corrects it, the city checks it again,
and the province's field check draws a sample of its own before the publicity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from demo.papers import decide, write_papers
from models.chains.key_village.figures import (
    Figures,
    key_village_policy,
    rank_inputs,
    rank_villages,
    record_figures,
    shortfalls,
)
from models.chains.key_village.spot_checks import draw_county_sample, spot_check_passed
from models.chains.key_village.stages import CODE, KEY_VILLAGE
from models.core.actors import Role, add_actor, system_actor
from models.core.case import Case
from models.core.document import Document
from models.core.regions import Level, Region, prefix
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.engine import Move
from models.door.sampling import SampleCase
from models.door.windows import close_due_windows
from synthetic.area import CITY, PROVINCE, Area, build_area
from synthetic.clerks import Clerks

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
TOWNSHIP_SOURCE = "镇政府摸查核实（村账目、入户登记）"
COUNTY_SOURCE = "县扶贫办、县统计局联合调查组核查"
CITY_SOURCE = "市扶贫办会同市统计局抽查核实（村账目、乡镇经管站账目）"
PROVINCE_SOURCE = "省扶贫办会同省统计局实地核查"
RETURN_REASON = "请县级对照乡镇经管站账目重新核查"  # after what the city found (the door's reason)
# The checks' seeds, stored with their samples. Of the five villages the county confirms, the city's seed draws the
# village just below the condition (and one of the tied pair); the province's draws that village again in the field.
CITY_SEED, PROVINCE_SEED = 2025, 2028

# (households, relative-poor households, per-capita net income, collective income), township's figures, in the
# order of the area's villages: three in the first township, three in the second.
FIGURES = (
    (300, 60, Decimal("2600"), Decimal("12000")),
    (250, 50, Decimal("2600"), Decimal("12000")),  # equal to the first in every ranked figure: a tie
    (200, 30, Decimal("2600"), Decimal("30000")),  # exactly 30,000 yuan: not 低于3万元
    (400, 100, Decimal("2400"), Decimal("8000")),
    (320, 48, Decimal("2600"), Decimal("29999.99")),  # just below 30,000 yuan
    (280, 56, Decimal("2900"), Decimal("15000")),
)
CORRECTED_COLLECTIVE = Decimal("29000")  # what the city finds in the accounts; the county's second check agrees


@dataclass
class KeyVillageOutcome:
    village_code: str
    case_id: int
    status: str
    stage: str
    reason: str = ""


@dataclass
class KeyVillageDemoSummary:
    villages: list[KeyVillageOutcome] = field(default_factory=list)
    township_ranking: dict[str, list[str]] = field(default_factory=dict)  # township → village codes, poorest first
    county_ranking: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)  # villages the city sent back
    return_reasons: dict[str, str] = field(default_factory=dict)  # village → the city's reason
    city_drawn: list[list[str]] = field(default_factory=list)  # each city sample's drawn villages
    province_drawn: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    finished_at: datetime = START


def _figures(values: tuple[int, int, Decimal, Decimal], source: str) -> Figures:
    return Figures(values[0], values[1], values[2], values[3], source)


def _move(clerks: Clerks, stage: str, case_ids: Sequence[int], now: datetime, reasons: dict[int, str]) -> None:
    """The stage's person approves each case; a case the door refuses is rejected with the door's reason. Then the
    machine writes the stage's papers (the village committees' applications, one per village and day)."""
    reasons.update(decide(clerks, stage, case_ids, now).refused)


def _record(clerks: Clerks, stage: str, role: Role, values: dict[int, tuple[int, int, Decimal, Decimal]],
            village_of: dict[int, str], source: str, now: datetime, case_ids: Sequence[int] | None = None) -> None:
    for case_id in clerks.cases(stage) if case_ids is None else case_ids:
        record_figures(session=clerks.session, case_id=case_id, stage=stage, now=now,
                       actor=clerks.actor(role, village_of[case_id]), figures=_figures(values[case_id], source))
    clerks.session.commit()


def _draw(clerks: Clerks, stage: str, county: str, seed: int, now: datetime) -> list[int]:
    """The stage's team draws the county's sample from the seed; the drawn villages' cases."""
    role = KEY_VILLAGE.stage(stage).role
    assert role is not None
    sample = draw_county_sample(session=clerks.session, stage=stage, county_code=county, year=clerks.year, now=now,
                                actor=clerks.actor(role, county), seed=seed)
    clerks.session.commit()
    assert sample is not None
    return list(clerks.session.scalars(select(col(SampleCase.case_id)).where(
        col(SampleCase.sample_id) == sample.id, col(SampleCase.drawn).is_(True)).order_by(col(SampleCase.case_id))))


def run_key_village_demo(*, session: Session, area: Area | None = None, year: int = 2026, start: datetime = START,
                         seed: int = 2026) -> KeyVillageDemoSummary:
    """Build (or reuse) the demo area, run six villages through key-village identification, say what happened."""
    area = area or build_area(session, townships=2, villages_per_township=3, households=24, people=80, year=year,
                              seed=seed)
    province = session.get(Region, PROVINCE[0])
    assert province is not None
    if not province.contact_phone:
        province.contact_name, province.contact_phone = "省扶贫办 陈志远", "0731-82212345"
        session.add(province)
    add_actor(session, name="市扶贫办 何建华", role=Role.CITY_CHECK_TEAM, region_code=CITY[0])
    add_actor(session, name="省扶贫办 罗文斌", role=Role.PROVINCE_POVERTY_OFFICE, region_code=PROVINCE[0])
    system = system_actor(session)
    villages = [v for township in area.townships[:2] for v in area.villages[township][:3]]
    ids = open_cases(session=session, chain=CODE, year=year, village_codes=villages, now=start, actor=system)
    session.commit()
    village_of = dict(zip(ids, villages, strict=True))
    township_values = dict(zip(ids, FIGURES, strict=True))
    scope = prefix(area.county_code, Level.COUNTY)
    reasons: dict[int, str] = {}
    clerks, summary, now = Clerks(session, CODE, year, scope), KeyVillageDemoSummary(), start

    _move(clerks, "KEY_APPLICATION", clerks.cases("KEY_APPLICATION"), now, reasons)
    now += timedelta(days=3)
    _record(clerks, "KEY_TOWNSHIP_VERIFY", Role.TOWNSHIP_GOVERNMENT, township_values, village_of, TOWNSHIP_SOURCE, now)
    for township in area.townships[:2]:
        standard = key_village_policy(township, year)
        inputs = rank_inputs(session, [c for c, v in village_of.items() if v.startswith(township[:9])],
                             "KEY_TOWNSHIP_VERIFY")
        ranked = rank_villages([i for i in inputs if not shortfalls(i.collective_income, standard)])
        summary.township_ranking[township] = [r.item.village_code for r in ranked]
    # Once a township has decided all its villages, the machine writes its ranked list (镇级核实排序表).
    _move(clerks, "KEY_TOWNSHIP_VERIFY", clerks.cases("KEY_TOWNSHIP_VERIFY"), now, reasons)
    now += timedelta(days=5)

    county_values = dict(township_values)
    returned = ids[4]
    for attempt in range(2):
        _record(clerks, "KEY_COUNTY_CHECK", Role.COUNTY_RECHECK_TEAM, county_values, village_of, COUNTY_SOURCE, now)
        _move(clerks, "KEY_COUNTY_CHECK", clerks.cases("KEY_COUNTY_CHECK"), now, reasons)
        # Every village checked: the machine writes the county's summary table for the government to confirm.
        write_papers(clerks, "KEY_COUNTY_CONFIRM", now)
        _move(clerks, "KEY_COUNTY_CONFIRM", clerks.cases("KEY_COUNTY_CONFIRM"), now, reasons)
        now += timedelta(days=5)
        at_city = clerks.cases("KEY_CITY_CHECK")
        drawn = _draw(clerks, "KEY_CITY_CHECK", area.county_code, CITY_SEED, now)
        summary.city_drawn.append([village_of[c] for c in drawn])
        found = {**county_values, returned: (*county_values[returned][:3], CORRECTED_COLLECTIVE)}
        _record(clerks, "KEY_CITY_CHECK", Role.CITY_CHECK_TEAM, found, village_of, CITY_SOURCE, now, drawn)
        if attempt == 0:
            # The city's sample draws the village just below the condition and finds its accounts differ: the door
            # refuses to pass it, so the city sends it back to the county with what it found.
            why = spot_check_passed(session, list(load_rows(session, [returned]).values()))[returned]
            reason = summary.return_reasons[village_of[returned]] = f"{why}，{RETURN_REASON}"
            clerks.decide("KEY_CITY_CHECK", now, [returned], move=Move.RETURN, reason=reason)
            summary.returned.append(village_of[returned])
            at_city = [c for c in at_city if c != returned]
            county_values[returned] = found[returned]
        _move(clerks, "KEY_CITY_CHECK", at_city, now, reasons)
        now += timedelta(days=5)
    county_cases = [c for c in ids if c not in reasons]
    summary.county_ranking = [r.item.village_code for r in rank_villages(rank_inputs(session, county_cases,
                                                                                     "KEY_COUNTY_CHECK"))]
    drawn = _draw(clerks, "KEY_PROVINCE_CHECK", area.county_code, PROVINCE_SEED, now)
    summary.province_drawn = [village_of[c] for c in drawn]
    _record(clerks, "KEY_PROVINCE_CHECK", Role.PROVINCE_POVERTY_OFFICE, county_values, village_of, PROVINCE_SOURCE,
            now, drawn)
    _move(clerks, "KEY_PROVINCE_CHECK", clerks.cases("KEY_PROVINCE_CHECK"), now, reasons)
    now += timedelta(days=10)
    _move(clerks, "KEY_PUBLICITY", clerks.cases("KEY_PUBLICITY"), now, reasons)
    machine.post_notices(session=session, chain=CODE, stage="KEY_PUBLICITY", scope=scope, year=year, now=now,
                         actor=system)
    session.commit()
    now += timedelta(days=8)
    close_due_windows(session=session, now=now, actor=system)
    machine.release(session=session, chain=CODE, stage="KEY_PUBLICITY", scope=scope, year=year, now=now, actor=system)
    session.commit()
    return _summarize(session, summary, village_of, reasons, now)


def _summarize(session: Session, summary: KeyVillageDemoSummary, village_of: dict[int, str], reasons: dict[int, str],
               now: datetime) -> KeyVillageDemoSummary:
    session.expire_all()
    for case_id, village in village_of.items():
        case = session.get(Case, case_id)
        assert case is not None
        summary.villages.append(KeyVillageOutcome(village, case_id, case.status.value, case.stage,
                                                  reasons.get(case_id, "")))
    summary.documents = sorted(session.execute(select(col(Document.path)).where(col(Document.chain) == CODE)).scalars())
    summary.finished_at = now
    return summary
