"""A. Household exit 贫困户脱贫退出 (seed 000; DOMAIN §4 A): the table of its 8 stages and its guards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from models.core.actors import Role
from models.core.bulk import fetch_in, from_db
from models.core.regions import Level
from models.door.chain import CaseRow, Chain, Guard, Input, Sampler, Stage, Takes, register
from models.door.sampling import SampleCase
from models.home_checks.standards import Assessment

CODE = "HOUSEHOLD_EXIT"
ASSESSMENT = Assessment.__table__  # type: ignore[attr-defined]
SAMPLE_CASE = SampleCase.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Verdict:
    """What a guard needs of a household's latest check: passed, the failures, the head's signature."""

    passed: bool
    failures: str
    head_signed: bool


def _latest_verdicts(session: Session, stage: str, rows: Sequence[CaseRow]) -> dict[int, Verdict]:
    """The newest check of each case made during its current visit to `stage`."""
    opened = {r.id: r.record_opened_at for r in rows}
    found: dict[int, Verdict] = {}
    at = from_db(session, ASSESSMENT.c.checked_at)
    checks = fetch_in(
        session, "SELECT case_id, checked_at, passed, failures, head_signed FROM {assessment}"
        " WHERE stage = ? AND case_id IN ({ids}) ORDER BY checked_at, id",
        list(opened), {"assessment": ASSESSMENT}, params=(stage,),
    )
    for case_id, checked_at, passed, failures, head_signed in checks:
        start = opened[case_id]
        if start is not None and at(checked_at) >= start:
            found[case_id] = Verdict(bool(passed), failures, bool(head_signed))
    return found


def _check_reason(verdict: Verdict | None, what: str) -> str | None:
    if verdict is None:
        return f"尚未完成{what}（四看一算）"
    if not verdict.passed:
        return f"{what}未通过：{verdict.failures}"
    return None


def home_check_passed(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """一超过两不愁三保障一安全 met at the township home check, and the head signed the exit form."""
    found = _latest_verdicts(session, "HOME_CHECK", rows)
    reasons: dict[int, str] = {}
    for row in rows:
        verdict = found.get(row.id)
        reason = _check_reason(verdict, "入户核查")
        if reason is None and verdict is not None and not verdict.head_signed:
            reason = "户主尚未在贫困户脱贫签字表上签字确认"
        if reason:
            reasons[row.id] = reason
    return reasons


def recheck_passed(session: Session, rows: Sequence[CaseRow]) -> dict[int, str]:
    """The village's sample is drawn, and a drawn household passed the county re-check."""
    drawn_flag: dict[int, bool] = dict(fetch_in(
        session, "SELECT case_id, drawn FROM {sample_case} WHERE stage_record_id IN ({ids})",
        [r.record_id for r in rows], {"sample_case": SAMPLE_CASE},
    ))
    drawn = [r for r in rows if drawn_flag.get(r.id)]
    found = _latest_verdicts(session, "COUNTY_RECHECK", drawn)
    reasons: dict[int, str] = {}
    for row in rows:
        if row.id not in drawn_flag:
            reasons[row.id] = "本村尚未抽取复核样本"
        elif drawn_flag[row.id]:
            reason = _check_reason(found.get(row.id), "县级抽查复核")
            if reason:
                reasons[row.id] = reason
    return reasons


HOUSEHOLD_EXIT = register(
    Chain(
        code=CODE,
        letter="A",
        name="贫困户脱贫退出",
        summary="村民小组推荐、村委会评议、乡镇入户核查、村和乡镇公示、乡镇请示、县级抽查复核、审定并公告",
        stages=(
            Stage("GROUP_RECOMMEND", "村民小组推荐", Level.VILLAGE, Role.GROUP_LEADER, documents=("minutes",)),
            Stage("COMMITTEE_REVIEW", "村委会评议", Level.VILLAGE, Role.VILLAGE_COMMITTEE, documents=("minutes",),
                  sends_back_to="GROUP_RECOMMEND"),
            Stage("CHECK_REQUEST", "申请入户核实", Level.VILLAGE, Role.VILLAGE_COMMITTEE,
                  sends_back_to="COMMITTEE_REVIEW"),
            Stage("HOME_CHECK", "乡镇入户核查", Level.TOWNSHIP, Role.TOWNSHIP_CHECK_TEAM,
                  inputs=(Takes(Input.HOME_CHECK),), documents=("home_check_form",), sends_back_to="COMMITTEE_REVIEW",
                  guards=(Guard("home_check_passed", home_check_passed),)),
            Stage("PUBLICITY", "村、乡镇公示", Level.TOWNSHIP, None, window_scope=Level.VILLAGE,
                  documents=("village_notice",), sends_back_to="HOME_CHECK"),
            Stage("COUNTY_REQUEST", "审核研究并请示县", Level.TOWNSHIP, Role.TOWNSHIP_GOVERNMENT,
                  documents=("township_request",), sends_back_to="HOME_CHECK"),
            Stage("COUNTY_RECHECK", "县级抽查复核", Level.COUNTY, Role.COUNTY_RECHECK_TEAM,
                  sampling=Sampler.MACHINE, inputs=(Takes(Input.HOME_CHECK),),
                  documents=("recheck_form",), sends_back_to="HOME_CHECK",
                  guards=(Guard("recheck_passed", recheck_passed),)),
            Stage("COUNTY_APPROVAL", "县级审批公告", Level.COUNTY, Role.COUNTY_GOVERNMENT, window_scope=Level.TOWNSHIP,
                  documents=("county_announcement",)),
        ),
    )
)
