"""A clerk posts a publicity list by uploading the photo of the notice on the board: the window opens (with its
notice written, as the chain's flow would) for every case of the posting's region ready to be posted, and the
photo becomes their evidence. The file is checked before anything is written."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.core.actors import Actor
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.core.publicity import WindowCase
from models.core.regions import LEVEL_NAMES, prefix
from models.door.cases import load_rows
from models.door.chain import chain_named
from models.door.machine import post_notices
from models.door.windows import awaiting_window, posted_cases
from models.evidence.uploads import Evidence, check_upload, store_evidence
from models.policy.loading import policy_for

PHOTO = "notice_photo"


def may_post(session: Session, case_id: int, actor: Actor) -> str | None:
    """Why the actor cannot post the case's list now; None when they can."""
    row = load_rows(session, [case_id]).get(case_id)
    if row is None or not actor.covers(row.village_code):
        return f"案件{case_id}不存在"
    stage = chain_named(row.chain).stage(row.stage)
    if stage.window_scope is None:
        return f"“{stage.name}”环节不张贴公示"
    if not awaiting_window(session, [row]):
        return "已张贴公示，或本环节尚未决定通过，不能张贴"
    scope = prefix(row.village_code, stage.window_scope).ljust(12, "0")
    if not actor.covers(scope):
        return f"本公示为{LEVEL_NAMES[stage.window_scope]}公示，须由{LEVEL_NAMES[stage.window_scope]}人员张贴"
    return None


def post_with_photo(*, session: Session, case_id: int, filename: str, content: bytes, actor: Actor,
                    now: datetime) -> Evidence:
    """Open the window of the case's posting region with the photo as its evidence (the caller commits)."""
    problem = may_post(session, case_id, actor)
    if problem is not None:
        if problem.endswith("不存在"):
            raise NotFound(problem)
        raise TransitionRefused({case_id: problem})
    row = load_rows(session, [case_id])[case_id]
    check_upload(policy_for(row.village_code, row.year).evidence, kind=PHOTO, filename=filename, content=content)
    stage = chain_named(row.chain).stage(row.stage)
    assert stage.window_scope is not None
    post_notices(session=session, chain=row.chain, stage=row.stage, scope=prefix(row.village_code, stage.window_scope),
                 year=row.year, now=now, actor=actor)
    window_id = session.execute(select(col(WindowCase.window_id)).where(
        col(WindowCase.stage_record_id) == row.record_id)).scalar_one()
    posted = posted_cases(session, window_id)
    if not posted:
        raise InvalidInput(f"案件{case_id}", "公示", stage.name, "没有可张贴的案件")
    return store_evidence(session=session, case_ids=posted, kind=PHOTO, filename=filename, content=content,
                          actor=actor, now=now)
