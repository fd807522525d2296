"""The village publicity notice (公示) of proposed relative-poor households, after the village review or after the
work team's verification (seed 004: 村评议并公示 … 村内公示), listed in the priority rule's order and masked by
the one rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.chains.edge_identify.documents.notice import ORDINALS, notice_window
from models.chains.relative_identify.standards import ranked_cases, standard_for
from models.core.document import Document
from models.core.errors import NotFound
from models.documents.common import (
    PublicRow,
    listed_households,
    parent,
    public_list,
    region,
    title_lines,
    window_case_ids,
    window_days,
)
from models.documents.registry import Notice, Scope, register
from models.documents.render import render, store
from models.policy.loading import policy_for

KIND = "relative_notice"
PROCEDURES = (
    "经农户申请、村评议",
    "经农户申请、村评议并公示，镇核查，县扶贫办和统计局核查，市扶贫办会同统计等部门随机抽样核查，驻村工作组与村委会进村核实",
)


@dataclass(frozen=True)
class RelativeNoticeContext:
    title: str
    title_lines: tuple[str, ...]
    village: str
    year: int
    standard: str
    priority: str
    procedure: str
    first_day: date
    last_day: date
    show_id: bool
    show_phone: bool
    rows: tuple[PublicRow, ...]
    households: int
    people: int
    township_office: str
    contact_name: str
    contact_phone: str
    village_office: str
    posted_on: date


def build_relative_notice_context(session: Session, *, window_id: int) -> RelativeNoticeContext:
    """What one village's notice of a publicity window prints; the list in the priority rule's order."""
    window, index = notice_window(session, window_id, KIND, "相对贫困户公示")
    village = region(session, window.scope_code)
    township = parent(session, village)
    standard = standard_for(village.code, window.year)
    if standard is None:
        raise NotFound(f"{window.year}年度政策未设定相对贫困户识别标准")
    policy = policy_for(village.code, window.year)
    order = [case_id for case_id, _ in ranked_cases(session, window_case_ids(session, window_id))]
    by_case = {h.case_id: h for h in listed_households(session, order, as_of=window.opened_at)}
    households = [by_case[case_id] for case_id in order]
    first, _ = window_days(window)
    # 两次识别 posts two notices in each village: the title says which, so a clerk tells them apart.
    ordinal = ORDINALS[index] if index < len(ORDINALS) else f"第{index + 1}次"
    lines = title_lines(village.name, f"{window.year}年度", "拟确认相对贫困户", f"{ordinal}公示")
    houses = "、".join(standard.priority_houses)
    return RelativeNoticeContext(
        title="".join(lines), title_lines=lines, village=village.name, year=window.year,
        standard=standard.income.describe("元"),
        priority=f"住房为{houses}的，家庭成员有残疾人或长年患重病的农户在同等条件下优先",
        procedure=PROCEDURES[min(index, len(PROCEDURES) - 1)], **public_list(households, policy, window, township),
        township_office=township.office_name, village_office=village.office_name, posted_on=first,
    )


def render_relative_notice(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the village notice of a publicity window (public; the caller commits)."""
    context = build_relative_notice_context(session, window_id=window_id)
    window, _ = notice_window(session, window_id, KIND, "相对贫困户公示")
    return store(
        session, kind=KIND, chain=window.chain, year=window.year, stage=window.stage, scope_code=window.scope_code,
        case_ids=window_case_ids(session, window_id), html=render(f"{KIND}.html.j2", context), public=True,
        number="", now=now, suffix=str(window_id),
    )


register(Notice(KIND, "相对贫困户公示", Scope.VILLAGE, render_relative_notice))
