"""The city's spot-check (地市抽查核实) and the province's field check (省扶贫办会同省统计局实地抽查核实) of key
villages (seed 004; DOMAIN §4 D): per county, a sample of the villages at the check drawn from a stored seed, the
figures the checking team finds in each drawn village, and the guard that reads them.

Samples are chain A's (models/door/sampling.py): one Sample per county and draw, its `village_code` holding the county's
code and its people_* columns counting villages (each village is one unit of `draw`); one SampleCase per village of
the population. A drawn village passes once its figures are recorded in this visit (figures.py), meet the
application condition and agree with the county's (the summary table ranks by them); a village not drawn passes on
the sample's outcome, once its county's sample is drawn.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.chains.key_village.figures import (
    KeyVillageFacts,
    key_village_policy,
    newest_figures,
    shortfalls,
    visit_figures,
)
from models.chains.key_village.policy import KeyVillage
from models.core import audit
from models.core.actors import Actor
from models.core.case import Case, StageRecord, Status
from models.core.errors import NotFound
from models.core.regions import Level, prefix
from models.door.cases import hold_scope
from models.door.chain import CaseRow, Input
from models.door.inputs import admit
from models.door.sampling import Sample, SampleCase, Unit, draw, required_people
from models.policy.thresholds import Sampling

CODE = "KEY_VILLAGE"
CHECKS = {"KEY_CITY_CHECK": "市级抽查核实", "KEY_PROVINCE_CHECK": "省级实地复核"}
REPORTED = "KEY_COUNTY_CHECK"  # the stage whose figures the county's summary table reports and ranks
FIELDS = (("households", "总户数", "户"), ("relative_poor_households", "相对贫困户数", "户"),
          ("per_capita_income", "农民人均纯收入", "元"), ("collective_income", "村集体经济年收入", "元"))
NO_FIGURES = "（总户数、相对贫困户数、人均纯收入、集体经济收入）"


def sample_rule(standard: KeyVillage, stage: str) -> Sampling:
    """The policy's sample rule of a check, counted in villages."""
    return standard.city_sample if stage == "KEY_CITY_CHECK" else standard.province_sample


def describe_rule(rule: Sampling) -> str:
    """The rule as the form prints it."""
    percent = (rule.rate * 100).normalize()
    least = f"，至少{rule.minimum}个村" if rule.minimum else ""
    return (f"按县随机抽取不低于{percent:f}%的县级确认村（向上取整）{least}，"
            f"不足{rule.full_coverage_below}个村的县全部核查")


def _check_name(stage: str) -> str:
    if stage not in CHECKS:
        raise NotFound(f"重点帮扶村确认的“{stage}”环节不抽样核查；可选：{'、'.join(CHECKS)}")
    return CHECKS[stage]


def draw_county_sample(*, session: Session, stage: str, county_code: str, year: int, now: datetime, actor: Actor,
                       seed: int | None = None) -> Sample | None:
    """The checking team draws the county's sample of the villages newly at its check (the caller commits); None when
    no village waits. The seed is stored with the sample, so anyone can redraw it and get the same villages."""
    name = _check_name(stage)
    scope = prefix(county_code, Level.COUNTY)
    hold_scope(session, CODE, year, scope)  # two draws at once: the second waits, then finds nothing new
    population = session.execute(
        select(col(Case.id), col(StageRecord.id))
        .join(StageRecord, (col(StageRecord.case_id) == col(Case.id)) & col(StageRecord.left_at).is_(None))
        .where(col(Case.chain) == CODE, col(Case.year) == year, col(Case.stage) == stage,
               col(Case.status) == Status.ACTIVE, col(Case.village_code).startswith(scope),
               ~col(StageRecord.id).in_(select(col(SampleCase.stage_record_id))))
        .order_by(col(Case.id))
    ).tuples().all()
    if not population:
        return None
    admit(session=session, case_ids=[case_id for case_id, _ in population], actor=actor, stage=stage, kind=Input.SAMPLE,
          now=now)
    rule = sample_rule(key_village_policy(county_code, year), stage)
    seed = secrets.randbits(31) if seed is None else seed
    picked = set(draw([Unit(case_id, 1) for case_id, _ in population], rule, seed))
    sample = Sample(chain=CODE, year=year, stage=stage, village_code=county_code, seed=seed, rule=describe_rule(rule),
                    people_total=len(population), people_required=required_people(len(population), rule),
                    people_drawn=len(picked), drawn_at=now)
    session.add(sample)
    session.flush()
    session.execute(insert(SampleCase.__table__), [  # type: ignore[attr-defined]
        {"sample_id": sample.id, "case_id": case_id, "stage_record_id": record_id, "drawn": case_id in picked}
        for case_id, record_id in population])
    audit.append(session, [audit.Event(now, actor.name, "KEY_VILLAGE.SAMPLE", None, {
        "sample": sample.id, "stage": stage, "check": name, "county": county_code, "seed": seed,
        "villages": len(population), "required": sample.people_required, "drawn": sorted(picked)})])
    return sample


def amount(value: int | Decimal) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def differences(reported: KeyVillageFacts | None, found: KeyVillageFacts) -> list[str]:
    """Each figure the check found different from the county's, in words; the county's missing is one too."""
    if reported is None:
        return ["县级未登记审核数据"]
    return [f"{label}县级审核{amount(getattr(reported, name))}{unit}、核实{amount(getattr(found, name))}{unit}"
            for name, label, unit in FIELDS if getattr(reported, name) != getattr(found, name)]


def findings(found: KeyVillageFacts, reported: KeyVillageFacts | None, standard: KeyVillage,
             check: str) -> list[str]:
    """What keeps a drawn village from passing the check: the condition its figures miss, figures unlike the
    county's; none: it passes."""
    problems: list[str] = []
    missing = shortfalls(found.collective_income, standard)
    if missing:
        problems.append(f"不符合重点帮扶村申报条件：{'；'.join(missing)}")
    changed = differences(reported, found)
    if changed:
        problems.append(f"{check}的村情数据与县级审核数据不符：{'；'.join(changed)}")
    return problems


def spot_check_passed(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Guard of both checks: the county's sample is drawn; a drawn village's figures are recorded in this visit, meet
    the application condition and agree with the county's."""
    records = [r.record_id for r in rows if r.record_id is not None]
    drawn = dict(session.execute(select(col(SampleCase.stage_record_id), col(SampleCase.drawn)).where(
        col(SampleCase.stage_record_id).in_(records))).tuples().all())
    checked = [r for r in rows if drawn.get(r.record_id or 0)]
    found = visit_figures(session, checked)
    reported = newest_figures(session, [r.id for r in checked], REPORTED)
    reasons: dict[int, str] = {}
    for row in rows:
        name = _check_name(row.stage)
        if row.record_id not in drawn:
            reasons[row.id] = f"本县尚未抽取{name}样本"
        elif drawn[row.record_id]:
            facts = found.get(row.id)
            if facts is None:
                reasons[row.id] = f"该村已被抽中，尚未登记{name}的村情数据{NO_FIGURES}"
                continue
            problems = findings(facts, reported.get(row.id), key_village_policy(row.village_code, row.year), name)
            if problems:
                reasons[row.id] = "；".join(problems)
    return reasons
