"""The dashboard's routes for logging in and out, the area's overview and the case list with its filters."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from models.core.case import STATUS_NAMES, Status
from models.core.errors import NotFound
from models.core.regions import Level, Region
from models.digest.due_soon import closing_windows
from models.door.chain import all_chains, chain_named
from models.door.forms import case_opening_forms, input_slug
from models.door.opening import OPENERS
from models.reads.dashboard import by_township, case_count, open_objection_count, overdue_count
from models.reads.status import Filters, case_page, counts_by_stage
from web.auth import COOKIE, log_in
from web.common import DB, form_ok, now, refused_form, sessions, viewer_of
from web.views import render

router = APIRouter()
PAGE_SIZE = 20
DUE_SOON = timedelta(days=3)


@router.get("/login")
def login_page(request: Request, session: DB) -> Response:
    if sessions(request).viewer(request, session) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login", viewer=None, title="登录", error="", login="")


@router.post("/login")
def login(request: Request, session: DB, login: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          csrf: Annotated[str, Form()] = "") -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    user, why = log_in(session, login, password, now(request))
    session.commit()
    if user is None:
        status = 429 if "秒后再试" in why else 401
        return render(request, "login", viewer=None, status=status, title="登录", error=why, login=login)
    response = RedirectResponse("/", status_code=303)
    sessions(request).write(response, {"uid": user.id, "csrf": secrets.token_urlsafe(32)})
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def overview(request: Request, session: DB) -> Response:
    viewer = viewer_of(request, session)
    moment = now(request)
    chains: dict[str, list[tuple[str, str, int]]] = {}
    for chain, stage, status, count in counts_by_stage(session, Filters(region=viewer.region)):
        found = chain_named(chain)
        chains.setdefault(found.name, []).append((found.stage(stage).name, found.status_name(status), count))
    totals = {name: sum(r[2] for r in rows) for name, rows in chains.items()}
    townships = by_township(session, viewer.region, moment)
    return render(request, "overview", viewer=viewer, title="概览", chains=chains, totals=totals,
                  overdue=overdue_count(session, viewer.region, moment),
                  objections=open_objection_count(session, viewer.region),
                  closing=closing_windows(session, viewer.region, moment, moment + DUE_SOON), townships=townships,
                  widest=max([t.active + t.finished for t in townships] + [1]),
                  may_open=viewer.actor.role in OPENERS,
                  starts=[(chain, input_slug(takes.input), form.title)
                          for chain, takes, form in case_opening_forms(viewer.actor.role)])


def _villages(session: Session, region: str) -> list[tuple[str, str]]:
    """The villages of the area, for the filter (a village clerk's own only)."""
    query = select(Region.code, Region.name).where(col(Region.code).startswith(region), Region.level == Level.VILLAGE)
    return [(code, name) for code, name in session.execute(query.order_by(Region.code)).tuples()]


@router.get("/cases")
def cases(request: Request, session: DB, chain: str = "", stage: str = "", status: str = "", village: str = "",
          q: str = "", due: str = "", page: str = "1") -> Response:
    viewer = viewer_of(request, session)
    moment = now(request)
    error, code = "", None
    if chain:
        try:
            code = chain_named(chain).code
        except NotFound as refused:
            error, chain = str(refused), ""
    villages = _villages(session, viewer.region)
    region = village if village in dict(villages) else viewer.region
    state = status if status in Status.__members__ else None
    due_before = moment if due == "overdue" else moment + timedelta(days=int(due)) if due.isdigit() else None
    filters = Filters(region=region, chain=code, stage=stage or None, status=state, search=q.strip()[:40],
                      due_before=due_before)
    total = case_count(session, filters)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(int(page) if page.isdigit() and int(page) > 0 else 1, pages)
    lines = case_page(session, filters, moment, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    soon = {line.case_id for line in lines if line.due_at and not line.overdue and line.status == Status.ACTIVE
            and line.due_at <= moment + DUE_SOON}
    kept = {"chain": code or "", "stage": stage, "status": state or "", "village": region if village else "",
            "q": filters.search, "due": due if due_before else ""}
    return render(request, "cases", viewer=viewer, title="案件", lines=lines, soon=soon, total=total, page=number,
                  pages=pages, query=urlencode({k: v for k, v in kept.items() if v}), chains=all_chains(),
                  chain=code or "", stage=stage, state=state or "", statuses=STATUS_NAMES, villages=villages,
                  village=kept["village"], q=filters.search, due=kept["due"], error=error)
