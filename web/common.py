"""What every dashboard route shares: the database session, the clock, the logged-in clerk, the form-token check
and the answers for a refused form and for something outside the clerk's area."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from models.core.db import session_scope
from web.auth import Sessions, Viewer
from web.views import render


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


def form_ok(request: Request, token: str) -> bool:
    """Whether a submitted form carries this browser's form token."""
    return sessions(request).csrf_ok(request, token)


def refused_form(request: Request) -> HTMLResponse:
    message = "表单已失效或来源不明，请刷新页面后重试；本次未写入任何内容"
    return render(request, "error", viewer=None, status=403, title="无权访问", message=message)


def missing(request: Request, viewer: Viewer, message: str) -> HTMLResponse:
    return render(request, "error", viewer=viewer, status=404, title=message, message=message)


def number(text: str) -> int | None:
    """A positive id from a URL, or None for anything else."""
    return int(text) if text.isdigit() and 0 < len(text) < 12 else None
