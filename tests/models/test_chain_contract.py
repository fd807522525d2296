"""The contract every registered chain keeps, whatever its stages: at each stage a person decides, the stage's role
in the case's area moves the case and anyone else is refused in the door's one wording; every input a stage takes
is refused, in the one wording of the stage input check, for a case not at that stage, a person of another role or
of another area. A new chain (or a new input) is held to it by registering, with no test of its own to copy.

A case is set at the stage under test by writing its row and its open stage record, as the door leaves them: the
door's own rules run before any stage guard, so what is under test needs no walk through the earlier stages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from models.chains.edge_identify.stages import CODE as EDGE_IDENTIFY
from models.chains.household_exit.stages import CODE as HOUSEHOLD_EXIT
from models.chains.key_village.figures import Figures, record_figures
from models.chains.key_village.spot_checks import draw_county_sample
from models.chains.key_village.stages import CODE as KEY_VILLAGE
from models.chains.monitoring.assist import assign_departments, request_closeout, verify_closeout
from models.chains.monitoring.stages import CODE as MONITORING
from models.chains.rectification.findings import FindingInput, record_findings, report_fix
from models.chains.rectification.stages import CODE as RECTIFICATION
from models.chains.relative_identify.city_check import draw_city_samples, record_city_check
from models.chains.relative_identify.record import RelativeRecordBase, write_record
from models.chains.relative_identify.stages import CODE as RELATIVE_IDENTIFY
from models.chains.village_exit.county_check import VillageCheck, draw_village_check, record_survey
from models.chains.village_exit.stages import CODE as VILLAGE_EXIT
from models.chains.village_exit.standards import VillageFacts, record_assessment
from models.core.actors import ROLE_LEVEL, ROLE_NAMES, Actor, Role, add_actor
from models.core.case import Case, StageRecord, Status
from models.core.errors import InvalidInput, TransitionRefused
from models.core.household import Household, IncomeBase
from models.core.regions import Level, Region, prefix
from models.door.chain import INPUT_NAMES, Chain, Input, Stage, Takes, all_chains, chain_named
from models.door.engine import Move, transition
from models.door.forms import Given, form_for
from models.home_checks.recording import CheckInput, record_checks
from models.home_checks.standards import GUARANTEES
from models.home_checks.visits import record_home_visit

NOW = datetime(2026, 10, 8, 2, 0, tzinfo=UTC)
YEAR = 2026
# A region of each level that does not hold the case's village (the village and township ones come from the world).
ELSEWHERE = {Level.COUNTY: ("430122000000", "望城县", "430100000000"),
             Level.CITY: ("430200000000", "株洲市", "430000000000"),
             Level.PROVINCE: ("440000000000", "广东省", None)}

CHAINS = all_chains()
DECIDED = [(c, s) for c in CHAINS for s in c.stages if s.role is not None]
INPUTS = [(c, s, t) for c in CHAINS for s in c.stages for t in s.inputs]


def _id(item: object) -> str:
    return item.code if isinstance(item, Chain | Stage) else item.input.value if isinstance(item, Takes) else ""


@dataclass
class Place:
    """The case's village, and the people around it."""

    session: Session
    village: str
    elsewhere: dict[Level, str]

    def person(self, role: Role, region: str) -> Actor:
        """The person in `role` of `region` (added on first use)."""
        found = self.session.exec(select(Actor).where(Actor.role == role, Actor.region_code == region)).first()
        return found or add_actor(self.session, name=f"{ROLE_NAMES[role]}{region}", role=role, region_code=region)

    def local(self, role: Role) -> Actor:
        """The person in `role` whose region holds the village."""
        return self.person(role, prefix(self.village, ROLE_LEVEL[role]).ljust(12, "0"))

    def stranger(self, role: Role) -> Actor:
        """A person in `role` of another region at the role's level."""
        return self.person(role, self.elsewhere[ROLE_LEVEL[role]])

    def other_role(self, allowed: tuple[Role, ...]) -> Actor:
        """A local person of a role not allowed (the first such role, the machine aside)."""
        return self.local(next(r for r in Role if r not in allowed and r is not Role.SYSTEM))

    def case_at(self, chain: Chain, stage: Stage) -> int:
        """A case of the chain standing at the stage, of a household of the village (a village chain ignores it)."""
        household = self.session.exec(select(Household.id).where(Household.village_code == self.village)
                                      .order_by(col(Household.id))).first()
        case = Case(chain=chain.code, year=YEAR, household_id=household, village_code=self.village, stage=stage.code,
                    status=Status.ACTIVE, version=1, opened_at=NOW)
        self.session.add(case)
        self.session.flush()
        assert case.id is not None
        self.session.add(StageRecord(case_id=case.id, stage=stage.code, opened_at=NOW))
        self.session.commit()
        return case.id


