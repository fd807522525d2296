"""Chain B's stage-input forms: the acceptance check (一个确保、两个完善) scored on the policy's indicators, and the
county check's draw of its two samples, what it found in the drawn households and the people's survey."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from models.chains.village_exit.county_check import (
    SAMPLE_KIND_NAMES,
    Finding,
    SampleKind,
    VillageCheck,
    draw_village_check,
    record_findings,
    record_survey,
    sample_rows,
)
from models.chains.village_exit.stages import CODE
from models.chains.village_exit.standards import Score, VillageFacts, record_assessment, village_exit_policy
from models.core.case import Case
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.core.household import Household
from models.door.cases import load_rows
from models.door.chain import INPUT_NAMES, Input
from models.door.forms import Field, Given, InputForm, Kind, register_form


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件{case_id}不存在")
    return case


def indicator_fields(session: Session, case_id: int) -> tuple[Field, ...]:
    """Each scored indicator of the policy in force for the case's village and year: its points and evidence."""
    case = _case(session, case_id)
    fields: list[Field] = []
    for indicator in village_exit_policy(case.village_code, case.year).indicators:
        fields.append(Field(indicator.code, f"{indicator.name}得分", Kind.DECIMAL, minimum=Decimal(0),
                            maximum=Decimal(indicator.points), help=f"满分{indicator.points}分"))
        fields.append(Field(f"{indicator.code}_evidence", f"{indicator.name}佐证材料", Kind.TEXT))
    return tuple(fields)


def record_acceptance(given: Given) -> str:
    assert given.case_id is not None
    case = _case(given.session, given.case_id)
    values = given.values
    scores = {i.code: Score(Decimal(str(values[i.code])), str(values[f"{i.code}_evidence"]))
              for i in village_exit_policy(case.village_code, case.year).indicators}
    facts = VillageFacts(int(str(values["registered_population"])), int(str(values["poor_people"])),
                         str(values["incidence_evidence"]), Decimal(str(values["collective_income"])),
                         str(values["income_evidence"]), scores)
    assessment = record_assessment(session=given.session, case_id=given.case_id, stage=given.stage.code,
                                   facts=facts, actor=given.actor, now=given.now)
    verdict = "达到退出标准" if assessment.passed else f"未达到退出标准：{assessment.failures}"
    return f"已登记案件{given.case_id}的退出验收：评分{assessment.score.normalize():f}分，{verdict}"


ACCEPTANCE = register_form(InputForm(
    Input.VILLAGE_ACCEPTANCE,
    (
        Field("registered_population", "农村户籍人口", Kind.INTEGER, minimum=Decimal(1)),
        Field("poor_people", "未脱贫人口", Kind.INTEGER, minimum=Decimal(0)),
        Field("incidence_evidence", "贫困发生率数据来源", Kind.TEXT, help="如县级行业部门认定数据"),
        Field("collective_income", "村级集体经济年收入（元）", Kind.AMOUNT),
        Field("income_evidence", "集体经济收入佐证", Kind.TEXT),
    ),
    record_acceptance, title="贫困村退出验收（一个确保、两个完善）", case_fields=indicator_fields,
), chain=CODE)


def record_draw(given: Given) -> str:
    assert given.case_id is not None
    drawn_before = current_check(given.session, given.case_id)
    if drawn_before is not None:  # the form sent twice: the visit's sample stands
        raise InvalidInput(INPUT_NAMES[Input.SAMPLE], "核查样本", drawn_before.wrong_exit_seed,
                           "本次核查已抽取样本（随机种子存档），不再重复抽取")
    seed = given.values.get("seed")
    check = draw_village_check(session=given.session, case_id=given.case_id, now=given.now, actor=given.actor,
                               seed=None if seed is None else int(str(seed)),
                               group_seed=None if seed is None else int(str(seed)) + 1)
    drawn = [h for h in sample_rows(given.session, check.id or 0) if h.drawn]
    return (f"已抽取案件{given.case_id}的核查样本（随机种子{check.wrong_exit_seed}存档）：错退核查"
            f"{sum(h.kind is SampleKind.WRONG_EXIT for h in drawn)}户，漏评核查{check.missed_group or '无'}"
            f"{sum(h.kind is SampleKind.MISSED for h in drawn)}户")


