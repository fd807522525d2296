"""A household in the dashboard: its members (present and left), flags and change history, and a form per kind of
registry change for the village committee and township of its area; anything outside the clerk's area is "not
found", and a refused change shows the page again with its reason and writes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from models.core.clock import local_date
from models.core.errors import InvalidInput
from models.core.household import Household
from models.core.regions import Region
from models.registry.changes import Change, Mover, apply_change
from models.registry.history import history
from models.registry.kinds import FLAG_NAMES, FLAGS, HEAD, JOINS, KIND_NAMES, LEAVES, RECORDERS, ChangeKind
from models.registry.revisions import household_as_of
from models.registry.sheet import change_day
from web.auth import Viewer
from web.common import DB, form_ok, missing, now, refused_form, viewer_of
from web.views import render

router = APIRouter()


def household_of(session: Session, viewer: Viewer, number: str) -> Household | None:
    """The household if it exists and lies in the clerk's area."""
    found = session.exec(select(Household).where(Household.number == number)).first()
    return found if found is not None and viewer.covers(found.village_code) else None


def show_household(request: Request, session: Session, viewer: Viewer, number: str, *, error: str = "",
                   done: str = "", status: int = 200) -> HTMLResponse:
    household = household_of(session, viewer, number)
    if household is None or household.id is None:
        return missing(request, viewer, "农户不存在")
    state = household_as_of(session, household.id, None)
    assert state is not None
    village = session.get(Region, household.village_code)
    flags = [(FLAG_NAMES[key], bool(getattr(household, key))) for key in FLAGS.values()]
    return render(request, "household", viewer=viewer, status=status, title=f"农户{household.number}",
                  household=household, village=village.name if village else household.village_code,
                  present=state.present, left=[m for m in state.members if m.left], flags=flags,
                  history=history(session, household.number), may_record=viewer.actor.role in RECORDERS,
                  kinds=KIND_NAMES, joins=JOINS, leaves=LEAVES, flag_words=list(FLAGS), head=HEAD,
                  today=local_date(now(request)).isoformat(), error=error,
                  done=f"已登记{KIND_NAMES[ChangeKind(done)]}" if done in ChangeKind.__members__ else "")


@router.get("/households/{number}")
def household_page(request: Request, session: DB, number: str, done: str = "") -> Response:
    return show_household(request, session, viewer_of(request, session), number, done=done)


def _people(kind: ChangeKind, form: dict[str, str], movers: list[str], split_head: str) -> tuple[Mover, ...]:
    if kind in JOINS:
        return (Mover(form["resident_id"].upper(), form["name"], form["relation"]),)
    if kind in LEAVES:
        return (Mover(form["member"]),) if form["member"] else ()
    if kind is ChangeKind.SPLIT:
        return tuple(Mover(m, "", HEAD if m == split_head else "") for m in movers)
    if kind is ChangeKind.MERGE:
        return (Mover("", "", form["relation"]),)
    return ()


@router.post("/households/{number}/changes")
def record_change(request: Request, session: DB, number: str, kind: Annotated[str, Form()] = "",
                  on: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                  resident_id: Annotated[str, Form()] = "", relation: Annotated[str, Form()] = "",
                  sex: Annotated[str, Form()] = "", member: Annotated[str, Form()] = "",
                  movers: Annotated[list[str] | None, Form()] = None, split_head: Annotated[str, Form()] = "",
                  new_number: Annotated[str, Form()] = "", flag: Annotated[str, Form()] = "",
                  value: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
                  csrf: Annotated[str, Form()] = "") -> Response:
    """Record one change; back to the household's page, or the page again with the reason and nothing written."""
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = viewer_of(request, session)
    if household_of(session, viewer, number) is None:
        return missing(request, viewer, "农户不存在")
    try:
        if kind not in ChangeKind.__members__:
            raise InvalidInput(f"户编号{number}", "变更类型", kind, f"变更类型应为{'、'.join(KIND_NAMES.values())}之一")
        try:
            day = change_day(on.strip())
        except ValueError as error:
            raise InvalidInput(f"户编号{number}", "变更日期", on, str(error)) from error
        change_kind = ChangeKind(kind)
        fields = {"resident_id": resident_id.strip(), "name": name.strip(), "relation": relation.strip(),
                  "member": member.strip()}
        change = Change(number=number, kind=change_kind, on=day,
                        people=_people(change_kind, fields, [m.strip() for m in movers or [] if m.strip()],
                                       split_head.strip()),
                        new_number=new_number.strip(), flag=flag.strip(), value=value.strip(), note=note.strip(),
                        sex=sex.strip(), source={"form": "dashboard"})
        apply_change(session=session, change=change, actor=viewer.actor, now=now(request))
        session.commit()
    except InvalidInput as refused:
        session.rollback()
        return show_household(request, session, viewer, number, error=f"未执行：{refused}；本次未写入任何内容",
                              status=400)
    return RedirectResponse(f"/households/{number}?done={kind}", status_code=303)
