"""Evidence (佐证材料): photos of posted notices, scans of signed minutes and forms, uploaded by clerks. A file is
checked by its content (JPEG, PNG or PDF) and size, kept once under its sha256, and linked to the cases (and each
case's stage at the time) it proves something for. Stages the policy names cannot complete without it."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Field, Session, SQLModel

from models.core import audit
from models.core.actors import Actor
from models.core.bulk import fetch_in
from models.core.errors import InvalidInput, NotFound
from models.core.settings import get_settings
from models.door.cases import load_rows
from models.door.chain import CaseRow, chain_named
from models.evidence.policy import EvidencePolicy
from models.policy.loading import policy_for

# What a file's first bytes say it is: (media type, file extension).
SIGNATURES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
              b"%PDF-": ("application/pdf", "pdf")}


class Evidence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True, description="evidence kind code of the policy's [evidence.kinds]")
    filename: str = Field(description="the name the file was uploaded under")
    media_type: str
    size: int
    sha256: str = Field(max_length=64, index=True)
    path: str
    uploaded_by: int = Field(foreign_key="actor.id")
    uploaded_at: datetime


class EvidenceCase(SQLModel, table=True):
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)
    case_id: int = Field(foreign_key="case.id", primary_key=True, index=True)
    stage: str = Field(description="the case's stage when the file was linked")


EVIDENCE = Evidence.__table__  # type: ignore[attr-defined]
EVIDENCE_CASE = EvidenceCase.__table__  # type: ignore[attr-defined]


def sniff(content: bytes) -> tuple[str, str] | None:
    """(media type, extension) of a JPEG, PNG or PDF judged by its content, or None for anything else."""
    for magic, found in SIGNATURES.items():
        if content.startswith(magic):
            if found[1] != "pdf":
                from PIL import Image, UnidentifiedImageError  # only uploads need it, not every import of the door

                try:
                    Image.open(io.BytesIO(content)).verify()
                except (UnidentifiedImageError, OSError, SyntaxError):
                    return None
            return found
    return None


def _keep(content: bytes, sha256: str, extension: str) -> Path:
    """The file under the output folder, named by its hash (written once, atomically)."""
    folder = Path(get_settings().output_dir) / "evidence" / sha256[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256}.{extension}"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(content)
        partial.replace(path)
    return path


def check_upload(rules: EvidencePolicy, *, kind: str, filename: str, content: bytes) -> tuple[str, str]:
    """(media type, extension) of an acceptable upload; a wrong kind, an empty or too large file, or content that is
    not a JPEG, PNG or PDF is refused with the reason."""
    record = f"上传的文件“{filename or '（未命名）'}”"
    if kind not in rules.kinds:
        choices = "、".join(f"{k}（{v}）" for k, v in rules.kinds.items())
        raise InvalidInput(record, "材料类别", kind, f"须为以下之一：{choices}")
    if not content:
        raise InvalidInput(record, "文件", "0字节", "文件为空，请重新选择")
    if len(content) > rules.max_bytes:
        raise InvalidInput(record, "文件大小", f"{len(content) / 1048576:.1f}MB",
                           f"不能超过{rules.max_bytes / 1048576:g}MB")
    found = sniff(content)
    if found is None:
        raise InvalidInput(record, "文件内容", filename, "只接受JPEG、PNG图片或PDF文件（按文件内容判断，不看扩展名）")
    return found


def store_evidence(*, session: Session, case_ids: Sequence[int], kind: str, filename: str, content: bytes,
                   actor: Actor, now: datetime) -> Evidence:
    """Check and keep an uploaded file and link it to the cases (the caller commits); bad input writes nothing."""
    rows = load_rows(session, case_ids)
    if not case_ids or any(c not in rows or not actor.covers(rows[c].village_code) for c in case_ids):
        missing = next((c for c in case_ids if c not in rows or not actor.covers(rows[c].village_code)), "")
        raise NotFound(f"案件{missing}不存在")
    first = rows[case_ids[0]]
    rules = policy_for(first.village_code, first.year).evidence
    found = check_upload(rules, kind=kind, filename=filename, content=content)
    sha256 = hashlib.sha256(content).hexdigest()
    path = _keep(content, sha256, found[1])
    assert actor.id is not None
    evidence = Evidence(kind=kind, filename=Path(filename).name or f"{sha256[:12]}.{found[1]}",
                        media_type=found[0], size=len(content), sha256=sha256, path=str(path),
                        uploaded_by=actor.id, uploaded_at=now)
    session.add(evidence)
    session.flush()
    assert evidence.id is not None
    for case_id in sorted(case_ids):
        session.add(EvidenceCase(evidence_id=evidence.id, case_id=case_id, stage=rows[case_id].stage))
    session.flush()
    audit.append(session, [
        audit.Event(now, actor.name, "EVIDENCE.UPLOAD", case_id, {
            "evidence": evidence.id, "kind": kind, "name": rules.kind_name(kind), "file": evidence.filename,
            "sha256": sha256})
        for case_id in sorted(case_ids)
    ])
    return evidence


@dataclass(frozen=True)
class Proof:
    """An evidence file as a case page lists it."""

    id: int
    kind: str
    kind_name: str
    filename: str
    media_type: str
    size: int
    sha256: str
    stage: str
    uploaded_at: datetime


def evidence_of(session: Session, case_id: int, names: dict[str, str]) -> list[Proof]:
    """The files linked to a case, oldest first; `names` gives each kind's name."""
    rows = session.execute(
        select(EVIDENCE.c.id, EVIDENCE.c.kind, EVIDENCE.c.filename, EVIDENCE.c.media_type, EVIDENCE.c.size,
               EVIDENCE.c.sha256, EVIDENCE_CASE.c.stage, EVIDENCE.c.uploaded_at)
        .join(EVIDENCE_CASE, EVIDENCE_CASE.c.evidence_id == EVIDENCE.c.id)
        .where(EVIDENCE_CASE.c.case_id == case_id).order_by(EVIDENCE.c.uploaded_at, EVIDENCE.c.id)
    ).tuples()
    return [Proof(r[0], r[1], names.get(r[1], r[1]), r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def evidence_villages(session: Session, evidence_id: int) -> tuple[Evidence, list[str]] | None:
    """An evidence file and the village codes of its cases; None when there is no such file."""
    from models.door.cases import CASE

    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        return None
    villages = session.execute(
        select(CASE.c.village_code).distinct().join(EVIDENCE_CASE, EVIDENCE_CASE.c.case_id == CASE.c.id)
        .where(EVIDENCE_CASE.c.evidence_id == evidence_id)
    ).scalars().all()
    return evidence, list(villages)


def missing_required(session: Session, chain: str, stage: str, rows: Sequence[CaseRow]) -> dict[int, str]:
    """Cases of a stage the policy says needs evidence, without a file of each kind it names: the reason."""
    if not rows:
        return {}
    rules = {(r.village_code[:2], r.year): policy_for(r.village_code, r.year).evidence for r in rows}
    wanted = {key: found.required_for(chain, stage) for key, found in rules.items()}
    if not any(wanted.values()):
        return {}
    held: dict[int, set[str]] = {}
    for case_id, kind in fetch_in(
        session, "SELECT l.case_id, e.kind FROM {link} l JOIN {evidence} e ON e.id = l.evidence_id"
        " WHERE l.case_id IN ({ids})", [r.id for r in rows], {"link": EVIDENCE_CASE, "evidence": EVIDENCE},
    ):
        held.setdefault(case_id, set()).add(kind)
    reasons: dict[int, str] = {}
    name = chain_named(chain).stage(stage).name
    for row in rows:
        key = (row.village_code[:2], row.year)
        lacking = [k for k in wanted[key] if k not in held.get(row.id, set())]
        if lacking:
            kinds = "、".join(rules[key].kind_name(k) for k in lacking)
            reasons[row.id] = f"“{name}”须先上传佐证材料：{kinds}"
    return reasons
