"""The policy's [evidence] and [case_file] sections: the kinds of uploaded evidence, the size limit, the stages
that need evidence before they complete, and each chain's list of case-file materials (案卷)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from models.policy.reading import Table


@dataclass(frozen=True)
class Material:
    """One material of a case file: present when a document of one of `documents` (kind@STAGE) belongs to the
    case and, where `evidence` names kinds, an uploaded file of one of them does too."""

    name: str
    documents: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidencePolicy:
    max_bytes: int = 10 * 1024 * 1024
    kinds: dict[str, str] = field(default_factory=lambda: {"other": "其他佐证材料"})  # code -> name
    required: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "CHAIN.STAGE" -> evidence kinds
    case_files: dict[str, tuple[Material, ...]] = field(default_factory=dict)  # chain code -> materials

    def kind_name(self, code: str) -> str:
        return self.kinds.get(code, code)

    def required_for(self, chain: str, stage: str) -> tuple[str, ...]:
        return self.required.get(f"{chain}.{stage}", ())


def evidence_section(top: Table) -> EvidencePolicy:
    """The [evidence] and [case_file] sections; every evidence kind they name must be declared in [evidence.kinds]."""
    if "evidence" not in top and "case_file" not in top:
        return EvidencePolicy()
    raw, listed = top.table("evidence", may_be_absent=True), top.table("case_file", may_be_absent=True)
    named = raw.table("kinds") if "kinds" in raw else None
    kinds = {k: named.text(k) for k in named} if named is not None else EvidencePolicy().kinds
    needed = raw.table("required", may_be_absent=True)
    required = {k: needed.texts(k, default=()) for k in needed}
    files = {chain: tuple(Material(i.text("name"), i.texts("documents", default=()), i.texts("evidence", default=()))
                          for i in listed.tables(chain)) for chain in listed}
    for kind in [k for ks in required.values() for k in ks] + [k for ms in files.values() for m in ms
                                                                for k in m.evidence]:
        if kind not in kinds:
            raise raw.refuse("kinds", kind, "佐证材料类别未在[evidence.kinds]中定义")
    megabytes = raw.number("max_megabytes", rule="须为大于0的数字（兆字节）", low=Decimal(0), above_low=True) \
        if "max_megabytes" in raw else Decimal(10)
    return EvidencePolicy(max_bytes=int(megabytes * 1024 * 1024), kinds=kinds, required=required, case_files=files)
