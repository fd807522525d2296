"""A. Household exit as a flow: the machine's part of every stage, for each township of a region.

Clerks record decisions through the one door whenever they make them; a run posts notices,
closes due windows, moves the cases their windows released, draws samples and renders the
letters and forms whose inputs are ready, then stops where a person is awaited. Running it
again finds nothing new to do twice.
"""

from __future__ import annotations

from prefect import flow

from models.chains.household_exit import CODE, HOUSEHOLD_EXIT
from models.machine import LETTERS
from tasks.documents import render_stage_documents
from tasks.publicity import close_windows, post_notices, release_by_township
from tasks.sampling import draw_samples
from tasks.scopes import pending_work, townships_in


@flow(name="household-exit", flow_run_name="exit-{region}-{year}")
def household_exit(region: str, year: int, now: str | None = None) -> dict[str, int]:
    """Run the machine's part of the household exit chain for each township in `region`."""
    done: dict[str, int] = {}
    for township in townships_in(region):
        scope = township[:9]  # one township: the stage tasks work on all its cases at once
        todo = pending_work(CODE, scope, year, now)
        if "windows" in todo:
            done["windows_closed"] = done.get("windows_closed", 0) + close_windows(scope, now)
        for stage in HOUSEHOLD_EXIT.stages:
            if stage.code not in todo:
                continue
            counts: dict[str, int] = {}
            if stage.window:
                counts["advanced"] = sum(r.cases for r in release_by_township(CODE, stage.code, scope, year, now))
                counts["posted"] = post_notices(CODE, stage.code, scope, year, now)
            if stage.sampled:
                counts["samples"] = draw_samples(CODE, stage.code, scope, year, now)
            if set(stage.documents) & LETTERS:
                counts["documents"] = render_stage_documents(CODE, stage.code, scope, year, now)
            for key, value in counts.items():
                done[f"{stage.code}.{key}"] = done.get(f"{stage.code}.{key}", 0) + value
    return done


