"""The daily sweep: close due windows, move the cases they release, flag overdue stages, in every chain, then
e-mail each office's due-soon digest (when e-mail is configured).

In server mode (a Prefect server that has the chain's deployment) the sweep then asks for a run of the
chain's flow for each township whose cases it released, without waiting for it. Without a server, or
without the deployment, it asks for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL

from models.chains.household_exit.stages import CODE as HOUSEHOLD_EXIT
from models.door.chain import all_chains, chain_named
from tasks.digest import send_digests
from tasks.overdue import flag_overdue_stages
from tasks.publicity import Released, close_windows, release_by_township

# The deployment that released cases ask for (flow name/deployment name): chain A's own, the others' chain-run.
CHAIN_DEPLOYMENTS = {HOUSEHOLD_EXIT: "household-exit/household-exit"}
CHAIN_RUN = "chain-run/chain-run"


def deployment_for(chain: str) -> tuple[str, dict[str, object]]:
    """The deployment a chain's runs are asked of, and the parameters that name the chain; an unknown chain is
    refused (NotFound), never asked of chain-run."""
    code = chain_named(chain).code
    if code in CHAIN_DEPLOYMENTS:
        return CHAIN_DEPLOYMENTS[code], {}
    return CHAIN_RUN, {"chain": code}


@flow(name="sweep")
def sweep(now: str | None = None, scope: str = "") -> dict[str, int]:
    """Close every due window, release the cases it held, flag stages past their deadline, ask for a chain run
    in each township with released cases (server mode only), and e-mail the offices' due-soon digests."""
    done = {"windows_closed": close_windows(scope, now), "advanced": 0}
    released: dict[str, list[Released]] = {}
    for chain in all_chains():
        for stage in chain.stages:
            if stage.window:
                moved = release_by_township(chain.code, stage.code, scope, None, now)
                released.setdefault(chain.code, []).extend(moved)
                done["advanced"] += sum(r.cases for r in moved)
    done["overdue_flagged"] = flag_overdue_stages(scope, now)
    done["chain_runs"] = sum(request_chain_runs(chain, moved, now) for chain, moved in released.items())
    done["digests_sent"] = send_digests(scope, now)
    return done


def deployment_served(name: str) -> bool:
    """Whether this run talks to a Prefect server (not the ephemeral API) that has the deployment `name`."""
    if not PREFECT_API_URL.value():
        return False
    with get_client(sync_client=True) as client:
        try:
            client.read_deployment_by_name(name)
        except ObjectNotFound:
            return False
    return True


def request_chain_runs(chain: str, released: Sequence[Released], now: str | None) -> int:
    """Ask for one run of the chain's deployment per township and year with released cases; returns how many.

    Each request returns at once (the run starts wherever the deployment is served), and each is on its own: one
    that fails is logged and the rest go on. Asked again within the same sweep run (a retry), the server returns
    the run it made before (idempotency key) instead of starting a second.
    """
    name, naming = deployment_for(chain)
    targets = sorted({(r.township, r.year) for r in released})
    if not targets or not deployment_served(name):
        return 0
    logger = get_run_logger()
    context = FlowRunContext.get()
    sweep_run = context.flow_run.id if context and context.flow_run else None
    requested = 0
    for township, year in targets:
        parameters: dict[str, object] = {**naming, "region": township, "year": year}
        if now is not None:
            parameters["now"] = now
        key = f"sweep-{sweep_run}-{township}-{year}" if sweep_run else None
        try:
            # Called from a synchronous flow, run_deployment returns the flow run (its type also allows a coroutine).
            run = cast(FlowRun, run_deployment(name, parameters=parameters, timeout=0, idempotency_key=key))
        except Exception:
            logger.exception("could not request %s for %s (%d)", name, township, year)
            continue
        logger.info("requested %s for %s (%d): flow run %s", name, township, year, run.id)
        requested += 1
    return requested
