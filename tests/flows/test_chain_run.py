"""Any chain through the one generic flow (chain-run): the edge household chain's windows posted, closed and
released by real Prefect flow runs, and a second run that finds nothing to do twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from models.chains.edge_identify.stages import CODE
from models.core.case import Case
from models.core.document import Document
from models.core.publicity import Window
from tests.edge_walk import T0, apply_households, walk_to

pytestmark = pytest.mark.usefixtures("html_only")


def test_the_generic_flow_posts_closes_and_releases_an_edge_chains_windows(prefect_api, database, world):
    from flows.runtime import run_chain

    ids = apply_households(world)
    now = walk_to(world, ids, "EDGE_FIRST_PUBLICITY", T0)
    township = world.township
    done = run_chain("edge-identify", township, 2026, now.isoformat())
    assert done["EDGE_FIRST_PUBLICITY.posted"] == len(ids)

    def count(model, *where) -> int:
        world.session.rollback()
        return int(world.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    notices = count(Document, col(Document.chain) == CODE, col(Document.kind) == "edge_notice")
    assert notices == count(Window) > 0
    assert not any(run_chain(CODE, township, 2026, now.isoformat()).values())  # nothing new to do twice

    later = (now + timedelta(days=8)).isoformat()
    done = run_chain(CODE, township, 2026, later)
    assert done["windows_closed"] == notices and done["EDGE_FIRST_PUBLICITY.advanced"] == len(ids)
    stages = set(world.session.scalars(select(col(Case.stage)).where(col(Case.id).in_(ids))))
    assert stages == {"EDGE_TOWNSHIP_REVIEW"}
