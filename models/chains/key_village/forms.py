"""Chain D's stage-input forms: a village's figures (总户数, 相对贫困户数, 人均纯收入, 集体经济收入, 来源) at each stage
that ranks or checks them, and the city's or province's draw of the county's villages it checks."""

from __future__ import annotations

from decimal import Decimal

from models.chains.key_village.figures import Figures, record_figures
from models.chains.key_village.spot_checks import draw_county_sample
from models.chains.key_village.stages import CODE
from models.core.case import Case
from models.core.errors import InvalidInput, NotFound
from models.core.regions import Level, prefix
from models.door.chain import Input
from models.door.forms import Field, Given, InputForm, Kind, register_form


def record(given: Given) -> str:
    assert given.case_id is not None
    values = given.values
    figures = Figures(int(str(values["households"])), int(str(values["relative_poor_households"])),
                      Decimal(str(values["per_capita_income"])), Decimal(str(values["collective_income"])),
                      str(values["source"]))
    record_figures(session=given.session, case_id=given.case_id, stage=given.stage.code, figures=figures,
                   actor=given.actor, now=given.now)
    return f"已登记案件{given.case_id}的村情数据（{given.stage.name}）"


FIGURES = register_form(InputForm(
    Input.VILLAGE_FIGURES,
    (
        Field("households", "农村总户数", Kind.INTEGER, minimum=Decimal(1)),
        Field("relative_poor_households", "相对贫困户数", Kind.INTEGER, minimum=Decimal(0)),
        Field("per_capita_income", "农民人均纯收入（元）", Kind.AMOUNT),
        Field("collective_income", "村集体经济年收入（元）", Kind.AMOUNT),
        Field("source", "数据来源", Kind.TEXT, help="如镇摸查核实、县统计局数据"),
    ),
    record, title="登记村情数据",
), chain=CODE)


SAMPLE_TITLE = "抽取本县样本"


def draw(given: Given) -> str:
    """The team draws, from the case's county, every village newly at its check (one sample for the county)."""
    assert given.case_id is not None
    case = given.session.get(Case, given.case_id)
    if case is None:
        raise NotFound(f"案件{given.case_id}不存在")
    county = prefix(case.village_code, Level.COUNTY).ljust(12, "0")
    seed = given.values.get("seed")
    sample = draw_county_sample(session=given.session, stage=given.stage.code, county_code=county, year=case.year,
                                now=given.now, actor=given.actor, seed=None if seed is None else int(str(seed)))
    if sample is None:  # the form sent twice, or no village newly at the check
        raise InvalidInput(SAMPLE_TITLE, "核查样本", county,
                           f"本县处于“{given.stage.name}”环节的村均已抽取过样本，不再重复抽取")
    return (f"已抽取本县核查样本（随机种子{sample.seed}存档）：{sample.people_total}个村中抽中"
            f"{sample.people_drawn}个")


SAMPLE = register_form(InputForm(
    Input.SAMPLE,
    (Field("seed", "随机种子", Kind.INTEGER, required=False, minimum=Decimal(0), maximum=Decimal(2**31 - 1),
           help="不填则随机生成；种子与样本一并存档，可据此复核抽样"),),
    draw, title=SAMPLE_TITLE,
), chain=CODE)
