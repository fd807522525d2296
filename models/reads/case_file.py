"""The case file (案卷): the materials the policy says a chain's file holds, which each case has and which it
lacks, and the whole file of one case or one village as a zip (its documents, evidence and a table of contents)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from models.core.document import Document, DocumentCase
from models.core.household import Household
from models.core.regions import Region
from models.door.cases import CASE
from models.door.chain import chain_named
from models.evidence.policy import EvidencePolicy, Material
from models.evidence.uploads import EVIDENCE, EVIDENCE_CASE

DOCUMENT = Document.__table__  # type: ignore[attr-defined]
DOCUMENT_CASE = DocumentCase.__table__  # type: ignore[attr-defined]
HOUSEHOLD = Household.__table__  # type: ignore[attr-defined]
REGION = Region.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Held:
    """What a case's file holds: its documents as (id, kind, stage) and its evidence as (id, kind)."""

    documents: list[tuple[int, str, str]]
    evidence: list[tuple[int, str]]


@dataclass(frozen=True)
class MaterialState:
    name: str
    present: bool
    lacking: str  # what is missing, in words ("" when present)


def holdings(session: Session, case_ids: Sequence[int]) -> dict[int, Held]:
    """Every case's documents and evidence, in two queries whatever the number of cases."""
    found = {case_id: Held([], []) for case_id in case_ids}
    for case_id, document_id, kind, stage in session.execute(
        select(DOCUMENT_CASE.c.case_id, DOCUMENT.c.id, DOCUMENT.c.kind, DOCUMENT.c.stage)
        .join(DOCUMENT, DOCUMENT.c.id == DOCUMENT_CASE.c.document_id)
        .where(DOCUMENT_CASE.c.case_id.in_(list(case_ids))).order_by(DOCUMENT.c.id)
    ).tuples():
        found[case_id].documents.append((document_id, kind, stage))
    for case_id, evidence_id, kind in session.execute(
        select(EVIDENCE_CASE.c.case_id, EVIDENCE.c.id, EVIDENCE.c.kind)
        .join(EVIDENCE, EVIDENCE.c.id == EVIDENCE_CASE.c.evidence_id)
        .where(EVIDENCE_CASE.c.case_id.in_(list(case_ids))).order_by(EVIDENCE.c.id)
    ).tuples():
        found[case_id].evidence.append((evidence_id, kind))
    return found


def _state(material: Material, held: Held, rules: EvidencePolicy) -> MaterialState:
    written = {f"{kind}@{stage}" for _id, kind, stage in held.documents}
    uploaded = {kind for _id, kind in held.evidence}
    lacking = []
    if material.documents and not written & set(material.documents):
        lacking.append("尚未形成文书")
    if material.evidence and not uploaded & set(material.evidence):
        lacking.append("缺" + "或".join(rules.kind_name(k) for k in material.evidence))
    return MaterialState(material.name, not lacking, "；".join(lacking))


def checklist(rules: EvidencePolicy, chain: str, held: Held) -> list[MaterialState]:
    """The chain's materials, each present or lacking for a case; empty when the policy lists none."""
    return [_state(m, held, rules) for m in rules.case_files.get(chain, ())]


def _contents(session: Session, chain: str, rules: EvidencePolicy, held: dict[int, Held]) -> str:
    """The zip's table of contents: per case, each material with 有 or what it lacks."""
    names = {r[0]: r[1] or r[2] for r in session.execute(
        select(CASE.c.id, HOUSEHOLD.c.head_name, REGION.c.name)
        .outerjoin(HOUSEHOLD, HOUSEHOLD.c.id == CASE.c.household_id)
        .join(REGION, REGION.c.code == CASE.c.village_code).where(CASE.c.id.in_(list(held)))
    ).tuples()}
    lines = [f"{chain_named(chain).name}案卷目录", ""]
    for case_id in sorted(held):
        lines.append(f"案件{case_id}（{names.get(case_id, '')}）")
        states = checklist(rules, chain, held[case_id])
        for number, state in enumerate(states, 1):
            lines.append(f"  （{number}）{state.name}：{'有' if state.present else state.lacking}")
        if not states:
            lines.append("  （政策数据未规定本流程的案卷材料清单）")
        lines.append("")
    return "\n".join(lines)


def case_file_zip(session: Session, chain: str, rules: EvidencePolicy, case_ids: Sequence[int]) -> bytes:
    """One zip of the cases' file: 目录.txt, 文书/ (every copy of every document) and 佐证材料/ (each file once)."""
    held = holdings(session, case_ids)
    document_ids = sorted({d[0] for h in held.values() for d in h.documents})
    evidence_ids = sorted({e[0] for h in held.values() for e in h.evidence})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("目录.txt", _contents(session, chain, rules, held))
        for row in session.execute(select(DOCUMENT.c.id, DOCUMENT.c.path, DOCUMENT.c.pdf_path, DOCUMENT.c.docx_path)
                                   .where(DOCUMENT.c.id.in_(document_ids)).order_by(DOCUMENT.c.id)).tuples():
            for path in row[1:]:
                if path and Path(path).is_file():
                    archive.write(path, f"文书/{row[0]:05d}-{Path(path).name}")
        for evidence_id, path, filename, kind in session.execute(
            select(EVIDENCE.c.id, EVIDENCE.c.path, EVIDENCE.c.filename, EVIDENCE.c.kind)
            .where(EVIDENCE.c.id.in_(evidence_ids)).order_by(EVIDENCE.c.id)
        ).tuples():
            if Path(path).is_file():
                archive.write(path, f"佐证材料/{evidence_id:05d}-{rules.kind_name(kind)}-{filename}")
    return out.getvalue()
