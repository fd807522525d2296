"""One case in the dashboard: its page, a decision through the one door, evidence uploads, objections raised and
resolved, its case file (案卷) and downloads. Anything outside the clerk's area answers "not found"."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from models.core.actors import ROLE_NAMES
from models.core.case import Status
from models.core.errors import NotFound, TransitionRefused, TuopinError
from models.door.cases import load_rows
from models.door.chain import INPUT_NAMES, Input, Stage, chain_named
from models.door.engine import MOVE_NAMES, Move, transition
from models.door.forms import InputForm, for_case, input_slug, waiting_inputs
from models.door.inputs import recorder_problem
from models.door.objections import raise_objection, resolve_objection
from models.door.posting import may_post, post_with_photo
from models.door.windows import posted_cases
from models.evidence.policy import EvidencePolicy
from models.evidence.uploads import evidence_villages, store_evidence
from models.policy.loading import policy_for
from models.reads.case_file import case_file_zip, checklist, holdings
from models.reads.case_view import CaseView, case_view, document_cases
from web.auth import Viewer
from web.common import DB, form_ok, missing, now, number, refused_form, viewer_of
from web.views import render

router = APIRouter()
DECISIONS = (Move.APPROVE, Move.RETURN, Move.REJECT)
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
DONE = {**{m.value: f"已{MOVE_NAMES[m]}" for m in DECISIONS}, "evidence": "已上传", "objection": "已登记异议",
        "resolved": "异议已处理", "posted": "已张贴公示，公示期开始，照片已上传",
        **{f"input-{input_slug(k)}": f"已登记{INPUT_NAMES[k]}" for k in Input}}


def case_of(session: Session, viewer: Viewer, case_id: str, request: Request) -> CaseView | None:
    """The case if it exists and lies in the clerk's area."""
    found = case_view(session, number(case_id) or 0, now(request))
    return found if found is not None and viewer.covers(found.village_code) else None


@dataclass(frozen=True)
class Waiting:
    """One input the case's stage waits for: who records it, and its form when the viewer is the one."""

    slug: str
    title: str
    who: str
    form: InputForm | None
    entered: Mapping[str, Sequence[str]]  # what the viewer typed into it, kept when it was refused


def waiting(session: Session, viewer: Viewer, found: CaseView, stage: Stage,
            entered: tuple[str, Mapping[str, Sequence[str]]] | None) -> list[Waiting]:
    """What the case's stage waits for (本环节待办), each input with the form the viewer may fill in."""
    if found.status != Status.ACTIVE:
        return []
    chain = chain_named(found.chain)
    shown = []
    for takes, form in waiting_inputs(chain, stage):
        slug = input_slug(takes.input)
        mine = recorder_problem(viewer.actor, stage, takes.input) is None
        shown.append(Waiting(slug, form.title, "或".join(ROLE_NAMES[r] for r in stage.recorders(takes.input)),
                             for_case(form, session, found.id) if mine else None,
                             entered[1] if entered and entered[0] == slug else {}))
    return shown


def show_case(request: Request, session: Session, viewer: Viewer, case_id: str, *, error: str = "",
              done: str = "", status: int = 200,
              entered: tuple[str, Mapping[str, Sequence[str]]] | None = None) -> HTMLResponse:
    found = case_of(session, viewer, case_id, request)
    if found is None:
        return missing(request, viewer, "案件不存在")
    active = found.status == Status.ACTIVE
    may_decide = active and found.stage_role == viewer.actor.role
    stage = chain_named(found.chain).stage(found.stage)
    decider = ROLE_NAMES[stage.role] if stage.role is not None else ""
    return render(request, "case", viewer=viewer, status=status, title=f"案件{found.id}", case=found,
                  may_decide=may_decide, may_post=may_post(session, found.id, viewer.actor) is None,
                  waiting=waiting(session, viewer, found, stage, entered), decider=decider if active else "",
                  moves=[(m.value, MOVE_NAMES[m]) for m in DECISIONS], error=error, done=DONE.get(done, ""))


def _refused(request: Request, session: Session, viewer: Viewer, case_id: str, error: TuopinError) -> HTMLResponse:
    """The case page again with why nothing was written."""
    session.rollback()
    why = error.reason if isinstance(error, TransitionRefused) else str(error)
    return show_case(request, session, viewer, case_id, error=f"未执行：{why}；本次未写入任何内容", status=409)


@router.get("/cases/{case_id}")
def case(request: Request, session: DB, case_id: str, done: str = "") -> Response:
    return show_case(request, session, viewer_of(request, session), case_id, done=done)


Work = Callable[[Viewer, CaseView], str | None]  # writes through the door; a message for bad form input


def act(request: Request, session: Session, case_id: str, csrf: str, done: str, work: Work) -> Response:
    """Every form of a case page: its token, the clerk, the case in the clerk's area; then `work`, committed, and
    back to the case page. Bad input or a refusal shows the case page with the reason and writes nothing."""
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    found = case_of(session, viewer, case_id, request)
    if found is None:
        return missing(request, viewer, "案件不存在")
    try:
        problem = work(viewer, found)
        if problem:
            session.rollback()
            return show_case(request, session, viewer, case_id, error=f"{problem}；本次未写入任何内容", status=400)
        session.commit()
    except NotFound as gone:
        session.rollback()
        return missing(request, viewer, str(gone))
    except TuopinError as refused:
        return _refused(request, session, viewer, case_id, refused)
    return RedirectResponse(f"/cases/{found.id}?done={done}", status_code=303)


