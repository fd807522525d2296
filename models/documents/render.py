"""Rendering document contexts to HTML with the one Jinja2 environment, and storing each file once with its hash."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from models.core.clock import cn_date, to_db
from models.core.document import Document, DocumentCase
from models.core.settings import get_settings
from models.documents.files import write_atomically
from models.documents.pdf import write_pdf
from models.home_checks.standards import round_yuan

if TYPE_CHECKING:
    from jinja2 import Environment


def yuan(amount: Decimal | int | float | str | None) -> str:
    """Money as documents print it: two decimals, half up; nothing for a missing amount."""
    if amount is None or amount == "":
        return ""
    return f"{round_yuan(Decimal(str(amount))):f}"


def cn_period(first: date, last: date) -> str:
    """A period as notices print it: 2026年11月1日至11月7日 (the year once when both days share it)."""
    end = f"{last.month}月{last.day}日" if last.year == first.year else cn_date(last)
    return f"{cn_date(first)}至{end}"


@lru_cache(maxsize=4)
def _environment(templates_dir: str) -> Environment:
    # imported here: models that only format money or periods (yuan, cn_period) import this module on the
    # way to `tuopin status`, which renders nothing
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["yuan"] = yuan
    env.filters["cn_period"] = cn_period
    return env


def environment() -> Environment:
    """The Jinja2 environment of the configured templates folder, built once per folder."""
    return _environment(str(get_settings().templates_dir))


def render(template_name: str, context: object) -> str:
    """Render a document template with a dataclass context, passed to the template as `doc`."""
    if not dataclasses.is_dataclass(context) or isinstance(context, type):
        raise TypeError(f"render() expects a dataclass instance, got {type(context).__name__}")
    return environment().get_template(template_name).render(doc=context)


def document_path(*, kind: str, year: int, scope_code: str, suffix: str) -> Path:
    """Where a document's file lives: <output_dir>/<year>/<scope_code>/<kind>-<suffix>.html."""
    return get_settings().output_dir / str(year) / scope_code / f"{kind}-{suffix}.html"


def find_document(session: Session, *, kind: str, path: Path) -> Document | None:
    """The stored document of this kind at this path, if any."""
    return session.exec(select(Document).where(Document.kind == kind, Document.path == str(path))).first()


def _link_cases(session: Session, document_id: int, case_ids: Sequence[int], *, replace: bool) -> None:
    if replace:
        session.execute(delete(DocumentCase).where(col(DocumentCase.document_id) == document_id))
    links = [{"document_id": document_id, "case_id": case_id} for case_id in sorted(set(case_ids))]
    if links:
        session.execute(insert(DocumentCase.__table__), links)  # type: ignore[attr-defined]


def store(
    session: Session, *, kind: str, chain: str, year: int, stage: str, scope_code: str, case_ids: Sequence[int],
    html: str, public: bool, number: str, now: datetime, suffix: str, context: object | None = None,
) -> Document:
    """Write the HTML file and record it (the caller commits); the same text at the same path is stored once.

    Same kind and path with the same sha256: the existing row is returned (the file is rewritten only if
    it went missing). Same path, different text: the file is overwritten and the row's hash, number,
    public flag and case links are updated. Either way the row's `created_at` moves on to `now`: the paper
    stands for its inputs as of then, which is what the machine compares with newer decisions and entries
    (models/documents/owed.py). With the document's `context`, letters and notices also get an
    editable DOCX beside the HTML when DOCX copies are on (the setting).
    """
    path = document_path(kind=kind, year=year, scope_code=scope_code, suffix=suffix)
    data = html.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    existing = find_document(session, kind=kind, path=path)
    if existing is not None and to_db(existing.created_at) < to_db(now):
        existing.created_at = now
        session.add(existing)
    if existing is not None and existing.sha256 == digest:
        if not path.exists() or path.read_bytes() != data:
            write_atomically(path, data)
        if get_settings().pdf and not (existing.pdf_path and Path(existing.pdf_path).exists()):
            _print_copy(existing, path)
            session.add(existing)
        if get_settings().docx and not (existing.docx_path and Path(existing.docx_path).exists()):
            _editable_copy(existing, path, context)
            session.add(existing)
        return existing
    write_atomically(path, data)
    document = existing or Document(
        kind=kind, chain=chain, year=year, stage=stage, scope_code=scope_code, path=str(path), sha256=digest,
        public=public, number=number, created_at=now,
    )
    document.sha256, document.number, document.public = digest, number, public  # a changed text keeps its row
    _print_copy(document, path)
    _editable_copy(document, path, context)
    session.add(document)
    session.flush()
    assert document.id is not None
    _link_cases(session, document.id, case_ids, replace=existing is not None)
    session.flush()
    return document


def _print_copy(document: Document, html_path: Path) -> None:
    """Render the PDF beside the HTML when PDFs are on (the setting), and record its path and hash."""
    if not get_settings().pdf:
        return
    pdf_path, pdf_digest = write_pdf(html_path)
    document.pdf_path, document.pdf_sha256 = str(pdf_path), pdf_digest


def _editable_copy(document: Document, html_path: Path, context: object | None) -> None:
    """Write the editable DOCX beside the HTML when DOCX copies are on (the setting) and this kind of document
    has one (letters and notices, built from their context), and record its path and hash."""
    if not get_settings().docx or context is None:
        return
    from models.documents.docx import (  # imported here: models.documents.docx uses this module's filters
        WRITERS,
        write_docx,
    )

    if document.kind not in WRITERS:
        return
    docx_path, docx_digest = write_docx(document.kind, context, html_path)
    document.docx_path, document.docx_sha256 = str(docx_path), docx_digest
