"""A demo's decision at a stage and the papers it owes, shared by the chains' demos.

The stage's person approves each case through the one door; a case the door refuses is rejected with the door's
reason. Then the machine writes the stage's papers whose inputs are complete (machine.render_ready_documents, from the
document registry), as the chain's flow does after each decision or entry, so a demo writes every paper its stages
list without rendering one itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from models.core.document import Document
from models.documents.registry import kinds_for
from models.door import machine
from models.door.chain import all_chains, chain_named
from models.door.engine import Move, transition
from synthetic.clerks import Clerks


@dataclass(frozen=True)
class Decision:
    refused: dict[int, str]  # case → the door's reason, in case order; each was rejected with it
    papers: Counter[str]  # kind → how many papers the machine wrote after the decision
    names: dict[str, str]  # kind → its name (the document registry's)

    def said(self) -> str:
        """The papers written, as the story says them: 申请书3份、会议记录3份."""
        return "、".join(f"{self.names.get(kind, kind)}{count}份" for kind, count in sorted(self.papers.items()))


def _papers(clerks: Clerks) -> dict[int, tuple[str, str]]:
    """The chain's documents: id → (kind, hash of the text)."""
    rows = clerks.session.execute(select(col(Document.id), col(Document.kind), col(Document.sha256)).where(
        col(Document.chain) == clerks.chain)).tuples().all()
    return {id_: (kind, digest) for id_, kind, digest in rows if id_ is not None}


def write_papers(clerks: Clerks, stage: str, now: datetime) -> Counter[str]:
    """The machine writes the stage's papers whose inputs are complete, and the session is committed. Returns the
    papers written by kind: new documents, and documents whose text changed (a paper for the same cases at the same
    path keeps its row)."""
    before = _papers(clerks)
    machine.render_ready_documents(session=clerks.session, chain=clerks.chain, stage=stage, scope=clerks.scope,
                                   year=clerks.year, now=now)
    clerks.session.commit()
    return Counter(kind for id_, (kind, digest) in _papers(clerks).items() if before.get(id_) != (kind, digest))


def decide(clerks: Clerks, stage: str, case_ids: Sequence[int], now: datetime) -> Decision:
    """The stage's person approves each case, a case the door refuses is rejected with the door's reason, and the
    machine writes the stage's papers (write_papers)."""
    refused: dict[int, str] = {}
    if case_ids:
        actors = clerks.assign(stage, case_ids)
        result = transition(session=clerks.session, chain=clerks.chain, stage=stage, case_ids=list(actors),
                            move=Move.APPROVE, actor=actors, now=now, strict=False)
        for case_id, reason in sorted(result.refused.items()):
            transition(session=clerks.session, chain=clerks.chain, stage=stage, case_ids=[case_id], move=Move.REJECT,
                       actor=actors[case_id], now=now, reason=reason)
            refused[case_id] = reason
    names = {code: kind.name for code, kind in kinds_for(chain_named(clerks.chain)).items()}
    return Decision(refused, write_papers(clerks, stage, now), names)


def said_kinds(counts: Sequence[tuple[str, int]]) -> str:
    """Documents by kind as a demo's summary says them: 会议记录（minutes）6份，入户核查表（home_check_form）3份."""
    names = {code: kind.name for chain in all_chains() for code, kind in kinds_for(chain).items()}
    return "，".join(f"{names.get(kind, kind)}（{kind}）{count}份" for kind, count in counts)
