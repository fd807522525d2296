"""The county's check of an exiting village: the wrong-exit and missed-identification samples, each drawn from a
stored seed, the findings per household, the approval survey, and the 三率一度 they give (seed 000 附件3–5).

错退率 = wrongly exited people ÷ people of the sampled exiting households; 漏评率 = missed people ÷ people of the
non-poor households of the drawn village group; 群众认可度 = satisfied ÷ asked; 综合贫困发生率 = (poor people
not yet exited + 错退率 × the village's exiting people + 漏评率 × its other people) ÷ registered rural population.
Every rate is an exact fraction compared with the policy's limits unrounded.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from sqlalchemy import func, insert
from sqlmodel import Field, Session, SQLModel, col, select

from models.chains.household_exit.stages import CODE as EXIT_CHAIN  # households whose exit is re-checked
from models.chains.village_exit.standards import VillageAssessment, percent, rate, village_exit_policy
from models.core import audit
from models.core.actors import Actor
from models.core.case import Case, Status
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.core.household import Household, Member
from models.door.chain import Input
from models.door.inputs import admit
from models.door.sampling import Unit, draw, required_people

STAGE = "VILLAGE_COUNTY_CHECK"  # the county's check of each village, which draws and records the samples


class SampleKind(StrEnum):
    WRONG_EXIT = "WRONG_EXIT"  # an exiting household: did it really meet the standard?
    MISSED = "MISSED"  # a non-poor household: should it have been identified as poor?


SAMPLE_KIND_NAMES = {SampleKind.WRONG_EXIT: "错退核查（拟脱贫户）", SampleKind.MISSED: "漏评核查（非贫困户）"}


class VillageCheck(SQLModel, table=True):
    """The county's samples of one village at one stage visit, with the seeds anyone can redraw them from."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    stage_record_id: int = Field(foreign_key="stagerecord.id", unique=True)
    year: int
    village_code: str = Field(foreign_key="region.code", index=True)
    wrong_exit_seed: int
    wrong_exit_rule: str
    exiting_people: int
    people_required: int
    missed_seed: int
    missed_group: str = Field(description="the village group drawn; empty when the village lists no non-poor household")
    respondents: int = Field(default=0, description="群众认可度调查人数")
    satisfied: int = 0
    drawn_at: datetime
    actor_id: int = Field(foreign_key="actor.id")


class VillageCheckHousehold(SQLModel, table=True):
    """A household of a sample's population; `drawn` marks those checked, `found` a wrong exit or a missed one."""

    check_id: int = Field(foreign_key="villagecheck.id", primary_key=True)
    household_id: int = Field(foreign_key="household.id", primary_key=True)
    kind: SampleKind
    group_name: str
    people: int
    drawn: bool
    found: bool | None = None
    note: str = ""
    checked_at: datetime | None = None


@dataclass(frozen=True)
class Finding:
    found: bool  # wrongly exited (WRONG_EXIT) or missed (MISSED)
    note: str = ""


@dataclass(frozen=True)
class ThreeRates:
    """三率一度 of one village check, with the counts behind each rate; `open` lists what is still missing."""

    sampled_exiting_people: int
    wrong_exit_people: int
    sampled_non_poor_people: int
    missed_people: int
    respondents: int
    satisfied: int
    wrong_exit: Fraction
    missed: Fraction
    approval: Fraction
    incidence: Fraction | None
    open: tuple[str, ...]
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.open and not self.failures


def _population(session: Session, village: str, year: int) -> tuple[list[tuple[int, str, int]], ...]:
    """(household, group, resident people) of the village's exiting households, then of its non-poor ones."""
    people = func.count(col(Member.id))
    base = (select(col(Household.id), col(Household.group_name), people)
            .join(Member, (col(Member.household_id) == col(Household.id)) & col(Member.resident).is_(True))
            .where(col(Household.village_code) == village).group_by(col(Household.id), col(Household.group_name))
            .order_by(col(Household.id)))
    exiting = base.join(Case, col(Case.household_id) == col(Household.id)).where(
        col(Case.chain) == EXIT_CHAIN, col(Case.year) == year, col(Case.status) != Status.REJECTED)
    non_poor = base.where(col(Household.registered_poor).is_(False))
    return ([(h or 0, g, n) for h, g, n in session.exec(exiting).all()],
            [(h or 0, g, n) for h, g, n in session.exec(non_poor).all()])


