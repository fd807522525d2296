"""The dashboard's routes: login and logout, the area's overview, the case list, one case with its decision
form, and the documents of the area's cases. A case or document outside the clerk's region answers "not found"."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.case import STATUS_NAMES, Status
from models.chain import all_chains, chain_named
from models.dashboard import case_count, case_file, document_cases, open_objection_count, overdue_count
from models.db import session_scope
from models.engine import MOVE_NAMES, Move, transition
from models.errors import NotFound, TransitionRefused, TuopinError
from models.status import Filters, case_page, counts_by_stage
from web.auth import COOKIE, Sessions, Viewer, log_in
from web.views import render

router = APIRouter()
PAGE_SIZE = 20
DUE_SOON = timedelta(days=3)
DECISIONS = (Move.APPROVE, Move.RETURN, Move.REJECT)
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class LoginRequired(Exception):
    """The page needs a logged-in clerk."""


def database(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.database_url) as session:
        yield session


DB = Annotated[Session, Depends(database)]


def sessions(request: Request) -> Sessions:
    result: Sessions = request.app.state.sessions
    return result


def now(request: Request) -> datetime:
    moment: datetime = request.app.state.clock()
    return moment


def viewer_of(request: Request, session: Session) -> Viewer:
    viewer = sessions(request).viewer(request, session)
    if viewer is None:
        raise LoginRequired
    return viewer


def refused_form(request: Request) -> HTMLResponse:
    message = "表单已失效或来源不明，请刷新页面后重试；本次未写入任何内容"
    return render(request, "error", viewer=None, status=403, title="无权访问", message=message)


def missing(request: Request, viewer: Viewer, message: str) -> HTMLResponse:
    return render(request, "error", viewer=viewer, status=404, title=message, message=message)


@router.get("/login")
def login_page(request: Request, session: DB) -> Response:
    if sessions(request).viewer(request, session) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login", viewer=None, title="登录", error="", login="")


@router.post("/login")
def login(request: Request, session: DB, login: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          csrf: Annotated[str, Form()] = "") -> Response:
    if not sessions(request).csrf_ok(request, csrf):
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
    if not sessions(request).csrf_ok(request, csrf):
        return refused_form(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def overview(request: Request, session: DB) -> Response:
    viewer = viewer_of(request, session)
    counts = counts_by_stage(session, Filters(region=viewer.region))
    chains: dict[str, list[tuple[str, str, int]]] = {}
    for chain, stage, status, count in counts:
        found = chain_named(chain)
        chains.setdefault(found.name, []).append((found.stage(stage).name, found.status_name(status), count))
    totals = {name: sum(r[2] for r in rows) for name, rows in chains.items()}
    return render(request, "overview", viewer=viewer, title="概览", chains=chains, totals=totals,
                  widest=max(totals.values(), default=1), overdue=overdue_count(session, viewer.region, now(request)),
                  objections=open_objection_count(session, viewer.region))


@router.get("/cases")
def cases(request: Request, session: DB, chain: str = "", stage: str = "", status: str = "",
          page: str = "1") -> Response:
    viewer = viewer_of(request, session)
    error = ""
    code = None
    if chain:
        try:
            code = chain_named(chain).code
        except NotFound as refused:
            error, chain = str(refused), ""
    state = status if status in Status.__members__ else None
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    filters = Filters(region=viewer.region, chain=code, stage=stage or None, status=state)
    moment = now(request)
    total = case_count(session, filters)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(number, pages)
    lines = case_page(session, filters, moment, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    soon = {line.case_id for line in lines if line.due_at and not line.overdue and line.status == Status.ACTIVE
            and line.due_at <= moment + DUE_SOON}
    query = "&".join(f"{k}={v}" for k, v in (("chain", chain), ("stage", stage), ("status", state or "")) if v)
    return render(request, "cases", viewer=viewer, title="案件", lines=lines, soon=soon, total=total, page=number,
                  pages=pages, query=query, chains=all_chains(), chain=code or "", stage=stage, state=state or "",
                  statuses=STATUS_NAMES, error=error)


def show_case(request: Request, session: Session, viewer: Viewer, case_id: str, *, error: str = "",
              done: str = "", status: int = 200) -> HTMLResponse:
    found = case_file(session, int(case_id), now(request)) if case_id.isdigit() else None
    if found is None or not viewer.covers(found.village_code):
        return missing(request, viewer, "案件不存在")
    may_decide = found.status == Status.ACTIVE and found.stage_role == viewer.actor.role
    return render(request, "case", viewer=viewer, status=status, title=f"案件{found.id}", case=found,
                  may_decide=may_decide, moves=[(m.value, MOVE_NAMES[m]) for m in DECISIONS], error=error, done=done)


@router.get("/cases/{case_id}")
def case(request: Request, session: DB, case_id: str, done: str = "") -> Response:
    viewer = viewer_of(request, session)
    done_text = MOVE_NAMES[Move(done)] if done in {m.value for m in DECISIONS} else ""
    return show_case(request, session, viewer, case_id, done=done_text)


@router.post("/cases/{case_id}/decide")
def decide(request: Request, session: DB, case_id: str, stage: Annotated[str, Form()] = "",
           move: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "") -> Response:
    if not sessions(request).csrf_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    found = case_file(session, int(case_id), now(request)) if case_id.isdigit() else None
    if found is None or not viewer.covers(found.village_code):
        return missing(request, viewer, "案件不存在")
    if move not in {m.value for m in DECISIONS}:
        return show_case(request, session, viewer, case_id, error="请选择通过、退回或不予通过", status=400)
    try:
        transition(session=session, chain=found.chain, stage=stage, case_ids=[found.id], move=Move(move),
                   actor=viewer.actor, now=now(request), reason=reason.strip())
    except TransitionRefused as refused:
        session.rollback()
        return show_case(request, session, viewer, case_id, error=f"未执行：{refused.reason}", status=409)
    except TuopinError as refused:
        session.rollback()
        return show_case(request, session, viewer, case_id, error=f"未执行：{refused}", status=409)
    return RedirectResponse(f"/cases/{found.id}?done={move}", status_code=303)


@router.get("/documents/{document_id}/{kind}")
def document(request: Request, session: DB, document_id: str, kind: str) -> Response:
    viewer = viewer_of(request, session)
    found = document_cases(session, int(document_id)) if document_id.isdigit() else None
    if found is None or kind not in FORMATS:
        return missing(request, viewer, "文件不存在")
    paper, villages = found
    if not all(viewer.covers(v) for v in villages or [paper.scope_code]):
        return missing(request, viewer, "文件不存在")
    path = {"html": paper.path, "pdf": paper.pdf_path, "docx": paper.docx_path}[kind]
    if not path or not Path(path).is_file():
        return missing(request, viewer, "文件不存在")
    inline = "attachment" if kind == "docx" else "inline"
    return FileResponse(path, media_type=FORMATS[kind], filename=Path(path).name, content_disposition_type=inline)
