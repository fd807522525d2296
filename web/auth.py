"""Logins for the dashboard: a signed session cookie carrying the login and its form token (CSRF), and the login
check with its pause after too many failed attempts (the password hashes: models/core/passwords.py)."""

from __future__ import annotations

import hmac
import math
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session

from models.core.actors import Actor, Role
from models.core.passwords import password_matches
from models.core.regions import prefix
from models.core.settings import get_settings
from models.core.web_users import WebUser, paused_until, record_failure, record_success, user_by_id, user_named

COOKIE = "tuopin_session"
SESSION_SECONDS = 8 * 3600
SECRET_ENV = "TUOPIN_WEB_SECRET"


def secret_key() -> str:
    """The signing key: TUOPIN_WEB_SECRET, else a key generated once into the output folder and kept there."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured
    path = Path(get_settings().output_dir) / ".web_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
                file.write(secrets.token_urlsafe(48))
        except FileExistsError:
            pass  # another worker wrote it first
    return path.read_text().strip()


@dataclass(frozen=True)
class Viewer:
    """A logged-in clerk: the login and the person whose role and region are the scope of every page."""

    user: WebUser
    actor: Actor

    @property
    def region(self) -> str:
        """The region code prefix of everything this clerk may see ("" for the system)."""
        return "" if self.actor.role is Role.SYSTEM else prefix(self.actor.region_code, self.actor.level)

    def covers(self, village_code: str) -> bool:
        return self.actor.covers(village_code)


class Sessions:
    """Reads and writes the signed session cookie: {"uid": login id or None, "csrf": form token}."""

    def __init__(self, key: str) -> None:
        self.serializer = URLSafeTimedSerializer(key, salt="tuopin-session")

    def read(self, request: Request) -> dict[str, Any]:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self.serializer.loads(raw, max_age=SESSION_SECONDS)
                if isinstance(data, dict) and isinstance(data.get("csrf"), str):
                    return data
            except BadSignature:
                pass
        return {}

    def write(self, response: Response, data: dict[str, Any]) -> None:
        response.set_cookie(COOKIE, self.serializer.dumps(data), max_age=SESSION_SECONDS, httponly=True,
                            samesite="lax", path="/")

    def start(self, request: Request) -> tuple[dict[str, Any], bool]:
        """This browser's session, or a new anonymous one with its own form token (True: it must be written)."""
        data = self.read(request)
        if data:
            return data, False
        return {"uid": None, "csrf": secrets.token_urlsafe(32)}, True

    def csrf_ok(self, request: Request, token: str) -> bool:
        expected = self.read(request).get("csrf")
        return bool(token) and isinstance(expected, str) and hmac.compare_digest(expected, token)

    def viewer(self, request: Request, session: Session) -> Viewer | None:
        uid = self.read(request).get("uid")
        if not isinstance(uid, int):
            return None
        found = user_by_id(session, uid)
        # a person deactivated since they logged in is logged out at their next page
        return Viewer(*found) if found and found[1].active else None


def log_in(session: Session, login: str, password: str, now: datetime) -> tuple[WebUser | None, str]:
    """The login if the password is right and the login is not paused, else None and why (the caller commits)."""
    found = user_named(session, login.strip())
    if found is None:
        password_matches(None, password)
        return None, "登录名或密码错误"
    user, actor = found
    until = paused_until(user)
    if until is not None and now < until:
        seconds = math.ceil((until - now).total_seconds())
        return None, f"连续登录失败次数过多，请{seconds}秒后再试"
    if not password_matches(user.password_hash, password):
        record_failure(session, user, now)
        return None, "登录名或密码错误"
    if not actor.active:
        return None, f"{actor.title()}已停用，不能登录；如需恢复请联系本县县级系统管理员"
    record_success(session, user)
    return user, ""
