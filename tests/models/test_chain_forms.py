"""The stage-input forms of chains C, E, F and G on a real database: each recorded from raw text as the CLI and the
dashboard give it (read_values, then the form's record), and a bad value refused naming its field, nothing written."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PIL import Image
from sqlmodel import Session, col, func, select

from models.chains.edge_identify.stages import EDGE_IDENTIFY
from models.chains.edge_identify.standards import edge_standard_met
from models.chains.monitoring.assist import assignments_of
from models.chains.monitoring.stages import MONITORING
from models.chains.monitoring.tables import MonitoringRound, MonitoringWarning
from models.chains.rectification.findings import RectificationFinding, RectificationFix
from models.chains.rectification.stages import RECTIFICATION
from models.chains.relative_identify.city_check import RelativeCityCheck
from models.chains.relative_identify.record import RelativeRecord
from models.chains.relative_identify.stages import RELATIVE_IDENTIFY
from models.core.actors import ROLE_NAMES, Actor, Role, add_actor
from models.core.case import Case, StageRecord, Status
from models.core.errors import InvalidInput, TransitionRefused
from models.core.household import Household, Income
from models.core.regions import Level, prefix
from models.door.cases import load_rows
from models.door.chain import Chain, Input
from models.door.engine import Move, transition
from models.door.forms import Given, Upload, form_for, read_values
from models.door.sampling import Sample, SampleCase
from models.evidence.uploads import Evidence
from tests.monitoring_walk import ROUND_AT, households, setup, walk_to

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
YEAR = 2026
Raw = Mapping[str, str | Sequence[str | Upload]]


def person(session: Session, role: Role, region: str) -> Actor:
    """The person in `role` of `region` (added on first use)."""
    found = session.exec(select(Actor).where(Actor.role == role, Actor.region_code == region)).first()
    return found or add_actor(session, name=f"{role.value}{region}", role=role, region_code=region)


def local(session: Session, role: Role, village: str) -> Actor:
    level = {Role.TOWNSHIP_CHECK_TEAM: Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT: Level.TOWNSHIP,
             Role.CITY_CHECK_TEAM: Level.CITY, Role.COUNTY_RECHECK_TEAM: Level.COUNTY}.get(role, Level.VILLAGE)
    return person(session, role, prefix(village, level).ljust(12, "0"))


def case_at(session: Session, chain: Chain, stage: str, household: int | None, village: str) -> int:
    """A case of the chain standing at the stage."""
    case = Case(chain=chain.code, year=YEAR, household_id=household, village_code=village, stage=stage,
                status=Status.ACTIVE, version=1, opened_at=NOW)
    session.add(case)
    session.flush()
    assert case.id is not None
    session.add(StageRecord(case_id=case.id, stage=stage, opened_at=NOW))
    session.commit()
    return case.id


def record(session: Session, chain: Chain, stage: str, kind: Input, raw: Raw, actor: Actor,
           case_id: int | None = None, now: datetime = NOW) -> str:
    """Read the raw text against the chain's form and record it, as the CLI and the dashboard do; committed."""
    form = form_for(chain, kind)
    values = read_values(form, {k: [v] if isinstance(v, str) else v for k, v in raw.items()})
    said = form.record(Given(session=session, actor=actor, chain=chain, stage=chain.stage(stage), case_id=case_id,
                             values=values, now=now))
    session.commit()
    return said


def refused(session: Session, chain: Chain, stage: str, kind: Input, raw: Raw, actor: Actor,
            case_id: int | None = None, now: datetime = NOW) -> InvalidInput:
    """The refusal of a bad form; the transaction is rolled back as the callers do."""
    with pytest.raises(InvalidInput) as error:
        record(session, chain, stage, kind, raw, actor, case_id, now)
    session.rollback()
    return error.value


def count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def income_of(session: Session, household: int) -> Income | None:
    session.expire_all()
    return session.exec(select(Income).where(Income.household_id == household, Income.year == YEAR)).first()


def every_form_field_has_a_label() -> None:
    for chain in (EDGE_IDENTIFY, RELATIVE_IDENTIFY, MONITORING, RECTIFICATION):
        for stage in chain.stages:
            for takes in stage.inputs:
                assert all(f.label for f in form_for(chain, takes.input).fields)


def test_every_input_of_these_chains_has_a_labelled_form():
    every_form_field_has_a_label()


# ---- C and E: the home visit's measured income ----

VISIT = {"wages": "6000", "operating": "1200.50", "property_income": "0", "transfer": "800", "expenses": "300.50"}


