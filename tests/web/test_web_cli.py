"""The dashboard's commands: a login added for a registered person works on the dashboard; bad input writes
nothing."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.web import running_from, users_add
from models.core.actors import Role
from models.core.clock import parse
from models.core.settings import PROJECT_ROOT
from models.core.web_users import WebUser

runner = CliRunner()
users = typer.Typer()
users.command("add")(users_add)
users.command("noop")(lambda: None)  # a second command keeps "add" a subcommand


def logins(world) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(WebUser)))


def test_users_add_gives_a_person_a_login(world, browser):
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    added = runner.invoke(users, ["add", "lihong", "--actor", actor.name, "--password", "long-enough-1"])
    assert added.exit_code == 0, added.output
    assert "已添加登录账号“lihong”" in added.output
    assert browser("lihong", "long-enough-1").get("/").status_code == 200


def test_users_add_refuses_an_unknown_person_a_short_password_and_a_second_use_of_a_name(world):
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    unknown = runner.invoke(users, ["add", "x", "--actor", "无此人", "--password", "long-enough-1"])
    assert unknown.exit_code == 1 and "没有登录名为“无此人”的人员" in unknown.output
    short = runner.invoke(users, ["add", "x", "--actor", actor.name, "--password", "short"])
    assert short.exit_code == 1 and "密码至少8位" in short.output
    assert logins(world) == 0
    assert runner.invoke(users, ["add", "x", "--actor", actor.name, "--password", "long-enough-1"]).exit_code == 0
    again = runner.invoke(users, ["add", "x", "--actor", actor.name, "--password", "long-enough-1"])
    assert again.exit_code == 1 and "登录名已存在" in again.output
    assert logins(world) == 1


def test_adding_logins_takes_nothing_from_the_web_layer(world):
    """The CLI imports web/ only to serve the dashboard: a login's hash is made below it (models/core/passwords.py)."""
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom cli.main import app\n"
            "from cli.web import add_demo_logins\nfrom models.core.db import session_scope\n"
            f"done = CliRunner().invoke(app, ['users', 'add', 'lihong', '--actor', {actor.name!r}, '--password', "
            "'long-enough-1'])\nassert done.exit_code == 0, done.output\n"
            "with session_scope() as session:\n    assert add_demo_logins(session)\n    session.commit()\n"
            "print(' '.join(m for m in sys.modules if m == 'web' or m.startswith('web.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
    assert logins(world) > 1


def test_a_simulated_dashboard_clock_starts_at_the_moment_given_and_runs_on():
    start = parse("2026-10-20 09:00")
    clock = running_from(start)
    first = clock()
    assert timedelta(0) <= first - start < timedelta(seconds=5)
    time.sleep(0.05)
    assert clock() > first  # it runs on, so two decisions made a minute apart are a minute apart
