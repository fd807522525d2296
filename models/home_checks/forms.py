"""The home check's form (入户核查，四看一算), shared by every chain whose stage takes one: the six items, the head's
signature, and the income's five parts when the team measured them again."""

from __future__ import annotations

from decimal import Decimal

from models.core.case import Case
from models.core.errors import InvalidInput
from models.core.household import INCOME_FIELDS, IncomeBase
from models.door.chain import Input
from models.door.forms import Field, Given, InputForm, Kind, register_form
from models.home_checks.recording import CheckInput, record_checks
from models.home_checks.standards import GUARANTEES

# A household without a child of compulsory-school age has nothing to guarantee there: 不涉及 counts as met.
NOT_APPLICABLE = {"education"}
TITLE = "入户核查（四看一算）"

FIELDS = (
    *(Field(key, label, Kind.YES_NO_NA if key in NOT_APPLICABLE else Kind.YES_NO,
            help="无义务教育阶段适龄人口的户填“不涉及”" if key in NOT_APPLICABLE else "")
      for key, label in GUARANTEES.items()),
    Field("head_signed", "户主已在脱贫签字表上签字确认", Kind.YES_NO),
    *(Field(name, label, Kind.AMOUNT, required=False, help="重新测算收入时填写五项；不填则按该户登记的收入计算")
      for name, label in INCOME_FIELDS.items()),
)


def _income(given: Given) -> IncomeBase | None:
    """The re-measured income: all five parts, or none (the household's recorded income)."""
    parts = {name: given.values[name] for name in INCOME_FIELDS if name in given.values}
    if not parts:
        return None
    missing = [label for name, label in INCOME_FIELDS.items() if name not in parts]
    if missing:
        raise InvalidInput(TITLE, missing[0], "", "重新测算收入须填写全部五项收入（可填0）")
    return IncomeBase(year=_year(given), **{k: Decimal(str(v)) for k, v in parts.items()})


def _year(given: Given) -> int:
    case = given.session.get(Case, given.case_id)
    return case.year if case is not None else given.now.year


def record(given: Given) -> str:
    assert given.case_id is not None
    guarantees = {key: given.values[key] is not False for key in GUARANTEES}  # 不涉及 (None) counts as met
    item = CheckInput(given.case_id, guarantees, head_signed=given.values["head_signed"] is True,
                      income=_income(given))
    recorded = record_checks(session=given.session, stage=given.stage.code, actor=given.actor, now=given.now,
                             items=[item])
    assessment = max(recorded, key=lambda a: a.id or 0)  # an earlier check of the same moment is returned too
    verdict = "达到退出标准" if assessment.passed else f"未达到退出标准：{assessment.failures}"
    return f"已登记案件{given.case_id}的入户核查：人均纯收入{assessment.per_capita}元，{verdict}"


FORM = register_form(InputForm(Input.HOME_CHECK, FIELDS, record, title=TITLE))
