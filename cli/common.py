"""What every `tuopin` command shares: the console, refusals printed in Chinese, the --now and --as options."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from types import TracebackType
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from models.core.clock import parse, utcnow

console = Console()

NowOption = Annotated[str | None, typer.Option("--now", help="Simulated time, e.g. 2026-11-02 or '2026-11-02 09:00'.")]
ActorOption = Annotated[str, typer.Option("--as", help="Login (or #id) of the registered person acting.")]


def fail(error: object) -> NoReturn:
    """Print why nothing was done, in Chinese, and exit non-zero (nothing was written)."""
    console.print(f"[bold red]未执行：[/]{error}")
    raise typer.Exit(code=1)


def database_errors_in_words() -> None:
    """A database not yet created or upgraded, or one that cannot be reached, is told in Chinese with what to do,
    not as a traceback: Python still exits 1 after this hook (every other error keeps the usual one)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        from sqlalchemy.exc import OperationalError, ProgrammingError

        from models.core.settings import get_settings

        text = str(error).lower()
        if isinstance(error, (OperationalError, ProgrammingError)) and ("no such table" in text
                                                                        or "does not exist" in text):
            console.print(f"[bold red]未执行：[/]数据库尚未建立或需要升级（{get_settings().database_url}）："
                          "请先运行 tuopin init；未写入任何内容")
        elif isinstance(error, OperationalError):
            console.print(f"[bold red]未执行：[/]无法打开数据库（{get_settings().database_url}）："
                          "请检查 --db 或 TUOPIN_DATABASE_URL；未写入任何内容")
        else:
            previous(kind, error, trace)

    sys.excepthook = hook


def moment(now: str | None) -> datetime:
    """The --now option read in office time, or the real time; a bad date stops the command."""
    try:
        return parse(now) if now else utcnow()
    except ValueError as error:
        fail(error)


def local_prefect() -> None:
    """Before a command starts Prefect's local (ephemeral) API: keep the task-run recorder off. tuopin's record is
    its own database; the recorder only fills Prefect's UI and, stopped at the end of a short process, prints
    tracebacks of the events it was still flushing. A configured Prefect server (PREFECT_API_URL) is left alone."""
    if not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
