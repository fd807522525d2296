"""Any chain as a flow: for each township of a region, one task per stage of the chain's table, named for the stage
and carrying its time limit; then a table of where the region's cases stand, stage by stage.

Clerks record decisions through the one door whenever they make them; each stage's task does the machine's part
(close due windows, release, post notices, draw samples, render the papers whose inputs are complete), flags the
stage's overdue visits, and says what waits on a person. Running it again finds nothing new to do twice.
"""

from __future__ import annotations

from collections import Counter

from prefect import flow
from prefect.artifacts import create_table_artifact

from models.core.clock import local
from models.core.db import session_scope
from models.core.regions import Level, Region, code_prefix, prefix
from models.door.chain import Chain, chain_named
from tasks.context import moment
from tasks.scopes import outlook, townships_in
from tasks.stages import stage_task, time_limit
from tasks.standing import standing_table, standings


def run_stages(chain: str, region: str, year: int, now: str | None) -> dict[str, int]:
    """The chain's stages in each township of the region, in table order (inside a flow run); what they did."""
    the_chain = chain_named(chain)
    done: Counter[str] = Counter()
    for township in townships_in(region):
        scope = prefix(township.code, Level.TOWNSHIP)  # a stage task works on all the township's cases at once
        ahead = outlook(the_chain.code, scope, year, now)
        for stage in the_chain.stages:
            result = stage_task(stage, township.code, township.name, year)(
                the_chain.code, stage.code, township.code, year, now, machine_work=stage.code in ahead.todo,
                windows_due="windows" in ahead.todo, idle=ahead.idle(stage.code))
            done.update(result.work())
            if result.windows_closed or result.advanced:
                ahead = outlook(the_chain.code, scope, year, now)  # the cases moved may give a later stage work
    publish_standing(the_chain, region, year, now)
    return {k: v for k, v in done.items() if v}


def artifact_key(chain: Chain, region: str, year: int) -> str:
    """The key of a region's standing table (lower-case letters, digits and dashes): one artifact, a version a run."""
    return f"{chain.cli_name}-{region}-{year}"


def publish_standing(chain: Chain, region: str, year: int, now: str | None) -> None:
    """A table artifact of the run: each stage with its time limit and its cases waiting on a person, in a window,
    overdue and done, so the Prefect UI answers "where is each application?"."""
    at = moment(now)
    with session_scope() as session:
        rows = standings(session, chain=chain, year=year, scope=code_prefix(region), now=at)
        place = session.get(Region, region)
    limits = {s.code: time_limit(s.code, region, year) for s in chain.stages}
    name = place.name if place is not None else region
    create_table_artifact(
        table=standing_table(rows, limits), key=artifact_key(chain, region, year),
        description=f"{chain.name}，{name}{year}年度，截至{local(at).format('YYYY-MM-DD HH:mm')}各环节案件情况",
    )


@flow(name="chain-run", flow_run_name="{chain}-{region}-{year}")
def chain_run(chain: str, region: str, year: int, now: str | None = None) -> dict[str, int]:
    """Run the machine's part of any chain (by code, e.g. VILLAGE_EXIT or village-exit) for a region."""
    return run_stages(chain, region, year, now)
