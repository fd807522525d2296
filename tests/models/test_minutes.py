"""Meeting minutes (会议记录) of the deciding village stages: one per village, stage and day of decision, with each
household's result and reason, the tally and an attendance list to sign; a later meeting gets minutes of its own."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.core.case import Case
from models.core.clock import parse
from models.core.document import Document, DocumentCase
from models.core.household import Household
from models.core.regions import Region
from models.door import machine
from models.door.engine import Move
from synthetic.clerks import Clerks
from tests import village_walk
from tests.walk import CHAIN, open_all

OPENED = parse("2026-10-08 09:00")


pytestmark = pytest.mark.usefixtures("html_only")


def _render(world, stage: str, now) -> int:
    done = machine.render_ready_documents(session=world.session, chain=CHAIN, stage=stage, scope="", year=2026,
                                          now=now)
    world.session.commit()
    return done


def _minutes(world, stage: str) -> list[Document]:
    return list(world.session.scalars(select(Document).where(col(Document.kind) == "minutes",
                                                             col(Document.stage) == stage).order_by(col(Document.id))))


def _cases(world, document: Document) -> list[int]:
    return sorted(world.session.scalars(select(col(DocumentCase.case_id))
                                        .where(col(DocumentCase.document_id) == document.id)))


def test_each_village_meeting_gets_minutes_with_every_result_and_reason(world):
    ids = open_all(world, OPENED)
    clerks = Clerks(world.session, CHAIN, 2026, "")
    held = OPENED + timedelta(days=2)
    dropped = ids[1]
    clerks.decide("GROUP_RECOMMEND", held, [dropped], move=Move.REJECT, reason="家庭收入明显高于标准，不予推荐")
    clerks.decide("GROUP_RECOMMEND", held, [i for i in ids if i != dropped])
    assert _render(world, "GROUP_RECOMMEND", held) == 6  # one per village of the two townships
    assert _render(world, "GROUP_RECOMMEND", held) == 0  # written once
    minutes = _minutes(world, "GROUP_RECOMMEND")
    village = world.session.get(Case, dropped).village_code
    mine = next(m for m in minutes if m.scope_code == village)
    in_village = sorted(world.session.scalars(select(col(Case.id)).where(col(Case.village_code) == village,
                                                                         col(Case.id).in_(ids))))
    assert _cases(world, mine) == in_village and not mine.public
    html = Path(mine.path).read_text(encoding="utf-8")
    heads = {c: world.session.get(Household, world.session.get(Case, c).household_id).head_name for c in in_village}
    assert all(head in html for head in heads.values())
    assert "不予通过" in html and "家庭收入明显高于标准，不予推荐" in html
    assert f"通过{len(in_village) - 1}户" in html and "不予通过1户" in html
    assert "2026年10月10日" in html and "村民小组推荐" in html and html.count("<td></td><td></td><td></td>") == 15


def test_a_later_meeting_gets_minutes_of_its_own(world):
    ids = open_all(world, OPENED)
    clerks = Clerks(world.session, CHAIN, 2026, "")
    first_day = OPENED + timedelta(days=1)
    clerks.decide("GROUP_RECOMMEND", first_day, ids)
    _render(world, "GROUP_RECOMMEND", first_day)
    review = OPENED + timedelta(days=3)
    returned = ids[0]
    clerks.decide("COMMITTEE_REVIEW", review, [returned], move=Move.RETURN, reason="家庭人口信息不全，退回小组重新推荐")
    again = review + timedelta(days=2)
    clerks.decide("GROUP_RECOMMEND", again, [returned])
    assert _render(world, "GROUP_RECOMMEND", again) == 1
    latest = _minutes(world, "GROUP_RECOMMEND")[-1]
    assert _cases(world, latest) == [returned]
    assert "2026年10月13日" in Path(latest.path).read_text(encoding="utf-8")
    assert _render(world, "COMMITTEE_REVIEW", again) == 1  # the review meeting itself, in the returned case's village
    review_minutes = _minutes(world, "COMMITTEE_REVIEW")[-1]
    assert "退回" in Path(review_minutes.path).read_text(encoding="utf-8")


def test_the_township_meeting_on_villages_exit_lists_each_village(world):
    cases = village_walk.open_villages(world)
    now = village_walk.walk_to(world, cases, "VILLAGE_ACCEPTANCE", OPENED)  # past the meeting
    done = machine.render_ready_documents(session=world.session, chain="VILLAGE_EXIT", stage="VILLAGE_MEETING",
                                          scope="", year=2026, now=now)
    world.session.commit()
    minutes = _minutes(world, "VILLAGE_MEETING")
    assert done == len(minutes) == len(cases)  # a village case is its own village's meeting
    for document in minutes:
        (case_id,) = _cases(world, document)
        html = Path(document.path).read_text(encoding="utf-8")
        village = world.session.get(Region, world.session.get(Case, case_id).village_code)
        assert document.scope_code == village.code and village.name in html
        assert "乡村研究退出会议" in html and "通过1户" in html
