"""The stage-input forms of relative-poor identification: the township's home visit, the city's sample draw and its
income re-check of a drawn household, and the record card (建档立卡)."""

from __future__ import annotations

from decimal import Decimal

from models.chains.relative_identify.city_check import draw_city_samples, record_city_check
from models.chains.relative_identify.record import RelativeRecordBase, write_record
from models.chains.relative_identify.stages import CODE
from models.core.case import Case
from models.core.errors import InvalidInput
from models.core.household import INCOME_FIELDS, IncomeBase
from models.core.regions import Region, prefix
from models.door.chain import INPUT_NAMES, Input
from models.door.forms import Field, Given, InputForm, Kind, register_form
from models.home_checks.visits import HOME_VISIT_FORM


def _draw(given: Given) -> str:
    """Draw the samples of a region (the case's village unless another is named) from its cases at the stage."""
    session, title = given.session, INPUT_NAMES[Input.SAMPLE]
    assert given.case_id is not None
    case = session.get(Case, given.case_id)
    assert case is not None
    code = str(given.values.get("scope", case.village_code))
    region = session.get(Region, code)
    if region is None:
        raise InvalidInput(title, "抽样范围", code, "不是已登记的区划代码")
    seed = given.values.get("seed")
    samples = draw_city_samples(session=session, chain=CODE, year=case.year, scope=prefix(code, region.level),
                                now=given.now, actor=given.actor, seed=int(str(seed)) if seed is not None else None)
    if not samples:
        raise InvalidInput(title, "抽样范围", region.name, "范围内没有待抽样的案件（本环节已抽样，不能重复抽取）")
    drawn = sum(s.people_drawn for s in samples)
    return f"已抽取{region.name}{len(samples)}个村的市级抽查样本，抽中{drawn}人（随机种子已保存）"


SAMPLE_FORM = InputForm(
    input=Input.SAMPLE,
    fields=(
        Field("scope", "抽样范围", Kind.TEXT, required=False,
              help="区县、乡镇或村的12位区划代码；不填则为本案所在村"),
        Field("seed", "随机种子", Kind.INTEGER, required=False, minimum=Decimal(0), maximum=Decimal(2**31 - 1),
              help="不填则随机生成；种子与样本一并保存，可复核重抽"),
    ),
    record=_draw,
)


def _recheck(given: Given) -> str:
    """The city team's check of a drawn household: the re-measured income (all five parts) or the recorded one."""
    assert given.case_id is not None
    parts = {name: given.values[name] for name in INCOME_FIELDS if name in given.values}
    if parts and len(parts) < len(INCOME_FIELDS):
        missing = next(label for name, label in INCOME_FIELDS.items() if name not in parts)
        raise InvalidInput(INPUT_NAMES[Input.INCOME_RECHECK], missing, "",
                           "重新核算收入须填写全部五项；全部不填则按已登记的收入核查")
    income = IncomeBase.model_validate({"year": 0, **parts}) if parts else None
    check = record_city_check(session=given.session, case_id=given.case_id, actor=given.actor, now=given.now,
                              income=income, finding=str(given.values.get("finding", "")))
    verdict = "通过" if check.passed else f"未通过：{check.finding}"
    return f"已登记案件{given.case_id}的市级抽查核查：人均纯收入{check.per_capita}元，{verdict}"


RECHECK_FORM = InputForm(
    input=Input.INCOME_RECHECK,
    fields=(
        *(Field(name, label, Kind.AMOUNT, required=False, help="重新核算的全年金额（元）；五项全部不填则按已登记收入")
          for name, label in INCOME_FIELDS.items()),
        Field("finding", "其他问题", Kind.LONG_TEXT, required=False, help="收入以外发现的问题；填写即为核查未通过"),
    ),
    record=_recheck,
)


def _card(given: Given) -> str:
    assert given.case_id is not None
    values = dict(given.values)
    data = RelativeRecordBase.model_validate({**values, "funds": values.get("funds", Decimal(0))})
    write_record(session=given.session, case_id=given.case_id, data=data, actor=given.actor, now=given.now)
    return f"已登记案件{given.case_id}的建档立卡内容（{'有' if data.has_labour else '无'}劳动能力）"


CARD_FORM = InputForm(
    input=Input.RECORD_CARD,
    fields=(
        Field("cause", "致贫原因", Kind.TEXT),
        Field("helper", "帮扶责任人", Kind.TEXT),
        Field("helper_unit", "帮扶单位", Kind.TEXT, required=False),
        Field("three_year_plan", "三年帮扶规划", Kind.LONG_TEXT),
        Field("yearly_plan", "年度帮扶计划", Kind.LONG_TEXT),
        Field("has_labour", "有劳动能力", Kind.YES_NO, help="有劳动能力和无劳动能力的户分别建档"),
        Field("funds", "扶持资金（元）", Kind.AMOUNT, required=False),
        Field("projects", "扶持项目名称、规模", Kind.LONG_TEXT, required=False),
    ),
    record=_card,
)

for form in (HOME_VISIT_FORM, SAMPLE_FORM, RECHECK_FORM, CARD_FORM):
    register_form(form, chain=CODE)
