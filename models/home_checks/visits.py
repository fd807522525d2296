"""Home visits (入户核实) of the edge and relative-poor identifications: the income the visiting team measured
becomes the household's income record of the case's year, which the chain's standard judges and its registration
form (入户核实登记表) prints; the old and new figures are audited."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.core import audit
from models.core.actors import Actor
from models.core.errors import InvalidInput
from models.core.household import INCOME_FIELDS, Household, Income, IncomeBase
from models.door.chain import Input
from models.door.forms import Field, Given, InputForm, Kind
from models.door.inputs import admit
from models.home_checks.incomes import resident_counts
from models.home_checks.standards import per_capita_net_income, round_yuan


def record_home_visit(*, session: Session, case_id: int, stage: str, income: IncomeBase, note: str, actor: Actor,
                      now: datetime) -> Income:
    """Store what a home visit measured as the household's income of the case's year (the caller commits); a person,
    case or stage the input check refuses, or a negative amount, is refused and nothing is written."""
    row = admit(session=session, case_ids=[case_id], actor=actor, stage=stage, kind=Input.HOME_VISIT,
                now=now)[case_id]
    if row.household_id is None:
        raise InvalidInput(f"案件{case_id}", "户", "无", "入户核实只适用于农户案件")
    household = session.get(Household, row.household_id)
    assert household is not None
    record = f"户{household.number}入户核实"
    for name, label in INCOME_FIELDS.items():
        if getattr(income, name) < 0:
            raise InvalidInput(record, label, getattr(income, name), "金额不能为负数")
    stored = session.exec(select(Income).where(col(Income.household_id) == household.id,
                                               col(Income.year) == row.year)).first()
    before = {name: f"{getattr(stored, name)}" for name in INCOME_FIELDS} if stored is not None else None
    if stored is None:
        stored = Income(household_id=household.id or 0, year=row.year)
    for name in INCOME_FIELDS:
        setattr(stored, name, getattr(income, name))
    session.add(stored)
    session.flush()
    audit.append(session, [audit.Event(now, actor.name, "HOME_VISIT.RECORD", case_id, {
        "stage": stage, "year": row.year, "before": before, "note": note.strip(),
        "after": {name: f"{getattr(stored, name)}" for name in INCOME_FIELDS}})])
    return stored


def _record(given: Given) -> str:
    assert given.case_id is not None
    income = IncomeBase.model_validate({"year": 0, **{name: given.values[name] for name in INCOME_FIELDS}})
    stored = record_home_visit(session=given.session, case_id=given.case_id, stage=given.stage.code, income=income,
                               note=str(given.values.get("note", "")), actor=given.actor, now=given.now)
    residents = resident_counts(given.session, [stored.household_id]).get(stored.household_id, 0)
    shown = f"，人均纯收入{round_yuan(per_capita_net_income(stored, residents))}元" if residents else ""
    return f"已登记案件{given.case_id}的入户核实：{stored.year}年度收入{shown}"


# The form both chains register for their home-visit stage (each in its own forms module).
HOME_VISIT_FORM = InputForm(
    input=Input.HOME_VISIT,
    fields=(
        *(Field(name, label, Kind.AMOUNT, help="入户核实的全年金额（元）") for name, label in INCOME_FIELDS.items()),
        Field("note", "核实情况", Kind.LONG_TEXT, required=False, help="家庭人口、劳动力、住房等入户看到的情况"),
    ),
    record=_record,
)
