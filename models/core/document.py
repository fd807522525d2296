"""Rendered documents: where the file is, its sha256, and the cases and stage it belongs to."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    chain: str
    year: int
    stage: str
    scope_code: str = Field(foreign_key="region.code", index=True)
    path: str
    sha256: str = Field(max_length=64)
    public: bool
    number: str = Field(default="", description="文号 of an official document, e.g. 示镇政〔2026〕3号")
    created_at: datetime
    pdf_path: str = Field(default="", description="the print copy beside the HTML; empty when PDFs are off")
    pdf_sha256: str = Field(default="", max_length=64)
    docx_path: str = Field(default="", description="the editable copy beside the HTML; empty when DOCX is off")
    docx_sha256: str = Field(default="", max_length=64)


class DocumentCase(SQLModel, table=True):
    document_id: int = Field(foreign_key="document.id", primary_key=True)
    case_id: int = Field(foreign_key="case.id", primary_key=True, index=True)
