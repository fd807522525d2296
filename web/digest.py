"""The due-soon digest page: what the clerk's region has overdue or due within a few days, windows about to close
and open objections (the same digest the daily e-mail carries)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from models.core.settings import get_settings
from models.digest.due_soon import digest
from web.common import DB, now, viewer_of
from web.views import render

router = APIRouter()
MAX_DAYS = 60
LISTED = 100  # cases shown per stage; the case list has the rest


@router.get("/digest")
def digest_page(request: Request, session: DB, days: str = "") -> Response:
    viewer = viewer_of(request, session)
    ahead = int(days) if days.isdigit() else get_settings().digest_days
    ahead = min(ahead, MAX_DAYS)
    found = digest(session, viewer.region, now(request), ahead)
    return render(request, "digest", viewer=viewer, title="到期提醒", doc=found, listed=LISTED, max_days=MAX_DAYS)
