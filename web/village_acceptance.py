"""Chain B's acceptance check in the dashboard (一个确保、两个完善): the checking team enters the village's people,
its poor people and collective income with their sources, and each scored indicator with its evidence; the standard
judges them and the door's guard decides what may pass."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from models.chains.village_exit.standards import Score, VillageFacts, record_assessment, village_exit_policy
from models.reads.case_view import CaseView
from web.auth import Viewer
from web.case_pages import act
from web.common import DB, now

router = APIRouter()


def amount(text: str) -> Decimal | None:
    """A non-negative amount of at most two decimals typed into a form, or None."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value == value.quantize(Decimal("0.01")) else None


@router.post("/cases/{case_id}/acceptance")
def acceptance(request: Request, session: DB, case_id: str, registered_population: Annotated[str, Form()] = "",
               poor_people: Annotated[str, Form()] = "", incidence_evidence: Annotated[str, Form()] = "",
               collective_income: Annotated[str, Form()] = "", income_evidence: Annotated[str, Form()] = "",
               code: Annotated[list[str] | None, Form()] = None, points: Annotated[list[str] | None, Form()] = None,
               evidence: Annotated[list[str] | None, Form()] = None, csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        if not (registered_population.strip().isdigit() and poor_people.strip().isdigit()):
            return "农村户籍人口和未脱贫人口须为整数"
        income = amount(collective_income)
        if income is None:
            return "村级集体经济年收入须为金额（元，最多两位小数）"
        codes, given, proofs = code or [], points or [], evidence or []
        if not len(codes) == len(given) == len(proofs):
            return "评分表不完整，请刷新页面后重新填写"
        scores: dict[str, Score] = {}
        names = {i.code: i.name for i in village_exit_policy(found.village_code, found.year).indicators}
        for indicator, text, proof in zip(codes, given, proofs, strict=True):
            value = amount(text)
            if value is None:
                return f"“{names.get(indicator, indicator)}”的得分须为数字（最多两位小数）"
            scores[indicator] = Score(value, proof)
        facts = VillageFacts(int(registered_population), int(poor_people), incidence_evidence, income,
                             income_evidence, scores)
        record_assessment(session=session, case_id=found.id, stage=found.stage, facts=facts, actor=viewer.actor,
                          now=now(request))
        return None

    return act(request, session, case_id, csrf, "assessed", work)
