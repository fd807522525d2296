"""B. Village exit 贫困村退出 (seed 000; DOMAIN §4 B), 一个确保、两个完善: the table of its 7 stages and its guards.

The subject is a village: its cases have no household. The township fills in the acceptance approval form
(验收审批表) and the county checks every exiting village again, filling in the form and the 三率一度 summary
from its wrong-exit and missed-identification samples (county_check.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.chains.village_exit.county_check import VillageCheck, three_rates
from models.chains.village_exit.standards import latest_assessments
from models.core.actors import Role
from models.core.regions import Level
from models.door.chain import CaseRow, Chain, Guard, Input, Sampler, Stage, Subject, Takes, register

CODE = "VILLAGE_EXIT"


def standards_met(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The acceptance form of the current stage is filled in and the village meets 一个确保、两个完善."""
    found = latest_assessments(session, rows)
    reasons: dict[int, str] = {}
    for row in rows:
        assessment = found.get(row.id)
        if assessment is None:
            reasons[row.id] = "尚未填写贫困村退出验收审批表（一个确保、两个完善）"
        elif not assessment.passed:
            reasons[row.id] = f"未达到贫困村退出标准：{assessment.failures}"
    return reasons


def county_check_passed(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Both samples are drawn and checked, the survey recorded, and 三率一度 within the county limits."""
    checks = {c.stage_record_id: c for c in session.exec(select(VillageCheck).where(
        col(VillageCheck.stage_record_id).in_([r.record_id for r in rows])))}
    assessments = latest_assessments(session, rows)
    reasons: dict[int, str] = {}
    for row in rows:
        check = checks.get(row.record_id or 0)
        if check is None:
            reasons[row.id] = "尚未抽取错退、漏评核查样本"
            continue
        rates = three_rates(session, check, assessments.get(row.id))
        if not rates.passed:
            reasons[row.id] = "；".join(rates.open + rates.failures)
    return reasons


VILLAGE_EXIT = register(
    Chain(
        code=CODE,
        letter="B",
        subject=Subject.VILLAGE,
        name="贫困村退出",
        summary="村申请、乡镇研究并填报验收审批表、乡村两级公示、乡镇请示、县级逐村核查（错退漏评抽样、三率一度）、审批公告",
        stages=(
            Stage("VILLAGE_APPLICATION", "村委会和驻村工作队申请退出", Level.VILLAGE, Role.VILLAGE_COMMITTEE,
                  documents=("application",)),
            Stage("VILLAGE_MEETING", "乡村研究退出会议", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  documents=("minutes",), sends_back_to="VILLAGE_APPLICATION"),
            Stage("VILLAGE_ACCEPTANCE", "填报验收审批表", Level.TOWNSHIP, Role.TOWNSHIP_CHECK_TEAM,
                  inputs=(Takes(Input.VILLAGE_ACCEPTANCE),),
                  documents=("village_approval_form",), sends_back_to="VILLAGE_MEETING",
                  guards=(Guard("standards_met", standards_met),)),
            Stage("VILLAGE_PUBLICITY", "乡、村两级公示", Level.TOWNSHIP, None, window_scope=Level.TOWNSHIP,
                  documents=("village_exit_notice",), sends_back_to="VILLAGE_ACCEPTANCE"),
            Stage("VILLAGE_REQUEST", "乡镇请示县验收", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  documents=("village_request",), sends_back_to="VILLAGE_ACCEPTANCE"),
            Stage("VILLAGE_COUNTY_CHECK", "县级逐村核查验收", Level.COUNTY, Role.COUNTY_RECHECK_TEAM,
                  sampling=Sampler.TEAM, inputs=(Takes(Input.VILLAGE_ACCEPTANCE), Takes(Input.SAMPLE),
                                                  Takes(Input.SAMPLE_FINDINGS)),
                  documents=("village_approval_form", "three_rates_summary"),
                  sends_back_to="VILLAGE_ACCEPTANCE",
                  guards=(Guard("standards_met", standards_met), Guard("county_check_passed", county_check_passed))),
            Stage("VILLAGE_APPROVAL", "县级审批公告", Level.COUNTY, Role.COUNTY_GOVERNMENT, window_scope=Level.COUNTY,
                  documents=("village_exit_announcement",)),
        ),
    )
)