@pytest.fixture
def place(world) -> Place:  # type: ignore[no-untyped-def]
    session = world.session
    for level, (code, name, parent) in ELSEWHERE.items():
        session.add(Region(code=code, name=name, level=level, parent_code=parent))
    session.commit()
    elsewhere = {level: spec[0] for level, spec in ELSEWHERE.items()}
    elsewhere.update({Level.VILLAGE: world.villages[1], Level.TOWNSHIP: world.area.townships[1]})
    return Place(session, world.villages[0], elsewhere)


def stage_of(session: Session, case_id: int) -> tuple[str, Status]:
    session.expire_all()
    case = session.get(Case, case_id)
    assert case is not None
    return case.stage, case.status


# ---- the door: who decides a stage ----

@pytest.mark.parametrize(("chain", "stage"), DECIDED, ids=_id)
def test_the_stage_role_of_the_cases_area_moves_it(place, chain, stage):
    case_id = place.case_at(chain, stage)
    move = Move.RETURN if stage.sends_back_to else Move.REJECT
    result = transition(session=place.session, chain=chain.code, stage=stage.code, case_ids=[case_id], move=move,
                        actor=place.local(stage.role), now=NOW, reason="材料不全")
    assert result.moved == [case_id]
    expected = (stage.sends_back_to, Status.ACTIVE) if stage.sends_back_to else (stage.code, Status.REJECTED)
    assert stage_of(place.session, case_id) == expected


@pytest.mark.parametrize(("chain", "stage"), DECIDED, ids=_id)
def test_another_role_is_refused_with_the_role_the_stage_needs(place, chain, stage):
    case_id = place.case_at(chain, stage)
    wrong = place.other_role((stage.role,))
    for move in (Move.APPROVE, Move.REJECT):
        with pytest.raises(TransitionRefused) as refused:
            transition(session=place.session, chain=chain.code, stage=stage.code, case_ids=[case_id], move=move,
                       actor=wrong, now=NOW, reason="材料不全")
        assert refused.value.reasons == {
            case_id: f"{stage.name}环节须由{ROLE_NAMES[stage.role]}决定，{wrong.title()}无权决定"}
    assert stage_of(place.session, case_id) == (stage.code, Status.ACTIVE)


@pytest.mark.parametrize(("chain", "stage"), DECIDED, ids=_id)
def test_the_stage_role_of_another_area_is_refused(place, chain, stage):
    case_id = place.case_at(chain, stage)
    stranger = place.stranger(stage.role)
    with pytest.raises(TransitionRefused) as refused:
        transition(session=place.session, chain=chain.code, stage=stage.code, case_ids=[case_id], move=Move.APPROVE,
                   actor=stranger, now=NOW)
    assert refused.value.reasons == {case_id: f"案件不在{stranger.title()}的辖区内"}
    assert stage_of(place.session, case_id) == (stage.code, Status.ACTIVE)


# ---- the stage inputs: each kind as the person records it, with the least the function asks ----

Record = Callable[[Place, int, Stage, Actor], object]


@dataclass(frozen=True)
class Recorder:
    record: Record
    scope: bool = False  # records for all of a scope's cases at the stage (a draw): a case elsewhere is not drawn
    current: bool = False  # records at the case's current stage (several stages take it)
    opens: bool = False  # opens its cases: no case stands anywhere before it


