"""Chain D's checks in the dashboard: the checking team draws its county's sample and records a village's figures
(总户数, 相对贫困户数, 人均纯收入, 集体经济收入, 来源) at its stage; the door's guard then decides what may pass."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from models.chains.key_village.figures import Figures, record_figures
from models.chains.key_village.spot_checks import draw_county_sample
from models.core.regions import Level, prefix
from models.door.chain import Input, chain_named
from models.reads.case_view import CaseView
from web.auth import Viewer
from web.case_pages import act
from web.common import DB, now

router = APIRouter()


def _figures(values: dict[str, str], source: str) -> Figures | str:
    """The figures typed into the form, or what is wrong with them."""
    try:
        households, poor = int(values["households"]), int(values["relative_poor_households"])
    except ValueError:
        return "总户数和相对贫困户数须为整数"
    try:
        income, collective = Decimal(values["per_capita_income"]), Decimal(values["collective_income"])
    except InvalidOperation:
        return "人均纯收入和集体经济收入须为金额（元，最多两位小数）"
    cent = Decimal("0.01")
    if not all(a.is_finite() and a == a.quantize(cent) for a in (income, collective)):
        return "人均纯收入和集体经济收入须为金额（元，最多两位小数）"
    return Figures(households, poor, income, collective, source)


@router.post("/cases/{case_id}/figures")
def figures(request: Request, session: DB, case_id: str, households: Annotated[str, Form()] = "",
            relative_poor_households: Annotated[str, Form()] = "", per_capita_income: Annotated[str, Form()] = "",
            collective_income: Annotated[str, Form()] = "", source: Annotated[str, Form()] = "",
            csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        typed = _figures({"households": households.strip(), "per_capita_income": per_capita_income.strip(),
                          "relative_poor_households": relative_poor_households.strip(),
                          "collective_income": collective_income.strip()}, source)
        if isinstance(typed, str):
            return typed
        record_figures(session=session, case_id=found.id, stage=found.stage, figures=typed, actor=viewer.actor,
                       now=now(request))
        return None

    return act(request, session, case_id, csrf, "figures", work)


@router.post("/cases/{case_id}/draw")
def draw(request: Request, session: DB, case_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        stage = chain_named(found.chain).stage(found.stage)
        if not (stage.takes(Input.SAMPLE) and stage.takes(Input.VILLAGE_FIGURES)):  # a county's sample of villages
            return f"“{stage.name}”环节不按县抽取核查村样本"
        county = prefix(found.village_code, Level.COUNTY).ljust(12, "0")
        sample = draw_county_sample(session=session, stage=found.stage, county_code=county, year=found.year,
                                    now=now(request), actor=viewer.actor)
        return None if sample is not None else "本县处于该环节的村均已抽取过样本"

    return act(request, session, case_id, csrf, "drawn", work)