def _read(file: UploadFile | None, found: CaseView) -> tuple[str, bytes] | None:
    """The uploaded file's name and content, read up to one byte past the policy's limit; None without a file."""
    if file is None or not file.filename:
        return None
    return file.filename, file.file.read(policy_for(found.village_code, found.year).evidence.max_bytes + 1)


@router.post("/cases/{case_id}/decide")
def decide(request: Request, session: DB, case_id: str, stage: Annotated[str, Form()] = "",
           move: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        if move not in {m.value for m in DECISIONS}:
            return "请选择通过、退回或不予通过"
        transition(session=session, chain=found.chain, stage=stage, case_ids=[found.id], move=Move(move),
                   actor=viewer.actor, now=now(request), reason=reason.strip())
        return None

    return act(request, session, case_id, csrf, move, work)


@router.post("/cases/{case_id}/evidence")
def upload(request: Request, session: DB, case_id: str, kind: Annotated[str, Form()] = "",
           file: Annotated[UploadFile | None, File()] = None, whole_window: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        uploaded = _read(file, found)
        if uploaded is None:
            return "请选择要上传的文件"
        ids = [found.id]
        if whole_window and found.window_id is not None:  # the photo of a posted list proves it for every case on it
            posted = load_rows(session, posted_cases(session, found.window_id))
            ids = sorted(i for i, row in posted.items() if viewer.covers(row.village_code))
        store_evidence(session=session, case_ids=ids, kind=kind, filename=uploaded[0], content=uploaded[1],
                       actor=viewer.actor, now=now(request))
        return None

    return act(request, session, case_id, csrf, "evidence", work)


@router.post("/cases/{case_id}/post")
def post_notice(request: Request, session: DB, case_id: str, file: Annotated[UploadFile | None, File()] = None,
                csrf: Annotated[str, Form()] = "") -> Response:
    """Post the case's publicity list: the photo of the notice on the board opens the window."""
    def work(viewer: Viewer, found: CaseView) -> str | None:
        uploaded = _read(file, found)
        if uploaded is None:
            return "请选择公示照片"
        post_with_photo(session=session, case_id=found.id, filename=uploaded[0], content=uploaded[1],
                        actor=viewer.actor, now=now(request))
        return None

    return act(request, session, case_id, csrf, "posted", work)


@router.post("/cases/{case_id}/objections")
def object_to(request: Request, session: DB, case_id: str, raised_by: Annotated[str, Form()] = "",
              content: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        raise_objection(session=session, case_id=found.id, raised_by=raised_by, content=content, now=now(request),
                        actor=viewer.actor)
        return None

    return act(request, session, case_id, csrf, "objection", work)


@router.post("/cases/{case_id}/objections/{objection_id}")
def resolve(request: Request, session: DB, case_id: str, objection_id: str, upheld: Annotated[str, Form()] = "",
            resolution: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, found: CaseView) -> str | None:
        if not any(o.id == number(objection_id) for o in found.objections):
            raise NotFound("异议不存在")
        if upheld not in ("yes", "no"):
            return "请选择异议是否成立"
        resolve_objection(session=session, objection_id=number(objection_id) or 0, upheld=upheld == "yes",
                          resolution=resolution, now=now(request), actor=viewer.actor)
        return None

    return act(request, session, case_id, csrf, "resolved", work)


def _file_of(request: Request, session: Session, case_id: str) -> tuple[Viewer, CaseView, EvidencePolicy] | Response:
    viewer = viewer_of(request, session)
    found = case_of(session, viewer, case_id, request)
    if found is None:
        return missing(request, viewer, "案件不存在")
    return viewer, found, policy_for(found.village_code, found.year).evidence


@router.get("/cases/{case_id}/file")
def case_file_page(request: Request, session: DB, case_id: str) -> Response:
    got = _file_of(request, session, case_id)
    if isinstance(got, Response):
        return got
    viewer, found, rules = got
    states = checklist(rules, found.chain, holdings(session, [found.id])[found.id])
    return render(request, "case_file", viewer=viewer, title=f"案件{found.id}案卷", case=found, states=states)


@router.get("/cases/{case_id}/file.zip")
def case_file_download(request: Request, session: DB, case_id: str) -> Response:
    got = _file_of(request, session, case_id)
    if isinstance(got, Response):
        return got
    _viewer, found, rules = got
    return zip_response(case_file_zip(session, found.chain, rules, [found.id]), f"案卷-案件{found.id}.zip")


def zip_response(content: bytes, name: str) -> Response:
    return Response(content, media_type="application/zip",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/documents/{document_id}/{kind}")
def document(request: Request, session: DB, document_id: str, kind: str) -> Response:
    viewer = viewer_of(request, session)
    found = document_cases(session, number(document_id) or 0)
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


@router.get("/evidence/{evidence_id}")
def evidence(request: Request, session: DB, evidence_id: str) -> Response:
    viewer = viewer_of(request, session)
    found = evidence_villages(session, number(evidence_id) or 0)
    if found is None or not found[1] or not all(viewer.covers(v) for v in found[1]):
        return missing(request, viewer, "文件不存在")
    proof = found[0]
    if not Path(proof.path).is_file():
        return missing(request, viewer, "文件不存在")
    return FileResponse(proof.path, media_type=proof.media_type, filename=proof.filename,
                        content_disposition_type="inline")
