"""Any chain through the one generic flow (chain-run): the edge household chain's windows posted, closed and
released by real Prefect flow runs, a second run that finds nothing to do twice, and what the Prefect UI shows of a
run: one task per stage, named for it and its time limit, and a table of where the cases stand."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, FlowRunFilter, FlowRunFilterId
from sqlalchemy import func, select
from sqlmodel import col

from flows.chains import chain_run
from flows.runtime import short_runs
from models.chains.edge_identify.stages import CODE, EDGE_IDENTIFY
from models.core.case import Case
from models.core.document import Document
from models.core.publicity import Window
from models.core.regions import Region
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


def test_the_run_shows_each_stage_as_a_task_with_its_time_limit_and_a_table_of_where_the_cases_stand(
        prefect_api, database, world):
    ids = apply_households(world)
    now = walk_to(world, ids, "EDGE_FIRST_PUBLICITY", T0)
    with short_runs():
        state = chain_run(chain=CODE, region=world.township, year=2026, now=now.isoformat(), return_state=True)
    assert state.is_completed()
    flow_run = state.state_details.flow_run_id
    township = world.session.get_one(Region, world.township).name
    expected = [f"{s.code} {s.name} · {township} · 时限{days}天" for s, days in zip(
        EDGE_IDENTIFY.stages, (7, 7, 15, 10, 5, 10, 15, 10, 15), strict=True)]  # policy/43/2026.toml [deadlines]
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + 60  # the API records task runs from their events, a few seconds later
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run])))
            settled = len(runs) >= len(expected) and all(r.state is not None and r.state.is_completed() for r in runs)
            if settled or time.monotonic() > deadline:  # a run's name arrives before its final state
                break
            time.sleep(0.5)
        by_start = sorted(runs, key=lambda r: (r.start_time or r.created))
        assert [r.name for r in by_start] == expected  # one task per stage, in the table's order
        assert all(r.state is not None and r.state.is_completed() for r in runs)
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run])))
    assert artifact.type == "table" and artifact.key == f"edge-identify-{world.township}-2026"
    rows = json.loads(str(artifact.data))
    assert [row["环节"] for row in rows] == [f"{s.code} {s.name}" for s in EDGE_IDENTIFY.stages]
    posted = rows[3]  # 公示中: every case, in its window
    assert [posted[k] for k in ("时限", "待办理", "公示中", "超期", "已完成")] == ["10天", 0, len(ids), 0, 0]
    assert all(row["已完成"] == len(ids) for row in rows[:3])
