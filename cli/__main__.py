"""`python -m cli` runs the `tuopin` command."""

from cli.main import app

app()
