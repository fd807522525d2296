"""The dashboard application: pages rendered on the server with the documents' Jinja2 environment, every read and
decision scoped to the logged-in clerk's region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.core.clock import utcnow
from models.core.settings import get_settings
from models.door.contract import checked
from web.admin import router as admin_router
from web.auth import Sessions, secret_key
from web.case_pages import router as case_router
from web.common import LoginRequired
from web.digest import router as digest_router
from web.household_pages import router as household_router
from web.inputs import router as inputs_router
from web.opening import router as opening_router
from web.pages import router
from web.views import render
from web.village_pages import router as village_router

ERRORS = {403: "无权访问", 404: "页面不存在", 405: "不支持此操作"}


def create_app(database_url: str | None = None, *, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    """The dashboard on `database_url` (default: the configured database); `clock` gives "now" for deadlines.
    The chains' contract is checked first (once a process): a dashboard never starts on a broken table."""
    checked()
    app = FastAPI(title="tuopin", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.database_url = database_url or get_settings().database_url
    app.state.sessions = Sessions(secret_key())
    app.state.clock = clock
    app.include_router(router)
    app.include_router(case_router)
    app.include_router(inputs_router)
    app.include_router(village_router)
    app.include_router(digest_router)
    app.include_router(admin_router)
    app.include_router(opening_router)
    app.include_router(household_router)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _error: LoginRequired) -> Response:
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _error: RequestValidationError) -> HTMLResponse:
        message = "请求内容不完整或格式不对，请返回重试；本次未写入任何内容"
        return render(request, "error", viewer=None, status=400, title="请求无法处理", message=message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        message = ERRORS.get(error.status_code, "请求无法处理")
        return render(request, "error", viewer=None, status=error.status_code, title=message, message=message)

    return app
