"""The registry of document kinds and the chains' contract: every kind a chain lists is declared and is rendered by a
real run (the door's decisions, the stage inputs and the machine, no demo code), and a table that breaks the contract
is refused with what is wrong."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime

import pytest
from sqlmodel import Session

from models.core.regions import Level
from models.core.settings import PROJECT_ROOT
from models.documents.registry import Notice, Paper, Run, Scope, Trigger, kind_named, kinds_for, register
from models.door.chain import Chain, Stage, all_chains, chain_named
from models.door.contract import (
    ContractBroken,
    check_chains,
    deadline_problems,
    document_problems,
    shipped_policies,
    table_problems,
)
from models.policy.loading import policy_for

CHAINS = sorted(c.code for c in all_chains())


def listed(chain: Chain) -> set[str]:
    return {code for stage in chain.stages for code in stage.documents}


def test_every_kind_a_chain_lists_is_declared_with_its_trigger_and_scope():
    for chain in all_chains():
        for stage in chain.stages:
            for code in stage.documents:
                kind = kind_named(chain, code)
                assert kind is not None, f"{chain.code}.{stage.code}: {code}"
                # a notice is posted when its stage's window opens; every other paper waits for its inputs
                assert (kind.trigger is Trigger.WINDOW_OPENS) == isinstance(kind, Notice) == stage.window, code
                assert kind.name and kind.scope in Scope
    check_chains()  # the shipped chains keep the contract


def test_a_kind_is_declared_once():
    minutes = kind_named(chain_named("household-exit"), "minutes")
    assert isinstance(minutes, Paper)
    with pytest.raises(ValueError, match="document kind minutes is declared twice"):
        register(replace(minutes, name="另一种会议记录"))
    assert kind_named(chain_named("household-exit"), "minutes") is minutes


def test_a_run_is_widened_to_the_region_its_paper_covers():
    township = Run("VILLAGE_EXIT", 2026, "VILLAGE_COUNTY_CHECK", "430121101")
    assert township.widened(Scope.COUNTY).scope == "430121"
    assert township.widened(Scope.VILLAGE) is township and township.widened(Scope.HOUSEHOLD) is township
    assert Run("VILLAGE_EXIT", 2026, "X", "").widened(Scope.PROVINCE).scope == ""


def _chain(*stages: Stage, code: str = "BROKEN") -> Chain:
    """A chain that is not registered; with a shipped chain's code it draws on that chain's documents."""
    return Chain(code=code, letter="Z", name="违约流程", stages=stages)


def test_a_stage_listing_a_document_no_module_declares_is_refused():
    broken = _chain(Stage("S1", "申请", Level.VILLAGE, None, documents=("application", "no_such_paper")))
    assert document_problems(broken) == [
        "BROKEN.S1 lists document 'no_such_paper', which neither the chain's documents/ nor the shared kinds declare "
        "(models/documents/registry.py)"]
    with pytest.raises(ContractBroken) as refused:
        check_chains([broken], policies=())  # its documents alone
    assert refused.value.problems == document_problems(broken)
    check_chains([broken], documents=False)  # the table alone is sound


def test_a_chain_may_not_list_another_chains_document():
    kinds_for(chain_named("household-exit"))  # declared, but in chain A's package
    borrowing = _chain(Stage("S1", "公示", Level.TOWNSHIP, None, window_scope=Level.VILLAGE,
                             documents=("village_notice",)))
    assert [p.split(", which")[0] for p in document_problems(borrowing)] == [
        "BROKEN.S1 lists document 'village_notice'"]


def test_a_notice_needs_a_window_of_its_own_scope():
    no_window = _chain(Stage("S1", "公示", Level.VILLAGE, None, documents=("village_notice",)), code="HOUSEHOLD_EXIT")
    wrong_scope = _chain(Stage("S1", "公示", Level.TOWNSHIP, None, window_scope=Level.TOWNSHIP,
                               documents=("village_notice",)), code="HOUSEHOLD_EXIT")
    assert document_problems(no_window) == [
        "HOUSEHOLD_EXIT.S1 lists notice 'village_notice' but opens no window to post it in"]
    assert document_problems(wrong_scope) == [
        "HOUSEHOLD_EXIT.S1 posts notice 'village_notice' per VILLAGE, its windows are per TOWNSHIP"]


def test_a_send_back_must_point_to_an_earlier_stage():
    forward = _chain(Stage("S1", "申请", Level.VILLAGE, None, sends_back_to="S2"),
                     Stage("S2", "审核", Level.TOWNSHIP, None))
    itself = _chain(Stage("S1", "申请", Level.VILLAGE, None, sends_back_to="S1"))
    back = _chain(Stage("S1", "申请", Level.VILLAGE, None),
                  Stage("S2", "审核", Level.TOWNSHIP, None, sends_back_to="S1"))
    assert table_problems(forward) == ["BROKEN.S1 sends back to 'S2', which is not an earlier stage"]
    assert table_problems(itself) == ["BROKEN.S1 sends back to 'S1', which is not an earlier stage"]
    assert table_problems(back) == []
    with pytest.raises(ContractBroken, match="sends back to 'S2'"):
        check_chains([forward], documents=False)


def test_every_stage_has_its_time_limit_in_policy_unless_it_has_none_of_its_own():
    policy = policy_for("430121000000", 2026)
    assert policy in shipped_policies()
    # HOME_CHECK has a limit in the shipped policy, a new stage none; RECT_FIX-like stages say they need none.
    chain = _chain(Stage("HOME_CHECK", "入户核查", Level.TOWNSHIP, None),
                   Stage("S_NEW", "新环节", Level.TOWNSHIP, None),
                   Stage("S_OWN", "整改", Level.VILLAGE, None, has_time_limit=False))
    assert deadline_problems(chain, policy) == [
        "BROKEN.S_NEW has no time limit in policy 43/2026 ([deadlines] or [deadline_workdays])"]
    with pytest.raises(ContractBroken, match="S_NEW has no time limit"):
        check_chains([chain], policies=[policy])
    check_chains([chain], documents=False)  # the table alone reads no policy
    for shipped in all_chains():
        assert deadline_problems(shipped, policy) == []


def test_the_machine_refuses_to_render_for_a_broken_registry(session: Session, monkeypatch: pytest.MonkeyPatch):
    from models.door import contract, machine

    broken = replace(chain_named("edge-identify"), stages=(
        Stage("EDGE_APPLICATION", "农户申请", Level.VILLAGE, None, documents=("no_such_paper",)),))
    contract.checked.cache_clear()
    monkeypatch.setattr(contract, "all_chains", lambda: [broken])
    try:
        with pytest.raises(ContractBroken, match="no_such_paper"):
            machine.render_ready_documents(session=session, chain="EDGE_IDENTIFY", stage="EDGE_APPLICATION", scope="",
                                           year=2026, now=datetime(2026, 3, 2))
    finally:
        contract.checked.cache_clear()


@pytest.mark.usefixtures("html_only")
@pytest.mark.parametrize("code", CHAINS)
def test_every_kind_a_chain_lists_is_rendered_by_a_real_run_without_demo_code(database: str, code: str):
    """A fresh interpreter walks the chain (tests/models/chain_runs.py): its imports are its own."""
    done = subprocess.run([sys.executable, "-m", "tests.models.chain_runs", code], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    chain = chain_named(code)
    assert set(result["kinds"]) == listed(chain)
    assert result["active"] == []  # every case walked to the end
    assert result["demo"] == []  # no module of the demo package was imported
    # run again: nothing owed, nothing rendered twice
    assert (result["owed"], result["again"]) == ([], 0)
    for kind_code, count in result["kinds"].items():
        kind = kind_named(chain, kind_code)
        if kind is not None and kind.scope in (Scope.COUNTY, Scope.PROVINCE):
            # the synthetic county's townships each ran the machine: its one round of papers was written once
            assert count == 1, (kind_code, count)