def _village_check(p: Place, case_id: int, stage: Stage, actor: Actor) -> object:
    """The survey of a village check made during the case's current visit (as if drawn), recorded by `actor`."""
    record = p.session.exec(select(StageRecord.id).where(StageRecord.case_id == case_id,
                                                         col(StageRecord.left_at).is_(None))).one()
    check = VillageCheck(case_id=case_id, stage_record_id=record, year=YEAR, village_code=p.village, wrong_exit_seed=1,
                         wrong_exit_rule="", exiting_people=0, people_required=0, missed_seed=1, missed_group="",
                         drawn_at=NOW, actor_id=p.local(Role.COUNTY_RECHECK_TEAM).id or 0)
    p.session.add(check)
    p.session.commit()
    return record_survey(session=p.session, check_id=check.id or 0, respondents=50, satisfied=48, actor=actor, now=NOW)


CARD = RelativeRecordBase(cause="缺劳力", helper="张三", three_year_plan="三年规划", yearly_plan="年度计划",
                          has_labour=False)
VISIT = IncomeBase(year=YEAR, wages=Decimal(9000))
RECORDERS: dict[tuple[str, Input], Recorder] = {
    (HOUSEHOLD_EXIT, Input.HOME_CHECK): Recorder(lambda p, case_id, stage, actor: record_checks(
        session=p.session, stage=stage.code, items=[CheckInput(case_id, dict.fromkeys(GUARANTEES, True))],
        actor=actor, now=NOW)),
    (VILLAGE_EXIT, Input.VILLAGE_ACCEPTANCE): Recorder(lambda p, case_id, stage, actor: record_assessment(
        session=p.session, case_id=case_id, stage=stage.code, actor=actor, now=NOW,
        facts=VillageFacts(1000, 10, "县统计局", Decimal(60000), "村账", {}))),
    (VILLAGE_EXIT, Input.SAMPLE): Recorder(lambda p, case_id, stage, actor: draw_village_check(
        session=p.session, case_id=case_id, actor=actor, now=NOW)),
    (VILLAGE_EXIT, Input.SAMPLE_FINDINGS): Recorder(_village_check),
    (KEY_VILLAGE, Input.VILLAGE_FIGURES): Recorder(lambda p, case_id, stage, actor: record_figures(
        session=p.session, case_id=case_id, stage=stage.code, actor=actor, now=NOW,
        figures=Figures(300, 60, Decimal(2600), Decimal(12000), "镇政府摸查核实"))),
    (KEY_VILLAGE, Input.SAMPLE): Recorder(lambda p, case_id, stage, actor: draw_county_sample(
        session=p.session, stage=stage.code, county_code=prefix(p.village, Level.COUNTY).ljust(12, "0"), year=YEAR,
        now=NOW, actor=actor), scope=True),
    (RELATIVE_IDENTIFY, Input.SAMPLE): Recorder(lambda p, case_id, stage, actor: draw_city_samples(
        session=p.session, chain=RELATIVE_IDENTIFY, year=YEAR, scope=prefix(p.village, Level.COUNTY), now=NOW,
        actor=actor), scope=True),
    (RELATIVE_IDENTIFY, Input.INCOME_RECHECK): Recorder(lambda p, case_id, stage, actor: record_city_check(
        session=p.session, case_id=case_id, actor=actor, now=NOW)),
    (RELATIVE_IDENTIFY, Input.RECORD_CARD): Recorder(lambda p, case_id, stage, actor: write_record(
        session=p.session, case_id=case_id, data=CARD, actor=actor, now=NOW)),
    (MONITORING, Input.ASSIGNMENT): Recorder(lambda p, case_id, stage, actor: assign_departments(
        session=p.session, case_id=case_id, liaisons={}, actor=actor, now=NOW), current=True),
    (MONITORING, Input.CLOSEOUT_REQUEST): Recorder(lambda p, case_id, stage, actor: request_closeout(
        session=p.session, case_id=case_id, actor=actor, measures="危房改造", now=NOW)),
    (MONITORING, Input.CLOSEOUT_CHECK): Recorder(lambda p, case_id, stage, actor: verify_closeout(
        session=p.session, case_id=case_id, actor=actor, results={}, note="", now=NOW)),
    (EDGE_IDENTIFY, Input.HOME_VISIT): Recorder(lambda p, case_id, stage, actor: record_home_visit(
        session=p.session, case_id=case_id, stage=stage.code, income=VISIT, note="", actor=actor, now=NOW)),
    (RELATIVE_IDENTIFY, Input.HOME_VISIT): Recorder(lambda p, case_id, stage, actor: record_home_visit(
        session=p.session, case_id=case_id, stage=stage.code, income=VISIT, note="", actor=actor, now=NOW)),
    (MONITORING, Input.WARNING): Recorder(lambda p, case_id, stage, actor: form_for(
        chain_named(MONITORING), Input.WARNING).record(Given(session=p.session, actor=actor,
                                                             chain=chain_named(MONITORING), stage=stage, case_id=None,
                                                             values={"village": p.village}, now=NOW)), opens=True),
    (RECTIFICATION, Input.FINDING): Recorder(lambda p, case_id, stage, actor: record_findings(
        session=p.session, year=YEAR, actor=actor, now=NOW,
        findings=[FindingInput(p.village, "1-1", found="发现问题", unit="帮扶责任人")]), opens=True),
    (RECTIFICATION, Input.FIX): Recorder(lambda p, case_id, stage, actor: report_fix(
        session=p.session, case_id=case_id, action="已整改", evidence="佐证材料", actor=actor, now=NOW)),
}


