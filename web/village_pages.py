"""A village's cases at once: one decision for many cases of a stage (each case's result shown), and the village's
case file (案卷) with its zip. A village outside the clerk's area answers "not found"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.core.case import Status
from models.core.errors import NotFound, TuopinError
from models.core.regions import Level, Region
from models.door.chain import Chain, all_chains, chain_named
from models.door.engine import MOVE_NAMES, Move, transition
from models.evidence.policy import EvidencePolicy
from models.evidence.uploads import store_evidence
from models.policy.loading import policy_for
from models.reads.case_file import case_file_zip, checklist, holdings
from models.reads.status import CaseLine, Filters, case_page
from web.auth import Viewer
from web.case_pages import DECISIONS, zip_response
from web.common import DB, form_ok, missing, now, refused_form, viewer_of
from web.views import render

router = APIRouter()
MOST = 500  # cases of one village at one stage shown at once


def _village(session: Session, viewer: Viewer, code: str) -> Region | None:
    found = session.get(Region, code) if code.isdigit() and len(code) == 12 else None
    return found if found is not None and found.level == Level.VILLAGE and viewer.covers(code) else None


def _chain(name: str) -> Chain | None:
    """The chain named; none named: the first in DOMAIN's order."""
    try:
        return chain_named(name) if name else all_chains()[0]
    except NotFound:
        return None


def _lines(session: Session, village: str, chain: Chain, stage: str, request: Request) -> list[CaseLine]:
    filters = Filters(region=village, chain=chain.code, stage=stage, status=Status.ACTIVE)
    return case_page(session, filters, now(request), limit=MOST)


def _bulk_page(request: Request, session: Session, viewer: Viewer, village: Region, chain: Chain, stage: str, *,
               results: list[tuple[int, str, str]] | None = None, error: str = "", status: int = 200) -> HTMLResponse:
    try:
        the_stage = chain.stage(stage)
    except NotFound as refused:
        return missing(request, viewer, str(refused))
    lines = _lines(session, village.code, chain, the_stage.code, request)
    return render(request, "bulk", viewer=viewer, status=status, title=f"{village.name}批量办理", village=village,
                  chain=chain, stage=the_stage, lines=lines, may_decide=the_stage.role == viewer.actor.role,
                  moves=[(m.value, MOVE_NAMES[m]) for m in DECISIONS], results=results or [], error=error)


@router.get("/villages/{code}/decide")
def bulk_page(request: Request, session: DB, code: str, chain: str = "", stage: str = "") -> Response:
    viewer = viewer_of(request, session)
    village, found = _village(session, viewer, code), _chain(chain)
    if village is None or found is None:
        return missing(request, viewer, "村或流程不存在")
    return _bulk_page(request, session, viewer, village, found, stage or found.first.code)


@router.post("/villages/{code}/decide")
def bulk_decide(request: Request, session: DB, code: str, chain: Annotated[str, Form()] = "",
                stage: Annotated[str, Form()] = "", move: Annotated[str, Form()] = "",
                reason: Annotated[str, Form()] = "", case_id: Annotated[list[str] | None, Form()] = None,
                csrf: Annotated[str, Form()] = "") -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    village, found = _village(session, viewer, code), _chain(chain)
    if village is None or found is None:
        return missing(request, viewer, "村或流程不存在")
    chosen = sorted({int(i) for i in case_id or [] if i.isdigit()})
    if move not in {m.value for m in DECISIONS} or not chosen:
        why = "请选择要办理的案件" if not chosen else "请选择通过、退回或不予通过"
        return _bulk_page(request, session, viewer, village, found, stage, error=why, status=400)
    here = {line.case_id for line in _lines(session, village.code, found, stage, request)}
    outside = [i for i in chosen if i not in here]
    try:
        result = transition(session=session, chain=found.code, stage=stage, case_ids=[i for i in chosen if i in here],
                            move=Move(move), actor=viewer.actor, now=now(request), reason=reason.strip(),
                            strict=False) if len(outside) < len(chosen) else None
    except TuopinError as refused:
        session.rollback()
        return _bulk_page(request, session, viewer, village, found, stage, error=f"未执行：{refused}", status=409)
    results = [(i, "未办理", f"案件不在本村“{found.stage(stage).name}”环节") for i in outside]
    if result is not None:
        results += [(i, f"已{MOVE_NAMES[Move(move)]}", "") for i in result.moved]
        results += [(i, "未变化", "此前已作相同决定") for i in result.unchanged]
        results += [(i, "未办理", why) for i, why in result.refused.items()]
    return _bulk_page(request, session, viewer, village, found, stage, results=sorted(results))


