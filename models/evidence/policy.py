"""The policy's [evidence] and [case_file] sections: the kinds of uploaded evidence, the size limit, the stages
that need evidence before they complete, and each chain's list of case-file materials (案卷)."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.core.errors import InvalidInput


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


def _strings(raw: object, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise InvalidInput(where, name, raw, "须为字符串列表")
    return tuple(raw)


def evidence_section(evidence: object, case_file: object, where: str) -> EvidencePolicy:
    """The [evidence] and [case_file] sections; every evidence kind they name must be declared in [evidence.kinds]."""
    if evidence is None and case_file is None:
        return EvidencePolicy()
    raw: dict[str, object] = evidence if isinstance(evidence, dict) else {}
    named_kinds, needed = raw.get("kinds", {"other": "其他佐证材料"}), raw.get("required", {})
    listed = case_file if isinstance(case_file, dict) else {}
    assert isinstance(named_kinds, dict) and isinstance(needed, dict)
    kinds = {str(k): str(v) for k, v in named_kinds.items()}
    required = {str(k): _strings(v, where, f"evidence.required.{k}") for k, v in needed.items()}
    files: dict[str, tuple[Material, ...]] = {}
    for chain, items in listed.items():
        assert isinstance(items, list)
        files[str(chain)] = tuple(
            Material(str(i["name"]), _strings(i.get("documents", []), where, f"case_file.{chain}.documents"),
                     _strings(i.get("evidence", []), where, f"case_file.{chain}.evidence"))
            for i in items
        )
    named = [k for ks in required.values() for k in ks] + [k for ms in files.values() for m in ms for k in m.evidence]
    for kind in named:
        if kind not in kinds:
            raise InvalidInput(where, "evidence.kinds", kind, "佐证材料类别未在[evidence.kinds]中定义")
    return EvidencePolicy(max_bytes=int(float(str(raw.get("max_megabytes", 10))) * 1024 * 1024), kinds=kinds,
                          required=required, case_files=files)
