"""The county government's announcement (公告) of a township's exiting households, with the public list attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models.core.document import Document
from models.core.regions import Level, prefix
from models.documents.common import (
    Foot,
    PublicRow,
    VillageCount,
    foot,
    listed_households,
    official_number,
    parent,
    public_list,
    region,
    title_lines,
    village_counts,
    window_case_ids,
    window_days,
    window_for,
)
from models.documents.registry import Notice, Scope, register
from models.documents.render import document_path, render, store
from models.policy.loading import policy_for

KIND = "county_announcement"


@dataclass(frozen=True)
class CountyAnnouncementContext:
    office_name: str
    number: str
    title: str
    title_lines: tuple[str, ...]
    county: str
    township: str
    year: int
    households: int
    people: int
    villages: tuple[VillageCount, ...]
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


def build_county_announcement_context(session: Session, *, window_id: int, number: str) -> CountyAnnouncementContext:
    """What the announcement of one township's approval window prints."""
    window = window_for(session, window_id, KIND, "县级公告")
    township = region(session, window.scope_code)
    county = parent(session, township)
    policy = policy_for(township.code, window.year)
    households = listed_households(session, window_case_ids(session, window_id), as_of=window.opened_at)
    first, _ = window_days(window)
    lines = title_lines("关于", township.name, f"{window.year}年度", "贫困户", "脱贫退出", "的公告")
    list_lines = title_lines(township.name, f"{window.year}年度", "脱贫退出", "贫困户名单")
    return CountyAnnouncementContext(
        office_name=county.office_name,
        number=number,
        title="".join(lines),
        title_lines=lines,
        county=county.name,
        township=township.name,
        year=window.year,
        villages=village_counts(households),
        **public_list(households, policy, window, county),
        list_title="".join(list_lines),
        list_title_lines=list_lines,
        issued_on=first,
        foot=foot(county, [parent(session, county).office_name], first),
    )


def render_county_announcement(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the county announcement of an approval window (public; numbered per county and year)."""
    window = window_for(session, window_id, KIND, "县级公告")
    county = parent(session, region(session, window.scope_code))
    path = document_path(kind=KIND, year=window.year, scope_code=window.scope_code, suffix=str(window_id))
    number = official_number(session, kind=KIND, year=window.year, scope_prefix=prefix(county.code, Level.COUNTY),
                             path=path, doc_prefix=county.doc_prefix)
    context = build_county_announcement_context(session, window_id=window_id, number=number)
    return store(
        session, kind=KIND, chain=window.chain, year=window.year, stage=window.stage, scope_code=window.scope_code,
        case_ids=window_case_ids(session, window_id), html=render(f"{KIND}.html.j2", context), public=True,
        number=number, now=now, suffix=str(window_id), context=context,
    )


register(Notice(KIND, "贫困户退出公告", Scope.TOWNSHIP, render_county_announcement))
