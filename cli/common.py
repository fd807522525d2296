"""What every `tuopin` command shares: the console, refusals printed in Chinese, the --now and --as options."""

from __future__ import annotations

import os
from datetime import datetime
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
