"""The county's announcement (公告) of a village's edge households after the county review (seed 002: 复审后在各行政村
进行公告), GB/T 9704 layout, numbered per county and year, with the public list attached and masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.chains.edge_identify.documents.notice import notice_window
from models.chains.edge_identify.standards import band, standard_for
from models.core.document import Document
from models.core.errors import NotFound
from models.core.regions import Level, prefix
from models.documents.common import (
    Foot,
    PublicRow,
    foot,
    listed_households,
    official_number,
    parent,
    public_list,
    region,
    title_lines,
    window_case_ids,
    window_days,
)
from models.documents.registry import Notice, Scope, register
from models.documents.render import document_path, render, store
from models.policy.loading import policy_for

KIND = "edge_announcement"


@dataclass(frozen=True)
class EdgeAnnouncementContext:
    office_name: str
    number: str
    title: str
    title_lines: tuple[str, ...]
    county: str
    township: str
    village: str
    year: int
    standard: str
    households: int
    people: int
    first_day: date
    last_day: date
    contact_name: str
    contact_phone: str
    show_id: bool
    show_phone: bool
    list_title: str
    list_title_lines: tuple[str, ...]
    rows: tuple[PublicRow, ...]
    issued_on: date
    foot: Foot


def build_edge_announcement_context(session: Session, *, window_id: int, number: str) -> EdgeAnnouncementContext:
    """What the announcement posted in one village prints."""
    window, _ = notice_window(session, window_id, KIND, "贫困边缘户公告")
    village = region(session, window.scope_code)
    township = parent(session, village)
    county = parent(session, township)
    standard = standard_for(village.code, window.year)
    if standard is None:
        raise NotFound(f"{window.year}年度政策未设定贫困边缘户识别标准")
    policy = policy_for(village.code, window.year)
    households = listed_households(session, window_case_ids(session, window_id), as_of=window.opened_at)
    first, _ = window_days(window)
    lines = title_lines("关于", township.name, village.name, f"{window.year}年度", "贫困边缘户", "的公告")
    list_lines = title_lines(township.name, village.name, f"{window.year}年度", "贫困边缘户名单")
    return EdgeAnnouncementContext(
        office_name=county.office_name,
        number=number,
        title="".join(lines),
        title_lines=lines,
        county=county.name,
        township=township.name,
        village=village.name,
        year=window.year,
        standard=band(standard),
        **public_list(households, policy, window, county),
        list_title="".join(list_lines),
        list_title_lines=list_lines,
        issued_on=first,
        foot=foot(county, [township.office_name, village.office_name], first),
    )


def render_edge_announcement(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the announcement of one village's window (public; numbered per county and year)."""
    window, _ = notice_window(session, window_id, KIND, "贫困边缘户公告")
    county = parent(session, parent(session, region(session, window.scope_code)))
    path = document_path(kind=KIND, year=window.year, scope_code=window.scope_code, suffix=str(window_id))
    number = official_number(session, kind=KIND, year=window.year, scope_prefix=prefix(county.code, Level.COUNTY),
                             path=path, doc_prefix=county.doc_prefix)
    context = build_edge_announcement_context(session, window_id=window_id, number=number)
    return store(
        session, kind=KIND, chain=window.chain, year=window.year, stage=window.stage, scope_code=window.scope_code,
        case_ids=window_case_ids(session, window_id), html=render(f"{KIND}.html.j2", context), public=True,
        number=number, now=now, suffix=str(window_id),
    )


register(Notice(KIND, "贫困边缘户公告", Scope.VILLAGE, render_edge_announcement))
