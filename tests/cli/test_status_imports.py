"""`tuopin status` starts fast (DESIGN: models/ never imports Prefect, so a read starts fast): run to the end in a
fresh process, it imports neither Prefect nor the libraries that only documents, rosters and writes need.

The check is behavioural (what the process has imported), never a timing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from models.core.settings import PROJECT_ROOT
from tests.walk import open_all

# Each is imported inside the functions that need it; a module-level import on the way to `tuopin status`
# (a chain table, models/, cli/) brings it back.
NOT_FOR_STATUS = (
    "prefect",  # flows only (`tuopin run`, `tuopin sweep`)
    "weasyprint",  # PDFs (models/documents/pdf.py)
    "docx",  # DOCX documents (models/docx*.py)
    "openpyxl",  # .xlsx rosters (models/importing/)
    "jinja2",  # rendering documents (models/documents/render.py)
    "stdnum",  # checking imported ID numbers (models/importing/cells.py)
    "models.documents.common",  # what every document builder stands on (a chain table once imported one)
    "models.importing",  # `tuopin import` and `tuopin export-roster` (cli/importing.py)
    "PIL",  # checking uploaded photos (models/evidence/uploads.py)
    "argon2",  # password hashes of dashboard logins (models/core/passwords.py)
)
# Only a PostgreSQL database needs its dialect (the audit trail's first append imports it).
SQLITE_ONLY = ("sqlalchemy.dialects.postgresql",)


def loaded_after(code: str) -> str:
    """Run `code` in a fresh interpreter (the environment points at the test's database) and return the heavy
    modules it left imported, one a line."""
    check = (f"import sys\n{code}\n"
             f"print('\\n'.join(m for m in {NOT_FOR_STATUS + SQLITE_ONLY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", check], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_status_imports_neither_prefect_nor_the_document_and_roster_libraries(database, world):
    open_all(world, datetime(2026, 10, 8, 1, 0, tzinfo=UTC))  # cases to count and list
    allowed = () if database.startswith("sqlite") else SQLITE_ONLY
    assert [m for m in loaded_after("from cli.main import app").split() if m not in allowed] == []
    # The command itself, run to the end: the chain tables are imported, the counts and cases printed.
    run = ("from typer.testing import CliRunner\nfrom cli.main import app\n"
           "result = CliRunner(env={'COLUMNS': '250'}).invoke(app, ['status', '--now', '2026-10-10'])\n"
           "assert result.exit_code == 0, result.output\n"
           "assert '村民小组推荐' in result.output, result.output\n"
           "assert 'models.chains.monitoring.stages' in sys.modules")
    assert [m for m in loaded_after(run).split() if m not in allowed] == []