def recorder(chain: Chain, takes: Takes) -> Recorder:
    found = RECORDERS.get((chain.code, takes.input))
    assert found is not None, f"{chain.code}的{takes.input}没有契约测试：在RECORDERS中登记其录入函数"
    return found


# Inputs recorded on a case already at some stage: an input that opens its cases (findings) has no earlier stage
# for a case to stand at; its area refusal is tested below.
AT_A_STAGE = [(c, s, t) for c, s, t in INPUTS
              if (c.code, t.input) not in RECORDERS or not RECORDERS[(c.code, t.input)].opens]


def refusal(p: Place, record: Recorder, case_id: int, stage: Stage, actor: Actor) -> str:
    """The reason the input was refused for the case; nothing is written."""
    with pytest.raises((TransitionRefused, InvalidInput)) as refused:
        record.record(p, case_id, stage, actor)
    p.session.rollback()
    error = refused.value
    return error.reasons[case_id] if isinstance(error, TransitionRefused) else error.rule


def test_every_input_a_stage_takes_has_its_recorder_here():
    assert {(c.code, t.input) for c, _, t in INPUTS} == set(RECORDERS)


@pytest.mark.parametrize(("chain", "stage", "takes"), AT_A_STAGE, ids=_id)
def test_an_input_is_refused_for_a_case_not_at_its_stage(place, chain, stage, takes):
    record = recorder(chain, takes)
    other = chain.stages[1] if stage is chain.first else chain.first
    case_id = place.case_at(chain, other)
    actor = place.local(stage.recorders(takes.input)[0])
    if record.scope:
        assert record.record(place, case_id, stage, actor) in (None, [])  # nothing at the stage to draw
        return
    expected = f"“{other.name}”环节不登记{INPUT_NAMES[takes.input]}" if record.current else \
        f"案件当前处于“{other.name}”环节，不在“{stage.name}”环节"
    assert refusal(place, record, case_id, stage, actor) == expected
    assert stage_of(place.session, case_id) == (other.code, Status.ACTIVE)


@pytest.mark.parametrize(("chain", "stage", "takes"), INPUTS, ids=_id)
def test_an_input_is_refused_for_a_role_that_does_not_record_it(place, chain, stage, takes):
    record = recorder(chain, takes)
    case_id = place.case_at(chain, stage)
    roles = stage.recorders(takes.input)
    wrong = place.other_role(roles)
    who = "或".join(ROLE_NAMES[r] for r in roles)
    assert refusal(place, record, case_id, stage, wrong) == \
        f"{stage.name}环节的{INPUT_NAMES[takes.input]}须由{who}办理，{wrong.title()}无权办理"


@pytest.mark.parametrize(("chain", "stage", "takes"), INPUTS, ids=_id)
def test_an_input_is_refused_for_the_right_role_of_another_area(place, chain, stage, takes):
    record = recorder(chain, takes)
    case_id = place.case_at(chain, stage)
    stranger = place.stranger(stage.recorders(takes.input)[0])
    # An input that opens its cases names a village, which must lie in the person's area.
    where = "" if record.opens else "案件"
    assert refusal(place, record, case_id, stage, stranger) == f"{where}不在{stranger.title()}的辖区内"
