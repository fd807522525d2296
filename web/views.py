"""Rendering dashboard pages with the one Jinja2 environment: the layout's shared context, and times in office
time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from models.core.clock import last_day, local
from models.documents.render import environment
from web.auth import Sessions, Viewer


def when(moment: datetime | None) -> str:
    """A moment in office time to the minute; a dash for none."""
    return local(moment).format("YYYY-MM-DD HH:mm") if moment else "—"


def until(moment: datetime | None) -> str:
    """A deadline or window end in office time; one at midnight is the end of the day before (24:00)."""
    if moment is None:
        return "—"
    shown = local(moment)
    if (shown.hour, shown.minute) == (0, 0):
        return f"{last_day(moment):%Y-%m-%d} 24:00"
    return shown.format("YYYY-MM-DD HH:mm")


def render(request: Request, name: str, *, viewer: Viewer | None, status: int = 200, **context: Any) -> HTMLResponse:
    """Render templates/web/<name>.html.j2; a browser without a session gets one (its form token) with the page."""
    sessions: Sessions = request.app.state.sessions
    data, fresh = sessions.start(request)
    html = environment().get_template(f"web/{name}.html.j2").render(
        viewer=viewer, csrf=data["csrf"], when=when, until=until, **context
    )
    response = HTMLResponse(html, status_code=status)
    if fresh:
        sessions.write(response, data)
    return response