@pytest.mark.parametrize(("chain", "stage"), [(EDGE_IDENTIFY, "EDGE_HOME_VISIT"),
                                              (RELATIVE_IDENTIFY, "REL_TOWNSHIP_CHECK")], ids=lambda c: str(c)[:12])
def test_a_home_visit_records_the_households_income_of_the_year(world, chain, stage):
    session, village = world.session, world.villages[0]
    household = world.area.household_ids[0]
    case_id = case_at(session, chain, stage, household, village)
    team = local(session, Role.TOWNSHIP_CHECK_TEAM, village)
    said = record(session, chain, stage, Input.HOME_VISIT, {**VISIT, "note": "户主外出务工"}, team, case_id)
    assert said.startswith(f"已登记案件{case_id}的入户核实：2026年度收入，人均纯收入")
    stored = income_of(session, household)
    assert stored is not None
    assert (stored.wages, stored.operating, stored.transfer, stored.expenses) == (
        Decimal("6000"), Decimal("1200.50"), Decimal("800"), Decimal("300.50"))


def test_the_home_visit_income_is_what_the_edge_standard_judges(world):
    session, village = world.session, world.villages[0]
    household = world.area.household_ids[0]
    case_id = case_at(session, EDGE_IDENTIFY, "EDGE_HOME_VISIT", household, village)
    team = local(session, Role.TOWNSHIP_CHECK_TEAM, village)
    record(session, EDGE_IDENTIFY, "EDGE_HOME_VISIT", Input.HOME_VISIT,
           {"wages": "100000", "operating": "0", "property_income": "0", "transfer": "0", "expenses": "0"}, team,
           case_id)
    reasons = edge_standard_met(session, list(load_rows(session, [case_id]).values()))
    assert "不符合上限" in reasons[case_id]


def test_a_negative_visit_income_is_refused_naming_its_field_and_nothing_is_written(world):
    session, village = world.session, world.villages[0]
    household = world.area.household_ids[0]
    before = income_of(session, household)
    wages = before.wages if before is not None else None
    case_id = case_at(session, EDGE_IDENTIFY, "EDGE_HOME_VISIT", household, village)
    team = local(session, Role.TOWNSHIP_CHECK_TEAM, village)
    error = refused(session, EDGE_IDENTIFY, "EDGE_HOME_VISIT", Input.HOME_VISIT, {**VISIT, "wages": "-1"}, team,
                    case_id)
    assert (error.record, error.field, error.value, error.rule) == ("入户核实登记", "工资性收入", "-1", "不得为负数")
    after = income_of(session, household)
    assert (after.wages if after is not None else None) == wages


def test_a_home_visit_by_another_role_is_refused(world):
    session, village = world.session, world.villages[0]
    case_id = case_at(session, EDGE_IDENTIFY, "EDGE_HOME_VISIT", world.area.household_ids[0], village)
    committee = local(session, Role.VILLAGE_COMMITTEE, village)
    before = income_of(session, world.area.household_ids[0])
    before = before.model_dump() if before is not None else None
    with pytest.raises(TransitionRefused) as error:
        record(session, EDGE_IDENTIFY, "EDGE_HOME_VISIT", Input.HOME_VISIT, VISIT, committee, case_id)
    who = ROLE_NAMES[Role.TOWNSHIP_CHECK_TEAM]
    assert error.value.reasons == {case_id: f"入户核实环节的入户核实登记须由{who}办理，{committee.title()}无权办理"}
    session.rollback()
    after = income_of(session, world.area.household_ids[0])
    assert (after.model_dump() if after is not None else None) == before


# ---- E: the city's sample, its income re-check, the record card ----