def missed_group(groups: Sequence[str], seed: int) -> str:
    """The village group whose non-poor households are all checked, drawn from the seed."""
    ordered = sorted(set(groups))
    return ordered[random.Random(seed).randrange(len(ordered))] if ordered else ""


def draw_village_check(
    *, session: Session, case_id: int, now: datetime, actor: Actor, seed: int | None = None,
    group_seed: int | None = None,
) -> VillageCheck:
    """Draw both samples of a village case at the county's check (the caller commits); drawn once per stage visit."""
    row = admit(session=session, case_ids=[case_id], actor=actor, stage=STAGE, kind=Input.SAMPLE, now=now)[case_id]
    assert row.record_id is not None
    existing = session.exec(select(VillageCheck).where(col(VillageCheck.stage_record_id) == row.record_id)).first()
    if existing is not None:
        return existing
    rule = village_exit_policy(row.village_code, row.year).wrong_exit_sampling
    exiting, non_poor = _population(session, row.village_code, row.year)
    seed = secrets.randbits(31) if seed is None else seed
    group_seed = secrets.randbits(31) if group_seed is None else group_seed
    picked = set(draw([Unit(h, n) for h, _, n in exiting], rule, seed))
    group = missed_group([g for _, g, _ in non_poor], group_seed)
    total = sum(n for _, _, n in exiting)
    check = VillageCheck(
        case_id=case_id, stage_record_id=row.record_id, year=row.year, village_code=row.village_code,
        wrong_exit_seed=seed, wrong_exit_rule=rule.describe(), exiting_people=total,
        people_required=required_people(total, rule), missed_seed=group_seed, missed_group=group, drawn_at=now,
        actor_id=actor.id or 0,
    )
    session.add(check)
    session.flush()
    rows = [{"check_id": check.id, "household_id": h, "kind": SampleKind.WRONG_EXIT, "group_name": g, "people": n,
             "drawn": h in picked, "note": ""} for h, g, n in exiting]
    exiting_ids = {h for h, _, _ in exiting}
    rows += [{"check_id": check.id, "household_id": h, "kind": SampleKind.MISSED, "group_name": g, "people": n,
              "drawn": g == group, "note": ""} for h, g, n in non_poor if h not in exiting_ids]
    if rows:
        session.execute(insert(VillageCheckHousehold.__table__), rows)  # type: ignore[attr-defined]
    audit.append(session, [audit.Event(now, actor.name, "VILLAGE.SAMPLE", case_id, {
        "check": check.id, "wrong_exit_seed": seed, "missed_seed": group_seed, "missed_group": group,
        "exiting_people": total, "drawn": sorted(picked)})])
    return check


def _open_check(session: Session, check_id: int, actor: Actor, now: datetime) -> VillageCheck:
    check = session.get(VillageCheck, check_id)
    if check is None:
        raise NotFound(f"村级核查{check_id}不存在")
    row = admit(session=session, case_ids=[check.case_id], actor=actor, stage=STAGE, kind=Input.SAMPLE_FINDINGS,
                now=now)[check.case_id]
    if row.record_id != check.stage_record_id:  # the case went back and came again: this visit has its own check
        raise TransitionRefused({check.case_id: "该核查所属的环节已结束，不能再录入"})
    return check


def record_findings(
    *, session: Session, check_id: int, findings: Mapping[int, Finding], actor: Actor, now: datetime
) -> None:
    """Record what the county team found in drawn households (by household id); the caller commits."""
    check = _open_check(session, check_id, actor, now)
    drawn = {h.household_id: h for h in session.exec(select(VillageCheckHousehold).where(
        col(VillageCheckHousehold.check_id) == check_id, col(VillageCheckHousehold.drawn).is_(True)))}
    for household_id, finding in findings.items():
        if household_id not in drawn:
            raise InvalidInput(f"村级核查{check_id}", "户", household_id, "不是本次抽中的核查户")
        if finding.found and not finding.note.strip():
            raise InvalidInput(f"村级核查{check_id}", "核查情况", "", "认定错退或漏评须写明理由")
        entry = drawn[household_id]
        entry.found, entry.note, entry.checked_at = finding.found, finding.note.strip(), now
        session.add(entry)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "VILLAGE.FINDINGS", check.case_id, {
        "check": check_id, "found": sorted(h for h, f in findings.items() if f.found),
        "checked": sorted(findings)})])


