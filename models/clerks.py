"""Scripted clerks: the people's side of a round (decisions and home checks) for the demo, tests and benchmark.

Each decision goes through the one door, made by the person whose role the stage names and whose
region holds the cases: a village's cases by its own committee, a township's by its government.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from models.actors import ROLE_LEVEL, Actor, Role
from models.chain import chain_named
from models.checks import CheckInput, record_checks
from models.engine import Move, Result, load_rows, open_case_rows, transition
from models.regions import prefix
from models.standards import GUARANTEES

ALL_MET = dict.fromkeys(GUARANTEES, True)


@dataclass
class Clerks:
    """The people of one area acting on its cases at a stage."""

    session: Session
    chain: str
    year: int
    scope: str  # region code prefix of the area
    actors: dict[tuple[Role, str], Actor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for actor in self.session.scalars(select(Actor)):
            self.actors[(actor.role, actor.region_code)] = actor

    def actor(self, role: Role, village: str) -> Actor:
        """The person in `role` whose region holds the village."""
        return self.actors[(role, prefix(village, ROLE_LEVEL[role]).ljust(12, "0"))]

    def cases(self, stage: str, scope: str | None = None) -> list[int]:
        return [r.id for r in open_case_rows(self.session, self.chain, self.year, stage, scope or self.scope)]

    def _by_actor(self, role: Role, case_ids: Sequence[int]) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for row in load_rows(self.session, case_ids).values():
            actor = self.actor(role, row.village_code)
            assert actor.id is not None
            groups[actor.id].append(row.id)
        return groups

    def _role(self, stage: str) -> Role:
        role = chain_named(self.chain).stage(stage).role
        assert role is not None, f"no one decides {stage}"
        return role

    def decide(self, stage: str, now: datetime, case_ids: Sequence[int] | None = None, *, move: Move = Move.APPROVE,
               reason: str = "") -> Result:
        """Each responsible person decides their cases at the stage (all of the area's, by default)."""
        role = self._role(stage)
        total = Result()
        by_id = {a.id: a for a in self.actors.values()}
        for actor_id, ids in self._by_actor(role, self.cases(stage) if case_ids is None else case_ids).items():
            result = transition(session=self.session, chain=self.chain, stage=stage, case_ids=ids, move=move,
                                actor=by_id[actor_id], now=now, reason=reason)
            total.moved += result.moved
            total.unchanged += result.unchanged
        return total

    def check(self, stage: str, now: datetime, case_ids: Sequence[int], failing: dict[int, str] | None = None) -> None:
        """Home checks (四看一算) of these households: every item met except those named in `failing`."""
        failing = failing or {}
        by_id = {a.id: a for a in self.actors.values()}
        for actor_id, ids in self._by_actor(self._role(stage), case_ids).items():
            items = [CheckInput(i, {**ALL_MET, **({failing[i]: False} if i in failing else {})}) for i in ids]
            record_checks(session=self.session, stage=stage, items=items, actor=by_id[actor_id], now=now)
        self.session.commit()
