"""Synthetic data of monitoring and assistance (F): one liaison in each industry department the policy names."""

from __future__ import annotations

import random

from sqlmodel import Session, col, select

from models.chains.monitoring.campaign import monitoring_policy
from models.core.actors import Actor, Role, add_actor
from models.home_checks.standards import GUARANTEES
from synthetic.area import People


def add_departments(session: Session, county: str, year: int, rng: random.Random) -> dict[str, Actor]:
    """One liaison (a person in the industry department role) per department of the policy, by guarantee."""
    departments = monitoring_policy(county, year).departments
    people = People(rng)
    people.names.update(session.execute(select(col(Actor.name))).scalars())
    liaisons: dict[str, Actor] = {}
    by_department: dict[str, Actor] = {}
    for key in GUARANTEES:
        name = departments[key]
        if name not in by_department:
            by_department[name] = add_actor(session, name=people.name(unique=True), role=Role.INDUSTRY_DEPARTMENT,
                                             region_code=county)
        liaisons[key] = by_department[name]
    return liaisons
