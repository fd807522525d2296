"""Stage-input forms: every input every chain declares has its form; raw text is read and checked field by field;
the home check's, chain B's and chain D's forms record through their chains' functions and refuse bad values
naming the field, writing nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models.chains.key_village.figures import KeyVillageFacts
from models.chains.village_exit.county_check import VillageCheck, VillageCheckHousehold
from models.chains.village_exit.standards import VillageAssessment, village_exit_policy
from models.core.actors import Role
from models.core.audit import AuditEvent
from models.core.errors import InvalidInput, TransitionRefused
from models.core.household import Household
from models.door.chain import Input, all_chains, chain_named
from models.door.forms import (
    Field,
    FormInvalid,
    InputForm,
    Kind,
    Upload,
    form_for,
    input_named,
    input_slug,
    read_values,
    record_input,
    target,
    waiting_inputs,
)
from models.home_checks.standards import GUARANTEES, Assessment
from tests import key_village_walk as kv
from tests import village_walk as vw
from tests.walk import actor_for as household_actor
from tests.walk import open_all, walk_to

T0 = vw.T0
YES = {key: ["是"] for key in GUARANTEES} | {"head_signed": ["是"]}


def count(session, table) -> int:
    session.rollback()
    return int(session.scalar(select(func.count()).select_from(table)))


# --- the contract over every chain -----------------------------------------------------------------------------


def test_every_input_every_chain_declares_has_a_form_with_labelled_fields():
    missing, unlabelled = [], []
    for chain in all_chains():
        for stage in chain.stages:
            for takes in stage.inputs:
                try:
                    form = form_for(chain, takes.input)
                except Exception as error:  # noqa: BLE001 - every gap is listed, not just the first
                    missing.append(f"{chain.code}.{stage.code}.{takes.input}: {error}")
                    continue
                assert form.input is takes.input
                unlabelled += [f"{chain.code}.{takes.input}.{f.name}" for f in form.fields if not f.label.strip()]
    assert not missing, "inputs without a form:\n" + "\n".join(missing)
    assert not unlabelled, f"fields without a label: {unlabelled}"


def test_waiting_inputs_pairs_each_input_of_a_stage_with_its_form():
    chain = chain_named("village-exit")
    stage = chain.stage("VILLAGE_COUNTY_CHECK")
    assert [(t.input, f.input) for t, f in waiting_inputs(chain, stage)] == [
        (Input.VILLAGE_ACCEPTANCE, Input.VILLAGE_ACCEPTANCE), (Input.SAMPLE, Input.SAMPLE),
        (Input.SAMPLE_FINDINGS, Input.SAMPLE_FINDINGS)]


def test_an_input_is_named_as_the_command_line_writes_it():
    assert input_named("home-check") is Input.HOME_CHECK and input_slug(Input.SAMPLE_FINDINGS) == "sample-findings"
    with pytest.raises(Exception, match="没有登记事项“nonsense”.*home-check"):
        input_named("nonsense")


# --- reading raw values ----------------------------------------------------------------------------------------

FORM = InputForm(Input.HOME_CHECK, (
    Field("income", "工资性收入", Kind.AMOUNT),
    Field("people", "人数", Kind.INTEGER, minimum=Decimal(1), maximum=Decimal(20)),
    Field("score", "得分", Kind.DECIMAL, minimum=Decimal(0), maximum=Decimal(15)),
    Field("signed", "已签字", Kind.YES_NO),
    Field("school", "义务教育", Kind.YES_NO_NA),
    Field("kind", "类别", Kind.CHOICE, choices=(("HOUSING", "住房"), ("WATER", "饮水"))),
    Field("kinds", "多类别", Kind.CHOICES, required=False, choices=(("HOUSING", "住房"), ("WATER", "饮水"))),
    Field("on", "日期", Kind.DATE, required=False),
    Field("proof", "照片", Kind.FILE, required=False),
    Field("homes", "户编号", Kind.HOUSEHOLDS, required=False),
    Field("note", "说明", Kind.TEXT, required=False, repeat=True),
), record=lambda given: "")


def test_raw_text_is_read_into_typed_values_and_empty_optional_fields_are_absent():
    values = read_values(FORM, {"income": ["1200.50"], "people": ["3"], "score": ["14.5"], "signed": ["否"],
                                "school": ["不涉及"], "kind": ["饮水"], "kinds": ["HOUSING，饮水"], "on": [""],
                                "proof": [Upload("a.jpg", b"x")], "homes": ["H1, H2\nH3"], "note": ["a", "b"]})
    assert values == {"income": Decimal("1200.50"), "people": 3, "score": Decimal("14.5"), "signed": False,
                      "school": None, "kind": "WATER", "kinds": ("HOUSING", "WATER"),
                      "proof": Upload("a.jpg", b"x"), "homes": ("H1", "H2", "H3"), "note": ("a", "b")}


@pytest.mark.parametrize(("field", "raw", "rule"), [
    ("income", "-1", "不得为负数"), ("income", "1.005", "最多保留两位小数"), ("income", "abc", "须为数字"),
    ("people", "0", "不得小于1"), ("people", "21", "不得大于20"), ("people", "2.5", "须为整数"),
    ("score", "15.01", "不得大于15"), ("signed", "也许", "须填“是”或“否”"), ("kind", "电力", "须为以下之一"),
])
def test_a_bad_value_names_the_form_the_field_the_value_and_the_rule(field, raw, rule):
    good = {"income": ["0"], "people": ["1"], "score": ["0"], "signed": ["是"], "school": ["是"], "kind": ["WATER"]}
    with pytest.raises(InvalidInput) as refused:
        read_values(FORM, good | {field: [raw]})
    label = next(f.label for f in FORM.fields if f.name == field)
    assert (refused.value.record, refused.value.field, refused.value.value) == (FORM.title, label, raw)
    assert rule in refused.value.rule


def test_every_problem_of_a_form_is_named_at_once():
    with pytest.raises(FormInvalid) as refused:
        read_values(FORM, {"income": ["-5"], "people": ["x"], "unknown": ["1"], "signed": ["是", "否"]})
    named = {p.field for p in refused.value.problems}
    assert {"工资性收入", "人数", "得分", "已签字", "义务教育", "类别", "unknown"} <= named
    assert "必须填写" in str(refused.value) and "只能填写一个值" in str(refused.value)


def test_a_file_field_takes_an_upload_not_text_and_not_an_empty_file():
    base = {"income": ["0"], "people": ["1"], "score": ["0"], "signed": ["是"], "school": ["是"], "kind": ["WATER"]}
    with pytest.raises(InvalidInput, match="须上传文件"):
        read_values(FORM, base | {"proof": ["/tmp/a.jpg"]})
    with pytest.raises(InvalidInput, match="文件不能为空"):
        read_values(FORM, base | {"proof": [Upload("a.jpg", b"")]})
    assert "proof" not in read_values(FORM, base | {"proof": [Upload("", b"")]})  # a file control left empty


# --- the home check (chain A) ----------------------------------------------------------------------------------


@pytest.fixture
def at_home_check(world) -> int:
    case_id = open_all(world, T0)[0]
    walk_to(world, [case_id], "HOME_CHECK", T0)
    return case_id


def _record(world, case_id: int, kind: Input, raw, actor, when=T0 + timedelta(days=10)) -> str:
    return record_input(session=world.session, target=target(world.session, kind, case_id=case_id), actor=actor,
                        raw=raw, now=when)


def test_a_home_check_is_recorded_through_its_form(world, at_home_check):
    village = world.session.get(Household, world.area.household_ids[0]).village_code
    team = household_actor(world, Role.TOWNSHIP_CHECK_TEAM, village)
    said = _record(world, at_home_check, Input.HOME_CHECK, YES | {"water": ["否"], "education": ["不涉及"]}, team)
    world.session.commit()
    assert "已登记" in said and "饮水安全未达标" in said
    checked = world.session.scalars(select(Assessment).where(Assessment.case_id == at_home_check)).one()
    assert (checked.water, checked.education, checked.passed, checked.head_signed) == (False, True, False, True)


def test_a_remeasured_income_replaces_the_recorded_one_and_must_be_whole(world, at_home_check):
    village = world.session.get(Household, world.area.household_ids[0]).village_code
    team = household_actor(world, Role.TOWNSHIP_CHECK_TEAM, village)
    with pytest.raises(InvalidInput, match="重新测算收入须填写全部五项"):
        _record(world, at_home_check, Input.HOME_CHECK, YES | {"wages": ["30000"]}, team)
    parts = {"wages": ["90000"], "operating": ["0"], "property_income": ["0"], "transfer": ["0"], "expenses": ["0"]}
    _record(world, at_home_check, Input.HOME_CHECK, YES | parts, team)
    checked = world.session.scalars(select(Assessment).where(Assessment.case_id == at_home_check)).one()
    assert checked.wages == Decimal("90000") and checked.passed


def test_a_negative_income_is_refused_naming_the_field_and_nothing_is_written(world, at_home_check):
    village = world.session.get(Household, world.area.household_ids[0]).village_code
    team = household_actor(world, Role.TOWNSHIP_CHECK_TEAM, village)
    before = count(world.session, AuditEvent)
    parts = {"wages": ["-1"], "operating": ["0"], "property_income": ["0"], "transfer": ["0"], "expenses": ["0"]}
    with pytest.raises(InvalidInput) as refused:
        _record(world, at_home_check, Input.HOME_CHECK, YES | parts, team)
    assert (refused.value.field, refused.value.value) == ("工资性收入", "-1")
    assert count(world.session, Assessment) == 0 and count(world.session, AuditEvent) == before


def test_the_wrong_role_is_refused_before_the_fields_are_read(world, at_home_check):
    village = world.session.get(Household, world.area.household_ids[0]).village_code
    leader = household_actor(world, Role.GROUP_LEADER, village)
    with pytest.raises(TransitionRefused, match="乡镇核查组"):
        _record(world, at_home_check, Input.HOME_CHECK, {}, leader)


# --- chain B: acceptance, the county's draw, findings and survey -----------------------------------------------


def _acceptance(world, case_id: int, points: str = "10") -> dict[str, list[str]]:
    code = world.session.get(Household, world.area.household_ids[0]).village_code
    raw = {"registered_population": ["1000"], "poor_people": ["10"], "incidence_evidence": ["县扶贫办认定数据"],
           "collective_income": ["86000"], "income_evidence": ["村集体账目"]}
    for i in village_exit_policy(code, 2026).indicators:
        raw[i.code] = [str(i.points) if points == "full" else points]
        raw[f"{i.code}_evidence"] = ["现场查看"]
    return raw


def test_a_village_acceptance_is_recorded_with_the_policy_indicators(world):
    [case_id, *_] = vw.open_villages(world)
    vw.walk_to(world, [case_id], "VILLAGE_ACCEPTANCE", vw.T0)
    where = target(world.session, Input.VILLAGE_ACCEPTANCE, case_id=case_id)
    indicators = village_exit_policy(world.villages[0], 2026).indicators
    assert {i.code for i in indicators} <= {f.name for f in where.form.fields}
    team = vw.actor_for(world, Role.TOWNSHIP_CHECK_TEAM, world.villages[0])
    said = _record(world, case_id, Input.VILLAGE_ACCEPTANCE, _acceptance(world, case_id, "full"), team)
    assert "达到退出标准" in said
    assert world.session.scalars(select(VillageAssessment)).one().passed


def test_a_score_above_the_maximum_is_refused_naming_the_indicator(world):
    [case_id, *_] = vw.open_villages(world)
    vw.walk_to(world, [case_id], "VILLAGE_ACCEPTANCE", vw.T0)
    team = vw.actor_for(world, Role.TOWNSHIP_CHECK_TEAM, world.villages[0])
    with pytest.raises(FormInvalid) as refused:
        _record(world, case_id, Input.VILLAGE_ACCEPTANCE, _acceptance(world, case_id, "99"), team)
    assert "不得大于15" in refused.value.rule and refused.value.field.endswith("得分")
    assert count(world.session, VillageAssessment) == 0


def test_the_county_draws_records_findings_and_the_survey_through_the_forms(world):
    [case_id, *_] = vw.open_villages(world)
    vw.walk_to(world, [case_id], "VILLAGE_COUNTY_CHECK", vw.T0)
    team = vw.actor_for(world, Role.COUNTY_RECHECK_TEAM, world.villages[0])
    with pytest.raises(TransitionRefused, match="尚未抽取核查样本"):
        _record(world, case_id, Input.SAMPLE_FINDINGS, {"respondents": ["50"], "satisfied": ["48"]}, team)
    assert "随机种子11存档" in _record(world, case_id, Input.SAMPLE, {"seed": ["11"]}, team)
    with pytest.raises(InvalidInput, match="本次核查已抽取样本"):  # the form sent twice draws nothing new
        _record(world, case_id, Input.SAMPLE, {"seed": ["12"]}, team)
    fields = target(world.session, Input.SAMPLE_FINDINGS, case_id=case_id).form.fields
    found = [f.name for f in fields if f.name.startswith("found_")]
    assert found, "each drawn household has its field"
    raw = {name: ["否"] for name in found} | {"respondents": ["50"], "satisfied": ["48"]}
    raw[found[0]] = ["是"]
    with pytest.raises(InvalidInput, match="须写明理由"):
        _record(world, case_id, Input.SAMPLE_FINDINGS, raw, team)
    raw[found[0].replace("found_", "note_")] = ["人均纯收入未超过标准"]
    said = _record(world, case_id, Input.SAMPLE_FINDINGS, raw, team)
    world.session.commit()
    assert f"{len(found)}户的核查结果（认定1户）" in said and "48/50" in said
    check = world.session.scalars(select(VillageCheck)).one()
    assert (check.respondents, check.satisfied) == (50, 48)
    checked = world.session.scalars(select(VillageCheckHousehold).where(VillageCheckHousehold.drawn.is_(True)))
    assert sorted(bool(h.found) for h in checked) == [False] * (len(found) - 1) + [True]


def test_a_survey_with_more_approving_than_asked_is_refused(world):
    [case_id, *_] = vw.open_villages(world)
    vw.walk_to(world, [case_id], "VILLAGE_COUNTY_CHECK", vw.T0)
    team = vw.actor_for(world, Role.COUNTY_RECHECK_TEAM, world.villages[0])
    _record(world, case_id, Input.SAMPLE, {}, team)
    with pytest.raises(InvalidInput, match="认可人数须在0与调查人数之间"):
        _record(world, case_id, Input.SAMPLE_FINDINGS, {"respondents": ["50"], "satisfied": ["51"]}, team)


# --- chain D: figures and the city's draw ----------------------------------------------------------------------

FIGURES = {"households": ["300"], "relative_poor_households": ["60"], "per_capita_income": ["2600"],
           "collective_income": ["12000"], "source": ["镇政府摸查核实"]}


def test_a_village_s_figures_are_recorded_through_the_form(world):
    [case_id, *_] = kv.open_villages(world)
    kv.walk_to(world, [case_id], "KEY_TOWNSHIP_VERIFY", kv.T0)
    actor = kv.actor_for(world, Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    assert "已登记" in _record(world, case_id, Input.VILLAGE_FIGURES, FIGURES, actor, kv.T0 + timedelta(days=1))
    assert world.session.scalars(select(KeyVillageFacts)).one().households == 300


def test_figures_with_an_unknown_source_or_negative_income_are_refused(world):
    [case_id, *_] = kv.open_villages(world)
    kv.walk_to(world, [case_id], "KEY_TOWNSHIP_VERIFY", kv.T0)
    actor = kv.actor_for(world, Role.TOWNSHIP_GOVERNMENT, world.villages[0])
    with pytest.raises(FormInvalid) as refused:
        _record(world, case_id, Input.VILLAGE_FIGURES, FIGURES | {"per_capita_income": ["-3"], "source": [" "]},
                actor, kv.T0 + timedelta(days=1))
    assert {p.field for p in refused.value.problems} == {"农民人均纯收入（元）", "数据来源"}
    assert count(world.session, KeyVillageFacts) == 0


def test_the_city_draws_its_sample_of_the_county_through_the_form(world):
    case_ids = kv.open_villages(world)
    kv.walk_to(world, case_ids, "KEY_CITY_CHECK", kv.T0)
    city = kv.actor_for(world, Role.CITY_CHECK_TEAM, world.villages[0])
    when = kv.T0 + timedelta(days=60)
    said = _record(world, case_ids[0], Input.SAMPLE, {"seed": ["7"]}, city, when)
    assert "随机种子7存档" in said
    with pytest.raises(InvalidInput, match="均已抽取过样本，不再重复抽取"):  # the form sent twice
        _record(world, case_ids[0], Input.SAMPLE, {}, city, when)
