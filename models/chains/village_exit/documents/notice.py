"""The public list of exiting villages: the township's two-level publicity (乡、村两级公示) and the county's
announcement (公告), one builder for both. It lists villages, not households, so it holds no resident ID or phone
number to mask; the office's own phone is printed in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.chains.village_exit.standards import VillageAssessment, percent, rate, village_exit_policy
from models.core.case import Case
from models.core.document import Document
from models.core.errors import NotFound
from models.core.publicity import Window
from models.documents.common import parent, region, title_lines, window_case_ids, window_days
from models.documents.registry import Notice, Scope, register
from models.documents.render import render, store

NOTICE, ANNOUNCEMENT = "village_exit_notice", "village_exit_announcement"


@dataclass(frozen=True)
class VillageRow:
    serial: int
    township: str
    village: str
    incidence: str
    collective_income: str
    score: str


@dataclass(frozen=True)
class VillageExitNoticeContext:
    kind: str
    title: str
    title_lines: tuple[str, ...]
    year: int
    standard: str
    first_day: date
    last_day: date
    rows: tuple[VillageRow, ...]
    issuer: str
    contact_name: str
    contact_phone: str
    posted_on: date


def _window(session: Session, window_id: int) -> tuple[Window, str]:
    """The window and the kind of list it posts (the notice or announcement its stage names)."""
    from models.door.chain import chain_named

    window = session.get(Window, window_id)
    kinds = set(chain_named(window.chain).stage(window.stage).documents) if window else set()
    kind = next((k for k in (NOTICE, ANNOUNCEMENT) if k in kinds), None)
    if window is None or kind is None:
        raise NotFound(f"贫困村退出公示{window_id}不存在")
    return window, kind


def build_village_exit_notice_context(session: Session, *, window_id: int) -> VillageExitNoticeContext:
    """What the list posted in one window prints: each village with the figures of its newest assessment."""
    window, kind = _window(session, window_id)
    issuer = region(session, window.scope_code)
    standard = village_exit_policy(issuer.code, window.year)
    cases = session.exec(select(Case).where(col(Case.id).in_(window_case_ids(session, window_id)))).all()
    newest: dict[int, VillageAssessment] = {}
    for assessment in session.exec(select(VillageAssessment).where(
            col(VillageAssessment.case_id).in_([c.id for c in cases])).order_by(col(VillageAssessment.assessed_at),
                                                                              col(VillageAssessment.id))):
        newest[assessment.case_id] = assessment
    rows = []
    for serial, case in enumerate(sorted(cases, key=lambda c: c.village_code), 1):
        village = region(session, case.village_code)
        found = newest.get(case.id or 0)
        rows.append(VillageRow(
            serial, parent(session, village).name, village.name,
            percent(rate(found.poor_people, found.registered_population)) if found else "",
            f"{found.collective_income:.2f}" if found else "", f"{found.score.normalize():f}" if found else "",
        ))
    what = ("拟退出", "贫困村", "公示") if kind == NOTICE else ("贫困村", "退出", "公告")
    lines = title_lines(issuer.name, f"{window.year}年度", *what)
    first, last = window_days(window)
    return VillageExitNoticeContext(
        kind=kind, title="".join(lines), title_lines=lines, year=window.year,
        standard=(f"综合贫困发生率{standard.incidence.describe('%')}（否决指标），村级集体经济年收入"
                  f"{standard.collective_income.describe('元')}，{len(standard.indicators)}项评分指标总分"
                  f"{standard.score_total}分、得分{standard.score.describe('分')}"),
        first_day=first, last_day=last, rows=tuple(rows), issuer=issuer.office_name,
        contact_name=issuer.contact_name, contact_phone=issuer.contact_phone, posted_on=first,
    )


def render_village_exit_notice(session: Session, *, window_id: int, now: datetime) -> Document:
    """Render and store the list posted in a window (public; the caller commits)."""
    context = build_village_exit_notice_context(session, window_id=window_id)
    window, kind = _window(session, window_id)
    return store(
        session, kind=kind, chain=window.chain, year=window.year, stage=window.stage, scope_code=window.scope_code,
        case_ids=window_case_ids(session, window_id), html=render(f"{NOTICE}.html.j2", context), public=True,
        number="", now=now, suffix=str(window_id),
    )


register(Notice(NOTICE, "拟退出贫困村公示", Scope.TOWNSHIP, render_village_exit_notice))
register(Notice(ANNOUNCEMENT, "贫困村退出公告", Scope.COUNTY, render_village_exit_notice))