def _file_of(request: Request, session: Session, code: str, chain: str,
             year: str) -> tuple[Viewer, Region, Chain, list[CaseLine], EvidencePolicy] | Response:
    """The village, the chain, the village's cases of the chain in the year and the policy's case-file rules."""
    viewer = viewer_of(request, session)
    village, found = _village(session, viewer, code), _chain(chain)
    if village is None or found is None:
        return missing(request, viewer, "村或流程不存在")
    the_year = int(year) if year.isdigit() and len(year) == 4 else now(request).year
    lines = case_page(session, Filters(region=village.code, chain=found.code, year=the_year), now(request),
                      limit=MOST)
    return viewer, village, found, lines, policy_for(village.code, the_year).evidence


def _show_file(request: Request, session: Session, got: tuple[Viewer, Region, Chain, list[CaseLine], EvidencePolicy],
               *, error: str = "", done: bool = False, status: int = 200) -> HTMLResponse:
    viewer, village, found, lines, rules = got
    held = holdings(session, [line.case_id for line in lines])
    rows = [(line, checklist(rules, found.code, held[line.case_id])) for line in lines]
    return render(request, "village_file", viewer=viewer, status=status, title=f"{village.name}{found.name}案卷",
                  village=village, chain=found, rows=rows, materials=rules.case_files.get(found.code, ()),
                  kinds=rules.kinds, error=error, done=done)


@router.get("/villages/{code}/file")
def village_file(request: Request, session: DB, code: str, chain: str = "", year: str = "",
                 done: str = "") -> Response:
    got = _file_of(request, session, code, chain, year)
    return got if isinstance(got, Response) else _show_file(request, session, got, done=bool(done))


@router.post("/villages/{code}/file")
def village_upload(request: Request, session: DB, code: str, chain: Annotated[str, Form()] = "",
                   kind: Annotated[str, Form()] = "", file: Annotated[UploadFile | None, File()] = None,
                   csrf: Annotated[str, Form()] = "") -> Response:
    """A file for the whole village's case file (a plan, a pledge, an approval): linked to each of its cases."""
    if not form_ok(request, csrf):
        return refused_form(request)
    got = _file_of(request, session, code, chain, "")
    if isinstance(got, Response):
        return got
    viewer, village, found, lines, rules = got
    if file is None or not file.filename or not lines:
        why = "请选择要上传的文件" if lines else f"本村没有{found.name}案件"
        return _show_file(request, session, got, error=f"{why}；本次未写入任何内容", status=400)
    try:
        store_evidence(session=session, case_ids=[line.case_id for line in lines], kind=kind, filename=file.filename,
                       content=file.file.read(rules.max_bytes + 1), actor=viewer.actor, now=now(request))
        session.commit()
    except TuopinError as refused:
        session.rollback()
        return _show_file(request, session, got, error=f"未执行：{refused}；本次未写入任何内容", status=409)
    return RedirectResponse(f"/villages/{village.code}/file?chain={found.code}&done=1", status_code=303)


@router.get("/villages/{code}/file.zip")
def village_file_download(request: Request, session: DB, code: str, chain: str = "", year: str = "") -> Response:
    got = _file_of(request, session, code, chain, year)
    if isinstance(got, Response):
        return got
    _viewer, village, found, lines, rules = got
    content = case_file_zip(session, found.code, rules, [line.case_id for line in lines])
    return zip_response(content, f"案卷-{village.name}-{found.name}.zip")
