"""The dashboard application: pages rendered on the server with the documents' Jinja2 environment, every read and
decision scoped to the logged-in clerk's region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.clock import utcnow
from models.settings import get_settings
from web.auth import Sessions, secret_key
from web.pages import LoginRequired, router
from web.views import render

ERRORS = {403: "无权访问", 404: "页面不存在", 405: "不支持此操作"}


def create_app(database_url: str | None = None, *, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    """The dashboard on `database_url` (default: the configured database); `clock` gives "now" for deadlines."""
    app = FastAPI(title="tuopin", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.database_url = database_url or get_settings().database_url
    app.state.sessions = Sessions(secret_key())
    app.state.clock = clock
    app.include_router(router)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _error: LoginRequired) -> Response:
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        message = ERRORS.get(error.status_code, "请求无法处理")
        return render(request, "error", viewer=None, status=error.status_code, title=message, message=message)

    return app
