"""Print copies: each HTML document rendered to an A4 PDF by WeasyPrint, with the Chinese fonts installed."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_pdf(html_path: Path) -> tuple[Path, str]:
    """Render the HTML file to a PDF beside it (replaced in one step); returns its path and sha256."""
    from weasyprint import HTML  # imported here: it takes most of a second, and only rendering needs it

    target = html_path.with_suffix(".pdf")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        HTML(filename=str(html_path)).write_pdf(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target, hashlib.sha256(target.read_bytes()).hexdigest()
