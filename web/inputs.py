"""The case page's stage-input forms, made from the chain's declarations: the form a clerk sent read into raw
values (files as uploads), checked field by field and recorded through the chain's own function, or refused on
the case page in Chinese with what was typed kept and nothing written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from models.core.actors import ROLE_NAMES
from models.core.errors import NotFound, TransitionRefused, TuopinError
from models.door.chain import chain_named
from models.door.forms import Target, Upload, input_named, input_slug, record_input, target
from models.door.inputs import recorder_problem
from web.auth import Viewer
from web.case_pages import Waiting, case_of, show_case
from web.common import DB, form_ok, missing, now, refused_form, viewer_of
from web.views import render

router = APIRouter()
# A file larger than this is not read whole; the chain's own rule (the evidence policy) refuses what it must.
MAX_UPLOAD = 64 * 1024 * 1024


def raw_values(form: FormData, files: dict[str, list[Upload]]) -> dict[str, list[str | Upload]]:
    """Every control of the sent form but its token, in order, as the form API reads them."""
    raw: dict[str, list[str | Upload]] = defaultdict(list)
    for name, value in form.multi_items():
        if name != "csrf" and isinstance(value, str):
            raw[name].append(value)
    for name, uploads in files.items():
        raw[name].extend(uploads)
    return dict(raw)


async def _uploads(form: FormData) -> dict[str, list[Upload]]:
    files: dict[str, list[Upload]] = defaultdict(list)
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            files[name].append(Upload(value.filename or "", await value.read(MAX_UPLOAD + 1)))
    return files


@router.post("/cases/{case_id}/inputs/{input_name}")
async def record(request: Request, session: DB, case_id: str, input_name: str) -> Response:
    form = await request.form()
    files = await _uploads(form)
    return await run_in_threadpool(_record, request, session, case_id, input_name, str(form.get("csrf") or ""),
                                   raw_values(form, files))


def _typed(raw: dict[str, list[str | Upload]]) -> dict[str, list[str]]:
    """What was typed (files cannot be sent back), to fill the form again after a refusal."""
    return {name: [v for v in values if isinstance(v, str)] for name, values in raw.items()}


def _refusal(error: TuopinError) -> str:
    why = error.reason if isinstance(error, TransitionRefused) else str(error)
    return f"未登记：{why}；本次未写入任何内容"


def _record(request: Request, session: Session, case_id: str, input_name: str, csrf: str,
            raw: dict[str, list[str | Upload]]) -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    found = case_of(session, viewer, case_id, request)
    if found is None:
        return missing(request, viewer, "案件不存在")
    try:
        kind = input_named(input_name)
        record_input(session=session, target=target(session, kind, case_id=found.id), actor=viewer.actor, raw=raw,
                     now=now(request))
        session.commit()
    except NotFound as gone:
        session.rollback()
        return missing(request, viewer, str(gone))
    except TuopinError as refused:
        session.rollback()
        return show_case(request, session, viewer, case_id, error=_refusal(refused), status=409,
                         entered=(input_name, _typed(raw)))
    return RedirectResponse(f"/cases/{found.id}?done=input-{input_slug(kind)}", status_code=303)


# --- a form that opens its own case (chain G's finding): a page of its chain -------------------------------------


def _opening(session: Session, chain_name: str, input_name: str) -> Target:
    """The chain's form that opens a case; NotFound for any other."""
    return target(session, input_named(input_name), chain=chain_named(chain_name))


def _show_opening(request: Request, viewer: Viewer, where: Target, *, done: str = "", error: str = "",
                  entered: Mapping[str, Sequence[str]] | None = None, status: int = 200) -> Response:
    kind = where.form.input
    mine = recorder_problem(viewer.actor, where.stage, kind) is None
    shown = Waiting(input_slug(kind), where.form.title,
                    "或".join(ROLE_NAMES[r] for r in where.stage.recorders(kind)), where.form if mine else None,
                    entered or {})
    return render(request, "record", viewer=viewer, status=status, title=f"{where.chain.name}：{where.form.title}",
                  chain=where.chain, stage=where.stage, w=shown, done=done, error=error,
                  action=f"/chains/{where.chain.cli_name}/inputs/{shown.slug}")


@router.get("/chains/{chain_name}/inputs/{input_name}")
def opening_page(request: Request, session: DB, chain_name: str, input_name: str, said: str = "") -> Response:
    viewer = viewer_of(request, session)
    try:
        where = _opening(session, chain_name, input_name)
    except NotFound as gone:
        return missing(request, viewer, str(gone))
    return _show_opening(request, viewer, where, done=f"已登记{where.form.title}" if said else "")


@router.post("/chains/{chain_name}/inputs/{input_name}")
async def record_opening(request: Request, session: DB, chain_name: str, input_name: str) -> Response:
    form = await request.form()
    files = await _uploads(form)
    return await run_in_threadpool(_record_opening, request, session, chain_name, input_name,
                                   str(form.get("csrf") or ""), raw_values(form, files))


def _record_opening(request: Request, session: Session, chain_name: str, input_name: str, csrf: str,
                    raw: dict[str, list[str | Upload]]) -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    try:
        where = _opening(session, chain_name, input_name)
    except NotFound as gone:
        return missing(request, viewer, str(gone))
    try:
        record_input(session=session, target=where, actor=viewer.actor, raw=raw, now=now(request))
        session.commit()
    except TuopinError as refused:
        session.rollback()
        return _show_opening(request, viewer, where, error=_refusal(refused), entered=_typed(raw), status=409)
    return RedirectResponse(f"/chains/{where.chain.cli_name}/inputs/{input_slug(where.form.input)}?said=1",
                            status_code=303)
