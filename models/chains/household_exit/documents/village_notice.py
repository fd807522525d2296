"""The village publicity notice (公示) of households proposed to exit, with the window in dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.core.document import Document
from models.documents.common import (
    PublicRow,
    listed_households,
    parent,
    public_list,
    region,
    title_lines,
    window_case_ids,
    window_days,
    window_for,
)
from models.documents.registry import Notice, Scope, register
from models.documents.render import render, store
from models.policy.loading import policy_for

KIND = "village_notice"


@dataclass(frozen=True)
class VillageNoticeContext:
    title: str
    title_lines: tuple[str, ...]
    village: str
    year: int
    income_rule: str
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


def build_village_notice_context(session: Session, *, window_id: int) -> VillageNoticeContext:
    """What the notice of one village's publicity window prints."""
    window = window_for(session, window_id, KIND, "村级公示")
    village = region(session, window.scope_code)
    township = parent(session, village)
    policy = policy_for(village.code, window.year)
    households = listed_households(session, window_case_ids(session, window_id), as_of=window.opened_at)
    first, _ = window_days(window)
    lines = title_lines(village.name, f"{window.year}年度", "拟退出", "贫困户", "公示")
    return VillageNoticeContext(
        title="".join(lines),
        title_lines=lines,
        village=village.name,
        year=window.year,
        income_rule=policy.exit_income.describe("元"),
        **public_list(households, policy, window, township),
        township_office=township.office_name,
        village_office=village.office_name,
        posted_on=first,
    )


def render_village_notice(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the village notice of a publicity window (public; the caller commits)."""
    context = build_village_notice_context(session, window_id=window_id)
    window = window_for(session, window_id, KIND, "村级公示")
    return store(
        session, kind=KIND, chain=window.chain, year=window.year, stage=window.stage, scope_code=window.scope_code,
        case_ids=window_case_ids(session, window_id), html=render(f"{KIND}.html.j2", context), public=True,
        number="", now=now, suffix=str(window_id), context=context,
    )


register(Notice(KIND, "拟退出贫困户公示", Scope.VILLAGE, render_village_notice))
