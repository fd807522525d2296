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
from sqlmodel import Session, col

from models.core.actors import ROLE_LEVEL, Actor, Role
from models.core.case import Case, Status
from models.core.clock import cn_date
from models.core.regions import Region, prefix
from models.door.chain import chain_named
from models.door.engine import Move, Result, transition
from models.evidence.uploads import store_evidence
from models.home_checks.recording import CheckInput, record_checks
from models.home_checks.standards import GUARANTEES
from synthetic.notice_photo import notice_photo

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
        """Active cases of the area (or of `scope`) at the stage."""
        return list(self.session.scalars(
            select(col(Case.id)).where(col(Case.chain) == self.chain, col(Case.year) == self.year,
                                       col(Case.stage) == stage, col(Case.status) == Status.ACTIVE,
                                  col(Case.village_code).startswith(scope or self.scope)).order_by(col(Case.id))
        ))

    def _role(self, stage: str) -> Role:
        role = chain_named(self.chain).stage(stage).role
        assert role is not None, f"no one decides {stage}"
        return role

    def _actors_of(self, role: Role, case_ids: Sequence[int]) -> dict[int, Actor]:
        """Each case's responsible person in `role`."""
        villages = dict(self.session.execute(
            select(Case.id, Case.village_code).where(col(Case.id).in_(list(case_ids)))  # type: ignore[call-overload]
        ).tuples().all())
        return {case_id: self.actor(role, villages[case_id]) for case_id in case_ids}

    def assign(self, stage: str, case_ids: Sequence[int] | None = None) -> dict[int, Actor]:
        """Who decides each case at the stage (all of the area's cases there, by default)."""
        ids = self.cases(stage) if case_ids is None else list(case_ids)
        return self._actors_of(self._role(stage), ids)

    def decide(self, stage: str, now: datetime, case_ids: Sequence[int] | None = None, *, move: Move = Move.APPROVE,
               reason: str = "") -> Result:
        """Each responsible person decides their cases at the stage, all through the door in one go."""
        actors = self.assign(stage, case_ids)
        return transition(session=self.session, chain=self.chain, stage=stage, case_ids=list(actors), move=move,
                          actor=actors, now=now, reason=reason)

    def check(self, stage: str, now: datetime, case_ids: Sequence[int], failing: dict[int, str] | None = None) -> None:
        """Home checks (四看一算) of these households: every item met except those named in `failing`."""
        failing = failing or {}
        groups: dict[int, list[int]] = defaultdict(list)
        actors = self._actors_of(self._role(stage), case_ids)
        for case_id, actor in actors.items():
            groups[actor.id or 0].append(case_id)
        for ids in groups.values():
            items = [CheckInput(i, {**ALL_MET, **({failing[i]: False} if i in failing else {})}) for i in ids]
            record_checks(session=self.session, stage=stage, items=items, actor=actors[ids[0]], now=now)
        self.session.commit()

    def photograph_notices(self, stage: str, now: datetime, case_ids: Sequence[int] | None = None) -> int:
        """Each village committee uploads a photo of its posted notice for its cases at the stage; returns how many."""
        ids = self.cases(stage) if case_ids is None else list(case_ids)
        by_village: dict[str, list[int]] = defaultdict(list)
        for case_id, village in self.session.execute(
            select(Case.id, Case.village_code).where(col(Case.id).in_(ids))  # type: ignore[call-overload]
        ).tuples():
            by_village[village].append(case_id)
        for village, cases in sorted(by_village.items()):
            region = self.session.get(Region, village)
            place = f"{region.name if region else village}村民委员会"
            store_evidence(session=self.session, case_ids=cases, kind="notice_photo",
                           filename=f"公示照片-{village}.jpg", content=notice_photo("公  示", place, cn_date(now)),
                           actor=self.actor(Role.VILLAGE_COMMITTEE, village), now=now)
        self.session.commit()
        return len(by_village)