def record_survey(*, session: Session, check_id: int, respondents: int, satisfied: int, actor: Actor,
                  now: datetime) -> None:
    """Record the people's approval survey (群众认可度): how many were asked and how many approved."""
    check = _open_check(session, check_id, actor, now)
    if respondents <= 0 or not 0 <= satisfied <= respondents:
        raise InvalidInput(f"村级核查{check_id}", "认可度调查", f"{satisfied}/{respondents}",
                           "调查人数须至少1人，认可人数须在0与调查人数之间")
    check.respondents, check.satisfied = respondents, satisfied
    session.add(check)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "VILLAGE.SURVEY", check.case_id, {
        "check": check_id, "respondents": respondents, "satisfied": satisfied})])


def sample_rows(session: Session, check_id: int) -> list[VillageCheckHousehold]:
    return list(session.exec(select(VillageCheckHousehold).where(col(VillageCheckHousehold.check_id) == check_id)
                             .order_by(col(VillageCheckHousehold.kind), col(VillageCheckHousehold.household_id))))


def three_rates(session: Session, check: VillageCheck, assessment: VillageAssessment | None) -> ThreeRates:
    """三率一度 of a check, and against the policy's county limits what is still open and what is broken."""
    standard = village_exit_policy(check.village_code, check.year)
    drawn = [h for h in sample_rows(session, check.id or 0) if h.drawn]
    wrong = [h for h in drawn if h.kind is SampleKind.WRONG_EXIT]
    missed = [h for h in drawn if h.kind is SampleKind.MISSED]
    sampled_exiting, sampled_non_poor = sum(h.people for h in wrong), sum(h.people for h in missed)
    wrong_people = sum(h.people for h in wrong if h.found)
    missed_people = sum(h.people for h in missed if h.found)
    open_items: list[str] = []
    unchecked = sum(h.found is None for h in drawn)
    if unchecked:
        open_items.append(f"尚有{unchecked}户抽中的核查户未录入核查结果")
    if not check.missed_group:
        open_items.append("本村未登记非贫困户，无法抽取漏评核查样本")
    if check.respondents <= 0:
        open_items.append("尚未录入群众认可度调查结果")
    if assessment is None:
        open_items.append("县级尚未填写贫困村退出验收审批表")
    wrong_rate, missed_rate = rate(wrong_people, sampled_exiting), rate(missed_people, sampled_non_poor)
    approval = rate(check.satisfied, check.respondents)
    incidence = None
    if assessment is not None:
        others = max(assessment.registered_population - assessment.poor_people - check.exiting_people, 0)
        estimated = (assessment.poor_people + wrong_rate / 100 * check.exiting_people + missed_rate / 100 * others)
        incidence = rate(estimated, assessment.registered_population)
    failures: list[str] = []
    if not open_items:
        for label, value, limit in (("错退率", wrong_rate, standard.wrong_exit_rate),
                                    ("漏评率", missed_rate, standard.missed_rate),
                                    ("群众认可度", approval, standard.approval_rate)):
            if not limit.met_by(value):
                failures.append(f"{label}{percent(value)}，不符合“{limit.describe('%')}”")
        if incidence is not None and not standard.incidence.met_by(incidence):
            failures.append(f"测定的综合贫困发生率{percent(incidence)}，不符合“{standard.incidence.describe('%')}”"
                            "（否决指标）")
    return ThreeRates(sampled_exiting, wrong_people, sampled_non_poor, missed_people, check.respondents,
                      check.satisfied, wrong_rate, missed_rate, approval, incidence, tuple(open_items),
                      tuple(failures))
