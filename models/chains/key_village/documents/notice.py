"""The provincial publicity notice of key villages (省扶贫开发领导小组审议后公示, seed 004): public; it lists villages,
not households, so there is no resident ID or phone number to mask; the office's own phone is printed in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.core.case import Case
from models.core.document import Document
from models.documents.common import parent, region, title_lines, window_case_ids, window_days, window_for
from models.documents.registry import Notice, Scope, register
from models.documents.render import render, store

KIND = "key_village_notice"


@dataclass(frozen=True)
class NoticeRow:
    serial: int
    city: str
    county: str
    township: str
    village: str


@dataclass(frozen=True)
class KeyVillageNoticeContext:
    title: str
    title_lines: tuple[str, ...]
    year: int
    first_day: date
    last_day: date
    rows: tuple[NoticeRow, ...]
    issuer: str
    contact_name: str
    contact_phone: str
    posted_on: date


def build_key_village_notice_context(session: Session, *, window_id: int) -> KeyVillageNoticeContext:
    """The villages posted in one window, by city, county, township and village code."""
    window = window_for(session, window_id, KIND, "重点帮扶村公示")
    issuer = region(session, window.scope_code)
    cases = session.exec(select(Case).where(col(Case.id).in_(window_case_ids(session, window_id)))).all()
    rows = []
    for serial, case in enumerate(sorted(cases, key=lambda c: c.village_code), 1):
        village = region(session, case.village_code)
        township = parent(session, village)
        county = parent(session, township)
        rows.append(NoticeRow(serial, parent(session, county).name, county.name, township.name, village.name))
    lines = title_lines(issuer.name, f"{window.year}年度", "重点帮扶村", "名单公示")
    first, last = window_days(window)
    return KeyVillageNoticeContext(
        title="".join(lines), title_lines=lines, year=window.year, first_day=first, last_day=last, rows=tuple(rows),
        issuer=issuer.office_name, contact_name=issuer.contact_name, contact_phone=issuer.contact_phone,
        posted_on=first,
    )


def render_key_village_notice(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the notice posted in a window (public; the caller commits)."""
    context = build_key_village_notice_context(session, window_id=window_id)
    window = window_for(session, window_id, KIND, "重点帮扶村公示")
    return store(session, kind=KIND, chain=window.chain, year=window.year, stage=window.stage,
                 scope_code=window.scope_code, case_ids=window_case_ids(session, window_id),
                 html=render(f"{KIND}.html.j2", context), public=True, number="", now=now, suffix=str(window_id))


register(Notice(KIND, "重点帮扶村公示", Scope.PROVINCE, render_key_village_notice))