@pytest.fixture
def at_city_check(world):
    """Two cases of one village at the city check, and the city team."""
    session, village = world.session, world.villages[0]
    ids = [case_at(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", h, village) for h in world.area.household_ids[:2]]
    return ids, local(session, Role.CITY_CHECK_TEAM, village)


def test_the_city_team_draws_the_villages_sample_with_its_seed(world, at_city_check):
    session = world.session
    (case_id, _), team = at_city_check
    said = record(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.SAMPLE, {"seed": "42"}, team, case_id)
    assert said.startswith("已抽取") and "1个村" in said
    sample = session.exec(select(Sample)).one()
    assert (sample.seed, sample.village_code) == (42, world.villages[0])
    assert count(session, SampleCase) == 2
    again = refused(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.SAMPLE, {"seed": "42"}, team, case_id)
    assert (again.field, again.rule) == ("抽样范围", "范围内没有待抽样的案件（本环节已抽样，不能重复抽取）")
    assert count(session, Sample) == 1


def test_a_seed_out_of_range_is_refused_naming_it(world, at_city_check):
    (case_id, _), team = at_city_check
    error = refused(world.session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.SAMPLE, {"seed": "-1"}, team, case_id)
    assert (error.field, error.value, error.rule) == ("随机种子", "-1", "不得为负数")
    assert count(world.session, Sample) == 0


def test_the_city_team_rechecks_a_drawn_households_income(world, at_city_check):
    session = world.session
    (case_id, _), team = at_city_check
    record(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.SAMPLE, {"seed": "1"}, team, case_id)
    drawn = session.exec(select(SampleCase.case_id).where(col(SampleCase.drawn).is_(True))).first()
    assert drawn is not None
    low = {"wages": "1000", "operating": "0", "property_income": "0", "transfer": "0", "expenses": "0"}
    said = record(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.INCOME_RECHECK, low, team, drawn)
    assert said.startswith(f"已登记案件{drawn}的市级抽查核查：人均纯收入")
    check = session.exec(select(RelativeCityCheck)).one()
    assert (check.case_id, check.wages, check.passed) == (drawn, Decimal("1000"), True)


def test_a_partial_recheck_income_is_refused_naming_the_first_missing_part(world, at_city_check):
    session = world.session
    (case_id, _), team = at_city_check
    record(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.SAMPLE, {"seed": "1"}, team, case_id)
    drawn = session.exec(select(SampleCase.case_id).where(col(SampleCase.drawn).is_(True))).first()
    error = refused(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.INCOME_RECHECK, {"wages": "1000"}, team,
                    drawn)
    assert (error.field, error.rule) == ("家庭经营收入", "重新核算收入须填写全部五项；全部不填则按已登记的收入核查")
    negative = refused(session, RELATIVE_IDENTIFY, "REL_CITY_CHECK", Input.INCOME_RECHECK, {"transfer": "-3"}, team,
                       drawn)
    assert (negative.field, negative.rule) == ("转移性收入", "不得为负数")
    assert count(session, RelativeCityCheck) == 0


CARD = {"cause": "缺劳力", "helper": "张三", "three_year_plan": "发展养殖", "yearly_plan": "购鸡苗200只",
        "has_labour": "否", "funds": "3000"}


def test_the_township_fills_in_the_record_card(world):
    session, village = world.session, world.villages[0]
    case_id = case_at(session, RELATIVE_IDENTIFY, "REL_RECORD", world.area.household_ids[0], village)
    government = local(session, Role.TOWNSHIP_GOVERNMENT, village)
    said = record(session, RELATIVE_IDENTIFY, "REL_RECORD", Input.RECORD_CARD, CARD, government, case_id)
    assert said == f"已登记案件{case_id}的建档立卡内容（无劳动能力）"
    card = session.exec(select(RelativeRecord)).one()
    assert (card.cause, card.has_labour, card.funds, card.helper_unit) == ("缺劳力", False, Decimal("3000"), "")


def test_a_bad_record_card_names_every_bad_field_and_writes_nothing(world):
    session, village = world.session, world.villages[0]
    case_id = case_at(session, RELATIVE_IDENTIFY, "REL_RECORD", world.area.household_ids[0], village)
    government = local(session, Role.TOWNSHIP_GOVERNMENT, village)
    error = refused(session, RELATIVE_IDENTIFY, "REL_RECORD", Input.RECORD_CARD,
                    {**CARD, "has_labour": "也许", "funds": "-5", "cause": ""}, government, case_id)
    assert [(p.field, p.rule) for p in error.problems] == [  # type: ignore[attr-defined]
        ("致贫原因", "必须填写"), ("有劳动能力", "须填“是”或“否”"), ("扶持资金（元）", "不得为负数")]
    assert count(session, RelativeRecord) == 0


# ---- F: the round's warnings, assignment, close-out request and verification ----

def numbers(session: Session, ids: Sequence[int]) -> list[str]:
    by_id = dict(session.execute(select(Household.id, Household.number).where(col(Household.id).in_(ids)))
                 .tuples().all())
    return [by_id[i] for i in ids]


def test_a_village_records_its_round_and_the_warnings_open_cases(world):
    s = setup(world)
    session, village = world.session, world.villages[0]
    first, second = numbers(session, households(s, village)[:2])
    committee = s.actor(Role.VILLAGE_COMMITTEE, village)
    said = record(session, MONITORING, "MON_FLAG", Input.WARNING,
                  {"held_on": "2026-09-24", "observed": f"{first}，{second}", "lacking_housing": first,
                   "lacking_water": first}, committee, now=ROUND_AT)
    assert said.startswith("已登记") and said.endswith("9月动态监测：监测2户，标注预警2项，涉及1户")
    warnings = session.exec(select(MonitoringWarning)).all()
    assert sorted(w.guarantee for w in warnings) == ["housing", "water"]
    case = session.get(Case, warnings[0].case_id)
    assert case is not None and (case.chain, case.stage) == (MONITORING.code, "MON_FLAG")


def test_a_warning_for_a_household_not_observed_is_refused_and_nothing_is_written(world):
    s = setup(world)
    session, village = world.session, world.villages[0]
    first, second = numbers(session, households(s, village)[:2])
    committee = s.actor(Role.VILLAGE_COMMITTEE, village)
    error = refused(session, MONITORING, "MON_FLAG", Input.WARNING,
                    {"observed": first, "lacking_housing": second}, committee, now=ROUND_AT)
    assert (error.field, error.value, error.rule) == ("住房安全有保障缺项户", second, "须为本次监测户之一")
    unknown = refused(session, MONITORING, "MON_FLAG", Input.WARNING, {"observed": "X-404"}, committee,
                      now=ROUND_AT)
    assert (unknown.field, unknown.value) == ("监测户", "X-404")
    assert (count(session, MonitoringRound), count(session, MonitoringWarning), count(session, Case)) == (0, 0, 0)


@pytest.fixture
def warned(world):
    s = setup(world)
    village = world.villages[0]
    number = numbers(world.session, households(s, village)[:1])[0]
    record(world.session, MONITORING, "MON_FLAG", Input.WARNING, {"lacking_housing": number},
           s.actor(Role.VILLAGE_COMMITTEE, village), now=ROUND_AT)
    case_id = world.session.exec(select(MonitoringWarning.case_id)).one()
    assert case_id is not None
    return s, case_id


def test_the_township_hands_the_warned_item_to_its_department(world, warned):
    s, case_id = warned
    now = walk_to(s, case_id, "MON_CONFIRM")
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    said = record(world.session, MONITORING, "MON_CONFIRM", Input.ASSIGNMENT,
                  {"liaison_housing": s.liaisons["housing"].login}, government, case_id, now)
    assert said.startswith("已交办：住房安全有保障交")
    [made] = assignments_of(world.session, [case_id])[case_id]
    assert made.liaison_id == s.liaisons["housing"].id


def test_an_assignment_of_an_item_not_warned_is_refused_naming_it(world, warned):
    s, case_id = warned
    now = walk_to(s, case_id, "MON_CONFIRM")
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    error = refused(world.session, MONITORING, "MON_CONFIRM", Input.ASSIGNMENT,
                    {"liaison_food": s.liaisons["food"].login}, government, case_id, now)
    assert (error.field, error.rule) == ("吃不愁责任人", "该户此项未预警或已交办")
    nobody = refused(world.session, MONITORING, "MON_CONFIRM", Input.ASSIGNMENT,
                     {"liaison_housing": "无此人"}, government, case_id, now)
    assert (nobody.field, nobody.value, nobody.rule) == ("住房安全有保障责任人", "无此人", "没有此登录名的人员")
    assert assignments_of(world.session, [case_id]) == {}


def test_the_department_asks_to_close_out_and_the_township_verifies(world, warned):
    s, case_id = warned
    now = walk_to(s, case_id, "MON_ASSIST")
    liaison = s.liaisons["housing"]
    empty = refused(world.session, MONITORING, "MON_ASSIST", Input.CLOSEOUT_REQUEST, {"measures": " "}, liaison,
                    case_id, now)
    assert (empty.field, empty.rule) == ("帮扶措施", "必须填写")
    said = record(world.session, MONITORING, "MON_ASSIST", Input.CLOSEOUT_REQUEST, {"measures": "危房改造已完工"},
                  liaison, case_id, now)
    assert said == f"已登记案件{case_id}的销号申请：住房安全有保障"
    now = walk_to(s, case_id, "MON_CLOSEOUT", now)
    government = s.actor(Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    wrong = refused(world.session, MONITORING, "MON_CLOSEOUT", Input.CLOSEOUT_CHECK,
                    {"met_housing": "是", "met_food": "是"}, government, case_id, now)
    assert (wrong.field, wrong.rule) == ("吃不愁是否达标", "不是本案交办的缺项，不填")
    assert assignments_of(world.session, [case_id])[case_id][0].verified_at is None
    said = record(world.session, MONITORING, "MON_CLOSEOUT", Input.CLOSEOUT_CHECK,
                  {"met_housing": "否", "note": "墙体未完工"}, government, case_id, now)
    assert said == f"已登记案件{case_id}的销号核实：未达标住房安全有保障，重新限时帮扶"
    world.session.expire_all()
    assert assignments_of(world.session, [case_id])[case_id][0].verified_ok is False


# ---- G: a finding, and the fix with its uploaded evidence ----

FINDING = {"item": "1-1", "found": "3户收入核算有误", "unit": "帮扶责任人"}


def test_the_county_team_records_a_finding_which_opens_its_case(world):
    session, village = world.session, world.villages[0]
    team = local(session, Role.COUNTY_RECHECK_TEAM, village)
    said = record(session, RECTIFICATION, "RECT_ASSIGN", Input.FINDING, {**FINDING, "village": village}, team)
    finding = session.exec(select(RectificationFinding)).one()
    assert said == f"已登记排查问题，立案{finding.case_id}：交帮扶责任人整改"
    assert (finding.village_code, finding.unit, finding.found) == (village, "帮扶责任人", "3户收入核算有误")


def test_a_finding_with_a_unit_the_item_does_not_name_is_refused(world):
    session, village = world.session, world.villages[0]
    team = local(session, Role.COUNTY_RECHECK_TEAM, village)
    error = refused(session, RECTIFICATION, "RECT_ASSIGN", Input.FINDING,
                    {**FINDING, "village": village, "unit": "无关单位"}, team)
    assert (error.field, error.value) == ("责任单位", "无关单位")
    bad_date = refused(session, RECTIFICATION, "RECT_ASSIGN", Input.FINDING,
                       {**FINDING, "village": village, "due": "2026-13-01"}, team)
    assert (bad_date.field, bad_date.rule) == ("完成时限", "须为日期，如2026-11-02")
    assert (count(session, RectificationFinding), count(session, Case)) == (0, 0)


@pytest.fixture
def at_fix(world):
    session, village = world.session, world.villages[0]
    team = local(session, Role.COUNTY_RECHECK_TEAM, village)
    record(session, RECTIFICATION, "RECT_ASSIGN", Input.FINDING, {**FINDING, "village": village}, team)
    case_id = session.exec(select(RectificationFinding.case_id)).one()
    transition(session=session, chain=RECTIFICATION.code, stage="RECT_ASSIGN", case_ids=[case_id], move=Move.APPROVE,
               actor=team, now=NOW)
    return case_id, person(session, Role.RECTIFICATION_UNIT, village)


def test_the_unit_reports_its_fix_with_uploaded_evidence_and_it_moves_on(world, at_fix):
    case_id, unit = at_fix
    raw = {"action": "已重新核算3户收入", "evidence": "收入调查表3份",
           "files": [Upload("调查表.png", png()), Upload("签字.png", png())]}
    said = record(world.session, RECTIFICATION, "RECT_FIX", Input.FIX, raw, unit, case_id)
    assert said == f"已报送案件{case_id}的整改情况及佐证材料2份，转乡镇核查验收"
    assert count(world.session, Evidence) == 2
    assert world.session.exec(select(RectificationFix.evidence)).one() == "收入调查表3份"
    world.session.expire_all()
    assert world.session.get(Case, case_id).stage == "RECT_VERIFY"  # type: ignore[union-attr]


def test_a_fix_without_a_file_or_with_a_file_not_an_image_is_refused(world, at_fix):
    case_id, unit = at_fix
    base = {"action": "已整改", "evidence": "照片1张"}
    missing = refused(world.session, RECTIFICATION, "RECT_FIX", Input.FIX, base, unit, case_id)
    assert (missing.field, missing.rule) == ("佐证材料文件", "必须填写")
    text = refused(world.session, RECTIFICATION, "RECT_FIX", Input.FIX,
                   {**base, "files": [Upload("照片.png", b"not an image")]}, unit, case_id)
    assert text.field == "文件内容"
    assert (count(world.session, Evidence), count(world.session, RectificationFix)) == (0, 0)
    world.session.expire_all()
    assert world.session.get(Case, case_id).stage == "RECT_FIX"  # type: ignore[union-attr]
