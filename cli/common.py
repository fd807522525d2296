"""What every `tuopin` command shares: the console, refusals printed in Chinese, the --now and --as options."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from models.clock import parse, utcnow

console = Console()

NowOption = Annotated[str | None, typer.Option("--now", help="Simulated time, e.g. 2026-11-02 or '2026-11-02 09:00'.")]
ActorOption = Annotated[str, typer.Option("--as", help="Name of the registered person acting.")]


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
