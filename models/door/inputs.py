"""The one check that guards every stage input (a home check, a village's figures, a sample, a record card...):
the person's area and role, the case still active and at the stage that takes the input.

The area, the case finished and the stage are the door's own rules (models/door/rules.py), so an input is refused
in the very words a decision is; the role is the stage's table's: `Stage.inputs` says who records what. What a
function checks beyond that (its own figures, a household drawn or not, a liaison of the case) stays in it.
A refusal raises TransitionRefused naming each case and its reason; nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from models.core.actors import ROLE_NAMES, Actor
from models.core.errors import NotFound, TransitionRefused
from models.door.cases import load_rows
from models.door.chain import INPUT_NAMES, CaseRow, Input, Stage, chain_named
from models.door.moves import Move
from models.door.rules import Attempt, Rule, actor_active, at_stage, in_actor_area, rule_on, still_active


def recorder_problem(actor: Actor, stage: Stage, kind: Input) -> str | None:
    """Why this person may not record this input at this stage (the stage takes none, or another role records it
    there); None if they may."""
    roles = stage.recorders(kind)
    if not roles:
        return f"“{stage.name}”环节不登记{INPUT_NAMES[kind]}"
    if actor.role not in roles:
        who = "或".join(ROLE_NAMES[r] for r in roles)
        return f"{stage.name}环节的{INPUT_NAMES[kind]}须由{who}办理，{actor.title()}无权办理"
    return None


def _records(kind: Input) -> Rule:
    """The person records this kind of input at the stage."""

    def check(session: Session, attempt: Attempt, rows: Sequence[CaseRow]) -> dict[int, str]:
        problem = recorder_problem(next(iter(attempt.actor_of.values())), attempt.stage, kind)
        return dict.fromkeys((r.id for r in rows), problem) if problem else {}

    return Rule("records_input", check)


ACTIVE = Rule("actor_active", actor_active)
AREA = Rule("in_actor_area", in_actor_area)
CASE_AT_STAGE = (Rule("still_active", still_active), Rule("at_stage", at_stage))


def _rows(session: Session, case_ids: Sequence[int]) -> dict[int, CaseRow]:
    ids = list(dict.fromkeys(case_ids))
    rows = load_rows(session, ids)
    missing = [i for i in ids if i not in rows]
    if missing:
        raise NotFound(f"案件{missing[0]}不存在")
    return {i: rows[i] for i in ids}


def _rule(session: Session, rows: dict[int, CaseRow], actor: Actor, stage: str | None, now: datetime,
          rules: Sequence[Rule]) -> dict[int, CaseRow]:
    """Run the rules on the cases, grouped by chain and stage; any refusal raises TransitionRefused."""
    groups: dict[tuple[str, str], list[CaseRow]] = defaultdict(list)
    for row in rows.values():
        groups[(row.chain, row.stage if stage is None else stage)].append(row)
    refused: dict[int, str] = {}
    for (code, at), group in groups.items():
        chain = chain_named(code)
        attempt = Attempt(chain, chain.stage(at), Move.APPROVE, dict.fromkeys((r.id for r in group), actor), now)
        refused.update(rule_on(session, attempt, group, rules).refused)
    if refused:
        raise TransitionRefused(refused)
    return rows


def cases_in_area(*, session: Session, case_ids: Sequence[int], actor: Actor, now: datetime) -> dict[int, CaseRow]:
    """The cases' rows, every one in the actor's area (an objection is recorded by anyone of the area); a case that
    does not exist is NotFound."""
    return _rule(session, _rows(session, case_ids), actor, None, now, (ACTIVE, AREA))


def admit(*, session: Session, case_ids: Sequence[int], actor: Actor, stage: str | None, kind: Input,
          now: datetime) -> dict[int, CaseRow]:
    """The cases' rows, once `actor` may record `kind` at `stage` for every one of them: each case in the actor's
    area, the stage (of the case's chain; None: its current stage, for an input several stages take) taking the
    input from the actor's role, the case still active and at that stage. A case that does not exist is NotFound;
    any other refusal raises TransitionRefused with each case's reason."""
    return _rule(session, _rows(session, case_ids), actor, stage, now,
                 (ACTIVE, AREA, _records(kind), *CASE_AT_STAGE))
