"""The edge household identification's documents: both village notices, the county announcement (public, masked)
and the democratic review minutes (internal, the excluded households with their reasons)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from sqlmodel import col, select

from demo.rounds.edge_identify import Applicant
from models.chains.edge_identify.documents.announcement import build_edge_announcement_context
from models.chains.edge_identify.documents.notice import build_edge_notice_context
from models.chains.edge_identify.documents.review_minutes import (
    build_edge_review_minutes_context,
    render_edge_review_minutes,
)
from models.chains.edge_identify.stages import CODE
from models.core.actors import Role
from models.core.document import Document
from models.core.household import Member
from models.core.publicity import Window
from models.door.engine import Move, transition
from tests.edge_walk import T0, actor_for, apply_households, finish_stage, walk_to

LISTED = (Applicant(0, 3, Decimal("10800")), Applicant(0, 2, Decimal("7600")))
LOW_ALLOWANCE = Applicant(0, 3, Decimal("10500"), minimum_allowance=True)
MASKED_ID = re.compile(r"^\d{6}\*{8}[0-9X]{4}$")


def documents(world, kind: str) -> list[Document]:
    return list(world.session.scalars(select(Document).where(Document.kind == kind).order_by(col(Document.id))))


def windows(world, stage: str) -> list[Window]:
    return list(world.session.scalars(select(Window).where(Window.stage == stage)))


def test_the_two_notices_and_the_announcement_list_the_households_masked(world):
    ids = apply_households(world, *LISTED)
    now = walk_to(world, ids, "EDGE_RECORD", T0)
    assert now > T0
    first, second = documents(world, "edge_notice")
    assert first.public and second.public
    one = build_edge_notice_context(world.session, window_id=windows(world, "EDGE_FIRST_PUBLICITY")[0].id)
    two = build_edge_notice_context(world.session, window_id=windows(world, "EDGE_SECOND_PUBLICITY")[0].id)
    assert one.title == "欧阳海村2026年度贫困边缘户第一次公示" and two.title == "欧阳海村2026年度贫困边缘户第二次公示"
    assert (one.households, one.people) == (2, 5)
    assert one.standard == "超过3326元且低于4000元" and one.excluded == "低保户、特困人员、建档立卡贫困户"
    assert "第一次公示无异议" in two.procedure and "第一次公示无异议" not in one.procedure
    assert (one.last_day - one.first_day).days == 6  # 7 days counting the posting day
    heads = set(world.session.scalars(select(Member.resident_id).where(Member.relation == "户主")))
    for row in one.rows:
        assert MASKED_ID.match(row.resident_id) and row.phone == ""
    html = Path(first.path).read_text(encoding="utf-8")
    assert "第一次公示" in html and "公示期：2026年3月5日至3月11日" in html
    assert not any(head in html for head in heads)  # no full resident ID on a public notice
    assert "人均纯收入" not in html.split("<table")[1]  # the public list shows no income

    (announcement,) = documents(world, "edge_announcement")
    assert announcement.public and announcement.number == "长县政〔2026〕1号"
    context = build_edge_announcement_context(world.session, window_id=windows(world, "EDGE_ANNOUNCEMENT")[0].id,
                                              number=announcement.number)
    assert context.title == "关于示范镇欧阳海村2026年度贫困边缘户的公告"
    assert (context.households, context.people, context.office_name) == (2, 5, "长沙县人民政府")
    html = Path(announcement.path).read_text(encoding="utf-8")
    assert "长县政〔2026〕1号" in html and "附件：示范镇欧阳海村2026年度贫困边缘户名单" in html
    assert "0731-86981234" in html  # the office's own phone, printed in full
    assert not any(head in html for head in heads)
    assert Path(announcement.pdf_path).is_file()


def test_the_minutes_print_the_excluded_household_with_its_reason(world):
    ids = apply_households(world, LISTED[0], LOW_ALLOWANCE)
    now = walk_to(world, ids, "EDGE_REVIEW", T0)
    finish_stage(world, ids[:1], now)
    transition(session=world.session, chain=CODE, stage="EDGE_REVIEW", case_ids=ids[1:], move=Move.REJECT,
               actor=actor_for(world, Role.VILLAGE_COMMITTEE, world.villages[0]), now=now,
               reason="不符合贫困边缘户识别标准：属低保户，按规定暂不列入贫困边缘户")
    context = build_edge_review_minutes_context(world.session, chain=CODE, year=2026, village_code=world.villages[0])
    assert [(r.per_capita, r.result, r.reason) for r in context.rows] == [
        (Decimal(3600), "列入拟定名单", ""),
        (Decimal(3500), "不予列入", "不符合贫困边缘户识别标准：属低保户，按规定暂不列入贫困边缘户"),
    ]
    assert (context.listed, context.refused, context.village) == (1, 1, "欧阳海村")
    document = render_edge_review_minutes(world.session, chain=CODE, year=2026, village_code=world.villages[0],
                                          now=now)
    assert not document.public
    html = Path(document.path).read_text(encoding="utf-8")
    assert "属低保户，按规定暂不列入贫困边缘户" in html and "3500.00" in html and "参会人员签字" in html
