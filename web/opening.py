"""The dashboard's /open page: a township or county clerk opens a year's cases of a chain, the region's households
its entry rule chooses or a pasted list, after a preview of who would enter and who is refused and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from models.core.actors import ROLE_NAMES, Role
from models.core.clock import local
from models.core.errors import TuopinError
from models.core.regions import Level, Region
from models.door.chain import Chain, Subject, all_chains, chain_named
from models.door.opening import OPENERS, Opening, open_planned, plan_opening
from web.auth import Viewer
from web.common import DB, form_ok, now, refused_form, viewer_of
from web.views import render

router = APIRouter()
SHOWN = 200  # rows of a preview's lists; the counts above them are whole


@dataclass(frozen=True)
class Asked:
    """What the form was sent with, shown again on the page that answers it."""

    chain: str = ""
    year: str = ""
    region: str = ""
    subjects: str = ""


def _chains() -> list[Chain]:
    """The chains whose cases are opened in a batch (not chain G's, opened one finding at a time)."""
    return [c for c in all_chains() if c.subject is not Subject.FINDING]


def _regions(session: Session, viewer: Viewer) -> list[Region]:
    """The viewer's own region and the townships inside it, for the region a batch comes from."""
    own = session.get(Region, viewer.actor.region_code)
    townships = session.exec(select(Region).where(col(Region.code).startswith(viewer.region),
                                                  col(Region.level) == Level.TOWNSHIP,
                                                  col(Region.code) != viewer.actor.region_code)
                             .order_by(col(Region.code))).all()
    return [*([own] if own is not None else []), *townships]


def _page(request: Request, session: Session, viewer: Viewer, asked: Asked, *, status: int = 200, error: str = "",
          preview: Opening | None = None, opened: int | None = None, done: Opening | None = None) -> Response:
    return render(request, "open", viewer=viewer, status=status, title="年度立案", chains=_chains(),
                  regions=_regions(session, viewer), asked=asked, error=error, preview=preview, opened=opened,
                  done=done, shown=SHOWN)


def _refused_role(request: Request, viewer: Viewer) -> Response:
    allowed = "、".join(ROLE_NAMES[r] for r in OPENERS if r is not Role.SYSTEM)
    message = f"年度立案由{allowed}办理，{viewer.actor.title()}不能立案"
    return render(request, "error", viewer=viewer, status=403, title="无权访问", message=message)


@router.get("/open")
def open_page(request: Request, session: DB) -> Response:
    viewer = viewer_of(request, session)
    if viewer.actor.role not in OPENERS:
        return _refused_role(request, viewer)
    return _page(request, session, viewer, Asked(year=str(local(now(request)).year), region=viewer.actor.region_code))


@router.post("/open")
def open_cases_page(request: Request, session: DB, chain: Annotated[str, Form()] = "",
                    year: Annotated[str, Form()] = "", region: Annotated[str, Form()] = "",
                    subjects: Annotated[str, Form()] = "", action: Annotated[str, Form()] = "preview",
                    csrf: Annotated[str, Form()] = "") -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    if viewer.actor.role not in OPENERS:
        return _refused_role(request, viewer)
    asked = Asked(chain, year.strip(), region, subjects)
    if not re.fullmatch(r"[0-9]{4}", year.strip()):
        return _page(request, session, viewer, asked, status=400, error=f"年度“{year}”须为四位年份，如2026")
    if region and not region.startswith(viewer.region):
        return _page(request, session, viewer, asked, status=400,
                     error=f"区划{region}不在{viewer.actor.title()}的辖区内")
    try:
        found = chain_named(chain)
        listed = {"villages" if found.subject is Subject.VILLAGE else "households": subjects}
        opening = plan_opening(session, chain=found, year=int(year), region=region or None, actor=viewer.actor,
                               **listed)
        if action != "open":
            session.rollback()
            return _page(request, session, viewer, asked, preview=opening)
        if opening.listed and opening.refused:
            session.rollback()
            return _page(request, session, viewer, asked, status=409, preview=opening,
                         error="未执行：所列名单须全部可以立案，请改正或删去不能立案的后重试")
        if not opening.entering:
            session.rollback()
            return _page(request, session, viewer, asked, status=409, preview=opening,
                         error="未执行：没有可立案的" + ("村" if found.subject is Subject.VILLAGE else "户"))
        ids = open_planned(session=session, opening=opening, actor=viewer.actor, now=now(request))
        session.commit()
    except TuopinError as error:
        session.rollback()
        return _page(request, session, viewer, asked, status=400, error=f"未执行：{error}")
    # The list is cleared: sent again, the same page would only name each one as already opened.
    return _page(request, session, viewer, Asked(chain, year, region), opened=len(ids), done=opening)
