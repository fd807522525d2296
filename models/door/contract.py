"""The chains' contract, checked where the product starts (in the spirit of viewflow's workflow/checks.py): every
document a stage lists has a registered builder that can be due there, and every send-back goes to an earlier stage.

A stage's deadline is policy data (models/door/cases.py::due_at), not part of the table, so it is not checked here:
chain G's RECT_FIX has none on purpose (each finding's own due date rules it).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from models.documents.registry import Notice, kinds_for
from models.door.chain import Chain, all_chains


class ContractBroken(RuntimeError):
    """A chain's table breaks the contract: the product must not start with it."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("chain contract broken:\n" + "\n".join(f"- {p}" for p in problems))


def table_problems(chain: Chain) -> list[str]:
    """The rules of the table itself, which need nothing imported beyond it: each send-back goes to an earlier stage."""
    codes = [s.code for s in chain.stages]
    return [f"{chain.code}.{stage.code} sends back to {stage.sends_back_to!r}, which is not an earlier stage"
            for place, stage in enumerate(chain.stages)
            if stage.sends_back_to is not None
            and (stage.sends_back_to not in codes or codes.index(stage.sends_back_to) >= place)]


def document_problems(chain: Chain) -> list[str]:
    """Each listed document has a declared kind, and a notice is listed where windows of its scope open."""
    kinds = kinds_for(chain)
    found: list[str] = []
    for stage in chain.stages:
        where = f"{chain.code}.{stage.code}"
        for code in stage.documents:
            kind = kinds.get(code)
            if kind is None:
                found.append(f"{where} lists document {code!r}, which neither the chain's documents/ nor the shared "
                             "kinds declare (models/documents/registry.py)")
            elif isinstance(kind, Notice) and stage.window_scope is None:
                found.append(f"{where} lists notice {code!r} but opens no window to post it in")
            elif isinstance(kind, Notice) and kind.scope.level is not stage.window_scope:
                found.append(f"{where} posts notice {code!r} per {kind.scope}, its windows are per "
                             f"{stage.window_scope}")
    return found


def check_chains(chains: Iterable[Chain] | None = None, *, documents: bool = True) -> None:
    """Fail loudly, with every problem found, when a chain (every registered one by default) breaks the contract;
    `documents=False` checks the tables alone, importing no document builder (a read's start)."""
    problems = [p for chain in (all_chains() if chains is None else chains)
                for p in table_problems(chain) + (document_problems(chain) if documents else [])]
    if problems:
        raise ContractBroken(problems)


@cache
def checked() -> bool:
    """Check every registered chain once per process (the machine calls this before its first paper)."""
    check_chains()
    return True
