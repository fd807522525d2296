"""Print copies: each HTML document rendered to an A4 PDF by WeasyPrint, with the Chinese fonts installed."""

from __future__ import annotations

from pathlib import Path

from models.documents.files import write_atomically


def write_pdf(html_path: Path) -> tuple[Path, str]:
    """Render the HTML file to a PDF beside it (replaced in one step); returns its path and sha256."""
    from weasyprint import HTML  # imported here: it takes most of a second, and only printing needs it

    target = html_path.with_suffix(".pdf")
    return target, write_atomically(target, HTML(filename=str(html_path)).write_pdf())