SAMPLE = register_form(InputForm(
    Input.SAMPLE,
    (Field("seed", "随机种子", Kind.INTEGER, required=False, minimum=Decimal(0), maximum=Decimal(2**31 - 1),
           help="不填则随机生成；种子与样本一并存档，可据此复核抽样"),),
    record_draw,
), chain=CODE)


def current_check(session: Session, case_id: int) -> VillageCheck | None:
    """The county check drawn in the case's current stage visit, if any."""
    row = load_rows(session, [case_id]).get(case_id)
    if row is None or row.record_id is None:
        return None
    return session.exec(select(VillageCheck).where(col(VillageCheck.stage_record_id) == row.record_id)).first()


def _drawn(session: Session, check: VillageCheck) -> list[tuple[str, str, SampleKind]]:
    """(household number, head, sample kind) of each household drawn in the check."""
    rows = [h for h in sample_rows(session, check.id or 0) if h.drawn]
    numbers = dict(session.execute(select(col(Household.id), col(Household.number)).where(
        col(Household.id).in_([h.household_id for h in rows]))).tuples().all())
    heads = dict(session.execute(select(col(Household.id), col(Household.head_name)).where(
        col(Household.id).in_([h.household_id for h in rows]))).tuples().all())
    return [(numbers[h.household_id], heads[h.household_id], h.kind) for h in rows]


def finding_fields(session: Session, case_id: int) -> tuple[Field, ...]:
    """For each drawn household: whether it was wrongly exited (or missed), and what the team found."""
    check = current_check(session, case_id)
    fields: list[Field] = []
    for number, head, kind in _drawn(session, check) if check is not None else []:
        word = "错退" if kind is SampleKind.WRONG_EXIT else "漏评"
        fields.append(Field(f"found_{number}", f"户{number}（{head}，{SAMPLE_KIND_NAMES[kind]}）是否{word}",
                            Kind.YES_NO, required=False))
        fields.append(Field(f"note_{number}", f"户{number}核查情况", Kind.TEXT, required=False,
                            help=f"认定{word}须写明理由"))
    return tuple(fields)


def record_sample_findings(given: Given) -> str:
    assert given.case_id is not None
    check = current_check(given.session, given.case_id)
    if check is None:
        raise TransitionRefused({given.case_id: f"尚未{INPUT_NAMES[Input.SAMPLE]}，请先抽样"})
    values = given.values
    ids = dict(given.session.execute(select(col(Household.number), col(Household.id)).where(
        col(Household.number).in_([n for n, _, _ in _drawn(given.session, check)]))).tuples().all())
    findings = {ids[n]: Finding(values[f"found_{n}"] is True, str(values.get(f"note_{n}", "")))
                for n in ids if f"found_{n}" in values}
    survey = [values.get("respondents"), values.get("satisfied")]
    if not findings and survey == [None, None]:
        raise InvalidInput(INPUT_NAMES[Input.SAMPLE_FINDINGS], "核查结果", "", "须至少填写一户的核查结果或认可度调查")
    if None in survey and survey != [None, None]:
        missing = "认可度调查人数" if survey[0] is None else "认可人数"
        raise InvalidInput(INPUT_NAMES[Input.SAMPLE_FINDINGS], missing, "", "认可度调查须同时填写调查人数和认可人数")
    done: list[str] = []
    if findings:
        record_findings(session=given.session, check_id=check.id or 0, findings=findings, actor=given.actor,
                        now=given.now)
        done.append(f"{len(findings)}户的核查结果（认定{sum(f.found for f in findings.values())}户）")
    if survey != [None, None]:
        record_survey(session=given.session, check_id=check.id or 0, respondents=int(str(survey[0])),
                      satisfied=int(str(survey[1])), actor=given.actor, now=given.now)
        done.append(f"群众认可度调查（{survey[1]}/{survey[0]}人认可）")
    return f"已登记案件{given.case_id}的" + "和".join(done)


SAMPLE_FINDINGS = register_form(InputForm(
    Input.SAMPLE_FINDINGS,
    (
        Field("respondents", "认可度调查人数", Kind.INTEGER, required=False, minimum=Decimal(1)),
        Field("satisfied", "认可人数", Kind.INTEGER, required=False, minimum=Decimal(0)),
    ),
    record_sample_findings, case_fields=finding_fields,
), chain=CODE)
