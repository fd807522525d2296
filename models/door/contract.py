"""The chains' contract, checked where the product starts (in the spirit of viewflow's workflow/checks.py): every
document a stage lists has a registered builder that can be due there, every send-back goes to an earlier stage,
and every stage has its time limit in each shipped policy file (policy/<province>/<year>.toml) unless the table
says it has none of its own (`Stage.has_time_limit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from models.core.settings import get_settings
from models.documents.registry import Notice, kinds_for
from models.door.chain import Chain, all_chains
from models.policy.loading import Policy, policy_for


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


def deadline_problems(chain: Chain, policy: Policy) -> list[str]:
    """Each stage that should have a time limit has one in the policy, in calendar or working days."""
    where = f"{policy.province}/{policy.year}"
    return [f"{chain.code}.{stage.code} has no time limit in policy {where} ([deadlines] or [deadline_workdays])"
            for stage in chain.stages
            if stage.has_time_limit
            and stage.code not in policy.deadlines and stage.code not in policy.deadline_workdays]


def shipped_policies() -> list[Policy]:
    """The policy of every province and year the policy folder holds (policy/<province>/<year>.toml)."""
    files = sorted(get_settings().policy_dir.glob("[0-9][0-9]/[0-9][0-9][0-9][0-9].toml"))
    return [policy_for(f.parent.name.ljust(12, "0"), int(f.stem)) for f in files]


def check_chains(chains: Iterable[Chain] | None = None, *, documents: bool = True,
                 policies: Iterable[Policy] | None = None) -> None:
    """Fail loudly, with every problem found, when a chain (every registered one by default) breaks the contract;
    `documents=False` checks the tables alone, importing no document builder and reading no policy (a read's
    start). The time limits are checked against `policies`, by default every shipped policy file."""
    chosen = list(all_chains() if chains is None else chains)
    problems = [p for chain in chosen for p in table_problems(chain) + (document_problems(chain) if documents else [])]
    if documents:
        problems += [p for policy in (shipped_policies() if policies is None else policies)
                     for chain in chosen for p in deadline_problems(chain, policy)]
    if problems:
        raise ContractBroken(problems)


@cache
def checked() -> bool:
    """Check every registered chain once per process (the machine calls this before its first paper)."""
    check_chains()
    return True
