"""Spot-check samples drawn from a stored seed: whole households until the people reach the required share."""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlmodel import Field, Session, SQLModel, col

from models.core import audit
from models.policy.loading import Sampling


class Sample(SQLModel, table=True):
    """A drawn sample of one village's cases at one stage, with the seed anyone can redraw it from."""

    id: int | None = Field(default=None, primary_key=True)
    chain: str
    year: int
    stage: str
    village_code: str = Field(foreign_key="region.code", index=True)
    seed: int
    rule: str
    people_total: int
    people_required: int
    people_drawn: int
    drawn_at: datetime
    document_id: int | None = Field(default=None, foreign_key="document.id", description="the filled-in 抽查复核表")


class SampleCase(SQLModel, table=True):
    """A case of the population a sample was drawn from; `drawn` marks those picked."""

    sample_id: int = Field(foreign_key="sample.id", primary_key=True)
    case_id: int = Field(foreign_key="case.id", primary_key=True, index=True)
    stage_record_id: int = Field(foreign_key="stagerecord.id", index=True)
    drawn: bool


@dataclass(frozen=True)
class Unit:
    """A household of the population: its case and how many people it has."""

    case_id: int
    people: int


def required_people(total: int, rule: Sampling) -> int:
    """People to re-check: all where fewer than the full-coverage number, else the rate rounded up (and at
    least the rule's minimum)."""
    if total < rule.full_coverage_below:
        return total
    return max(math.ceil(Decimal(total) * rule.rate), min(rule.minimum, total))


def draw(units: Sequence[Unit], rule: Sampling, seed: int) -> list[int]:
    """Case ids of whole households, in a seeded random order, until their people reach the requirement."""
    need = required_people(sum(u.people for u in units), rule)
    order = sorted(units, key=lambda u: u.case_id)
    random.Random(seed).shuffle(order)
    picked: list[int] = []
    people = 0
    for unit in order:
        if people >= need:
            break
        picked.append(unit.case_id)
        people += unit.people
    return picked


def draw_for_village(
    *, session: Session, chain: str, year: int, stage: str, village_code: str, now: datetime, actor_name: str,
    seed: int | None = None,
) -> Sample | None:
    """Draw the sample of a village's cases newly at a sampled stage; None when there are none.

    The seed is stored with the sample, so anyone can redraw it and get the same households.
    """
    from models.core.case import Case, StageRecord, Status
    from models.core.household import Member
    from models.policy.loading import policy_for

    population = session.execute(
        select(col(Case.id), col(StageRecord.id), func.count(col(Member.id)))
        .join(StageRecord, (col(StageRecord.case_id) == col(Case.id)) & col(StageRecord.left_at).is_(None))
        .join(Member, (col(Member.household_id) == col(Case.household_id)) & col(Member.resident).is_(True))
        .where(col(Case.chain) == chain, col(Case.year) == year, col(Case.stage) == stage,
               col(Case.status) == Status.ACTIVE, col(Case.village_code) == village_code,
               ~col(StageRecord.id).in_(select(col(SampleCase.stage_record_id))))
        .group_by(col(Case.id), col(StageRecord.id))
        .order_by(col(Case.id))
    ).tuples().all()
    if not population:
        return None
    rule = policy_for(village_code, year).recheck_sampling
    seed = secrets.randbits(31) if seed is None else seed
    units = [Unit(case_id, people) for case_id, _, people in population]
    picked = set(draw(units, rule, seed))
    total = sum(u.people for u in units)
    sample = Sample(
        chain=chain, year=year, stage=stage, village_code=village_code, seed=seed, rule=rule.describe(),
        people_total=total, people_required=required_people(total, rule),
        people_drawn=sum(u.people for u in units if u.case_id in picked), drawn_at=now,
    )
    session.add(sample)
    session.flush()
    session.execute(insert(SampleCase.__table__), [  # type: ignore[attr-defined]
        {"sample_id": sample.id, "case_id": case_id, "stage_record_id": record_id, "drawn": case_id in picked}
        for case_id, record_id, _ in population
    ])
    audit.append(session, [audit.Event(now, actor_name, "SAMPLE.DRAW", None, {
        "sample": sample.id, "village": village_code, "seed": seed, "people_total": total,
        "people_required": sample.people_required, "drawn": sorted(picked)})])
    return sample
