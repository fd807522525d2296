"""Any chain as a flow: the machine's part of every stage of the chain's table, for each township of a region.

Clerks record decisions through the one door whenever they make them; a run closes due windows, moves the cases
their windows released, posts the notices of cases ready for publicity, draws the samples the machine draws, and
renders the papers whose inputs are complete, then stops where a person is awaited. Running it again finds nothing
new to do twice. Each chain's own steps come from its table (window, sampled, documents), not from the flow.
"""

from __future__ import annotations

from prefect import flow

from models.door.chain import chain_named
from models.door.machine import LETTERS
from tasks.documents import render_stage_documents
from tasks.publicity import close_windows, post_notices, release_by_township
from tasks.sampling import draw_samples
from tasks.scopes import pending_work, townships_in


def run_stages(chain: str, region: str, year: int, now: str | None) -> dict[str, int]:
    """The machine's work of the chain in each township of the region, stage by stage (inside a flow run)."""
    done: dict[str, int] = {}
    the_chain = chain_named(chain)
    for township in townships_in(region):
        scope = township[:9]  # one township: the stage tasks work on all its cases at once
        todo = pending_work(the_chain.code, scope, year, now)
        if "windows" in todo:
            done["windows_closed"] = done.get("windows_closed", 0) + close_windows(scope, now)
        for stage in the_chain.stages:
            if stage.code not in todo:
                continue
            counts: dict[str, int] = {}
            if stage.window:
                counts["advanced"] = sum(r.cases for r in release_by_township(the_chain.code, stage.code, scope,
                                                                              year, now))
                counts["posted"] = post_notices(the_chain.code, stage.code, scope, year, now)
            if stage.sampled:
                counts["samples"] = draw_samples(the_chain.code, stage.code, scope, year, now)
            if set(stage.documents) & LETTERS:
                counts["documents"] = render_stage_documents(the_chain.code, stage.code, scope, year, now)
            for key, value in counts.items():
                done[f"{stage.code}.{key}"] = done.get(f"{stage.code}.{key}", 0) + value
    return done


@flow(name="chain-run", flow_run_name="{chain}-{region}-{year}")
def chain_run(chain: str, region: str, year: int, now: str | None = None) -> dict[str, int]:
    """Run the machine's part of any chain (by code, e.g. VILLAGE_EXIT or village-exit) for a region."""
    return run_stages(chain, region, year, now)
