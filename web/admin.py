"""The county administrator's pages: the county's people (with the city and province teams registered for it), adding
a person with a login and first password, changing role, region or phone, deactivating and reactivating, resetting a
password; each change audited, each refusal shown on the page with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from models.core.actors import ROLE_NAMES, Actor, Role
from models.core.errors import InvalidInput, TuopinError
from models.core.regions import LEVEL_NAMES, Level, Region, prefix
from models.core.web_users import WebUser
from models.staff.people import (
    STAFF_ROLES,
    Person,
    add_person,
    change_person,
    may_keep,
    set_active,
    set_password,
    staff_of,
)
from web.auth import Viewer
from web.common import DB, form_ok, now, number, refused_form, viewer_of
from web.views import render

router = APIRouter()
DONE = {"added": "已登记新人员并设好初始密码", "changed": "已保存修改",
        "deactivated": "已停用：该人员不能再办理或登录，以往的决定仍保留",
        "reactivated": "已恢复：该人员可再办理和登录",
        "password": "已重设密码，请告知本人并提醒其登录后妥善保管"}


def _admin(request: Request, session: Session) -> Viewer | Response:
    """The logged-in county administrator, or the 403 page for anyone else."""
    viewer = viewer_of(request, session)
    if viewer.actor.role is not Role.COUNTY_ADMIN:
        message = "人员和账号管理仅限县级系统管理员"
        return render(request, "error", viewer=viewer, status=403, title="无权访问", message=message)
    return viewer


def _regions(session: Session, viewer: Viewer) -> list[Region]:
    """The regions an administrator registers people in: the county's, and its city and province."""
    county = viewer.actor.region_code
    inside = col(Region.code).startswith(prefix(county, Level.COUNTY))
    above = col(Region.code).in_([prefix(county, Level.PROVINCE).ljust(12, "0"),
                                  prefix(county, Level.CITY).ljust(12, "0")])
    return list(session.exec(select(Region).where(inside | above).order_by(col(Region.code))).all())


def _list_page(request: Request, session: Session, viewer: Viewer, *, error: str = "", status: int = 200,
               typed: dict[str, str] | None = None) -> Response:
    people = staff_of(session, viewer.actor.region_code, above=True)
    with_password = set(session.exec(select(WebUser.actor_id)).all())
    regions = _regions(session, viewer)
    return render(request, "admin", viewer=viewer, status=status, title="人员与账号", people=people,
                  with_password=with_password, names={r.code: r.name for r in regions}, regions=regions,
                  roles=[(r.value, ROLE_NAMES[r]) for r in STAFF_ROLES], role_names=ROLE_NAMES,
                  level_names=LEVEL_NAMES, error=error, done=DONE.get(request.query_params.get("done", ""), ""),
                  typed=typed or {})


def _person(session: Session, viewer: Viewer, person_id: str) -> Actor | None:
    """A person the administrator keeps, or None (unknown, or outside the county)."""
    found = number(person_id)
    actor = session.get(Actor, found) if found else None
    region = session.get(Region, actor.region_code) if actor else None
    if actor is None or region is None or actor.role is Role.SYSTEM or not may_keep(viewer.actor, region):
        return None
    return actor


def _person_page(request: Request, session: Session, viewer: Viewer, actor: Actor, *, error: str = "",
                 status: int = 200) -> Response:
    regions = _regions(session, viewer)
    has_password = session.exec(select(WebUser).where(WebUser.actor_id == actor.id)).first() is not None
    return render(request, "admin_person", viewer=viewer, status=status, title=f"人员：{actor.name}", person=actor,
                  regions=regions, roles=[(r.value, ROLE_NAMES[r]) for r in STAFF_ROLES], role_names=ROLE_NAMES,
                  level_names=LEVEL_NAMES, has_password=has_password, error=error,
                  done=DONE.get(request.query_params.get("done", ""), ""))


@router.get("/admin")
def admin_page(request: Request, session: DB) -> Response:
    viewer = _admin(request, session)
    if not isinstance(viewer, Viewer):
        return viewer
    return _list_page(request, session, viewer)


@router.post("/admin/people")
def add(request: Request, session: DB, name: Annotated[str, Form()] = "", login: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "", region: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = _admin(request, session)
    if not isinstance(viewer, Viewer):
        return viewer
    try:
        added = add_person(session=session, person=Person(name, login, role, region, phone), by=viewer.actor,
                           now=now(request))
        set_password(session=session, login=added.login, password=password, by=viewer.actor, now=now(request))
        session.commit()
    except TuopinError as error:
        session.rollback()
        typed = {"name": name, "login": login, "role": role, "region": region, "phone": phone}
        return _list_page(request, session, viewer, error=f"{error}；本次未写入任何内容", status=400, typed=typed)
    return RedirectResponse("/admin?done=added", status_code=303)


@router.get("/admin/people/{person_id}")
def person_page(request: Request, session: DB, person_id: str) -> Response:
    viewer = _admin(request, session)
    if not isinstance(viewer, Viewer):
        return viewer
    actor = _person(session, viewer, person_id)
    if actor is None:
        return render(request, "error", viewer=viewer, status=404, title="人员不存在", message="人员不存在或不属本县")
    return _person_page(request, session, viewer, actor)


def _act(request: Request, session: Session, person_id: str, csrf: str, done: str,
         work: Callable[[Viewer, Actor], object]) -> Response:
    """Every form of a person's page: its token, the administrator, the person in the county; then `work`,
    committed, and back to the person's page; a refusal shows the page with the reason and writes nothing."""
    if not form_ok(request, csrf):
        return refused_form(request)
    viewer = _admin(request, session)
    if not isinstance(viewer, Viewer):
        return viewer
    actor = _person(session, viewer, person_id)
    if actor is None:
        return render(request, "error", viewer=viewer, status=404, title="人员不存在", message="人员不存在或不属本县")
    try:
        work(viewer, actor)
        session.commit()
    except TuopinError as error:
        session.rollback()
        fresh = session.get(Actor, actor.id)
        assert fresh is not None
        return _person_page(request, session, viewer, fresh, error=f"{error}；本次未写入任何内容", status=400)
    return RedirectResponse(f"/admin/people/{actor.id}?done={done}", status_code=303)


@router.post("/admin/people/{person_id}/change")
def change(request: Request, session: DB, person_id: str, name: Annotated[str, Form()] = "",
           role: Annotated[str, Form()] = "", region: Annotated[str, Form()] = "",
           phone: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, actor: Actor) -> object:
        return change_person(session=session, login=actor.login, by=viewer.actor, now=now(request), name=name,
                             role=role, region_code=region, phone_number=phone)

    return _act(request, session, person_id, csrf, "changed", work)


@router.post("/admin/people/{person_id}/active")
def active(request: Request, session: DB, person_id: str, active: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "") -> Response:
    wanted = active == "1"

    def work(viewer: Viewer, actor: Actor) -> object:
        return set_active(session=session, login=actor.login, active=wanted, by=viewer.actor, now=now(request))

    return _act(request, session, person_id, csrf, "reactivated" if wanted else "deactivated", work)


@router.post("/admin/people/{person_id}/password")
def password(request: Request, session: DB, person_id: str, password: Annotated[str, Form()] = "",
             again: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    def work(viewer: Viewer, actor: Actor) -> object:
        if password != again:
            raise InvalidInput(f"人员{actor.name}（{actor.login}）", "密码", "******", "两次输入的密码不一致")
        return set_password(session=session, login=actor.login, password=password, by=viewer.actor, now=now(request))

    return _act(request, session, person_id, csrf, "password", work)
