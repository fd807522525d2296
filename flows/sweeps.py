"""The daily sweep: close due windows, move the cases they release, flag overdue stages, in every chain."""

from __future__ import annotations

from prefect import flow

from models.chain import all_chains
from tasks.overdue import flag_overdue_stages
from tasks.publicity import advance_released, close_windows


@flow(name="sweep")
def sweep(now: str | None = None, scope: str = "") -> dict[str, int]:
    """Close every due window, release the cases it held, and flag stages past their deadline."""
    done = {"windows_closed": close_windows(scope, now), "advanced": 0}
    for chain in all_chains():
        for stage in chain.stages:
            if stage.window:
                done["advanced"] += advance_released(chain.code, stage.code, scope, None, now)
    done["overdue_flagged"] = flag_overdue_stages(scope, now)
    return done
