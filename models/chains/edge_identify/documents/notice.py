"""The village publicity notice (公示) of proposed edge households, first or second (seed 002: 两公示), with the window
in dates and the public list masked by the one rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.chains.edge_identify.policy import EDGE_EXCLUSION_NAMES
from models.chains.edge_identify.standards import band, standard_for
from models.core.document import Document
from models.core.errors import NotFound
from models.core.publicity import Window
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
from models.door.chain import chain_named
from models.policy.loading import policy_for

KIND = "edge_notice"
ORDINALS = ("第一次", "第二次", "第三次")


@dataclass(frozen=True)
class EdgeNoticeContext:
    title: str
    title_lines: tuple[str, ...]
    ordinal: str
    village: str
    township: str
    year: int
    standard: str
    excluded: str
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


def notice_window(session: Session, window_id: int, kind: str, what: str) -> tuple[Window, int]:
    """The window, which must be one of the chain's stages that post this kind, and which of them (0: the first)."""
    window = session.get(Window, window_id)
    posting = [s.code for s in chain_named(window.chain).stages if kind in s.documents] if window else []
    if window is None or window.stage not in posting:
        raise NotFound(f"{what}{window_id}不存在")
    return window, posting.index(window.stage)


def build_edge_notice_context(session: Session, *, window_id: int) -> EdgeNoticeContext:
    """What one village's notice of a publicity window prints."""
    window, index = notice_window(session, window_id, KIND, "贫困边缘户公示")
    village = region(session, window.scope_code)
    township = parent(session, village)
    standard = standard_for(village.code, window.year)
    if standard is None:
        raise NotFound(f"{window.year}年度政策未设定贫困边缘户识别标准")
    policy = policy_for(village.code, window.year)
    households = listed_households(session, window_case_ids(session, window_id), as_of=window.opened_at)
    first, _ = window_days(window)
    ordinal = ORDINALS[index] if index < len(ORDINALS) else f"第{index + 1}次"
    procedure = "经农户申请、村民代表大会民主评议，乡镇干部、村委会和驻村工作队入户核实"
    if index > 0:
        procedure += f"，第一次公示无异议，报经{township.office_name}审核通过"
    lines = title_lines(village.name, f"{window.year}年度", "贫困边缘户", f"{ordinal}公示")
    return EdgeNoticeContext(
        title="".join(lines),
        title_lines=lines,
        ordinal=ordinal,
        village=village.name,
        township=township.name,
        year=window.year,
        standard=band(standard),
        excluded="、".join(EDGE_EXCLUSION_NAMES[flag] for flag in standard.excluded),
        procedure=procedure,
        **public_list(households, policy, window, township),
        township_office=township.office_name,
        village_office=village.office_name,
        posted_on=first,
    )


def render_edge_notice(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the village notice of a publicity window (public; the caller commits)."""
    context = build_edge_notice_context(session, window_id=window_id)
    window, _ = notice_window(session, window_id, KIND, "贫困边缘户公示")
    return store(
        session, kind=KIND, chain=window.chain, year=window.year, stage=window.stage, scope_code=window.scope_code,
        case_ids=window_case_ids(session, window_id), html=render(f"{KIND}.html.j2", context), public=True,
        number="", now=now, suffix=str(window_id),
    )


register(Notice(KIND, "贫困边缘户公示", Scope.VILLAGE, render_edge_notice))
