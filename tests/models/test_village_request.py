"""The township's 请示 for its villages' exit: GB/T 9704 header, the villages' acceptance figures, one per
township decision, numbered in the township's one sequence of official documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.core.case import Case
from models.core.document import Document
from models.core.regions import Region
from models.door import machine
from synthetic.clerks import Clerks
from tests import village_walk

CHAIN = "VILLAGE_EXIT"


pytestmark = pytest.mark.usefixtures("html_only")


def _render(world, now) -> int:
    done = machine.render_ready_documents(session=world.session, chain=CHAIN, stage="VILLAGE_REQUEST", scope="",
                                          year=2026, now=now)
    world.session.commit()
    return done


def test_the_request_lists_each_village_with_its_figures_and_takes_the_townships_next_number(world):
    cases = village_walk.open_villages(world)
    now = village_walk.walk_to(world, cases, "VILLAGE_REQUEST", village_walk.T0)
    assert _render(world, now) == 0  # not decided yet: no letter
    Clerks(world.session, CHAIN, 2026, "").decide("VILLAGE_REQUEST", now, cases)
    assert _render(world, now) == 1 and _render(world, now) == 0  # one letter, written once
    (letter,) = world.session.scalars(select(Document).where(col(Document.kind) == "village_request")).all()
    township = world.session.get(Region, world.township)
    assert re.fullmatch(rf"{township.doc_prefix}〔2026〕1号", letter.number) and not letter.public
    html = Path(letter.path).read_text(encoding="utf-8")
    assert f"关于{township.name}2026年度" in html and "贫困村退出的请示" in html and "签发人：" in html
    for case_id in cases:
        assert world.session.get(Region, world.session.get(Case, case_id).village_code).name in html
    assert "综合贫困发生率1.00%" in html and "86000.00" in html and "抄送：" in html and "印发" in html


def test_the_townships_documents_share_one_sequence_of_numbers_whatever_their_kind(world):
    cases = village_walk.open_villages(world)
    now = village_walk.walk_to(world, cases, "VILLAGE_REQUEST", village_walk.T0)
    township = world.session.get(Region, world.township)
    world.session.add(Document(kind="township_request", chain="HOUSEHOLD_EXIT", year=2026, stage="COUNTY_REQUEST",
                               scope_code=township.code, path="/elsewhere/earlier.html", sha256="0" * 64,
                               public=False, number=f"{township.doc_prefix}〔2026〕1号", created_at=now))
    world.session.commit()
    Clerks(world.session, CHAIN, 2026, "").decide("VILLAGE_REQUEST", now, cases)
    _render(world, now)
    letter = world.session.scalars(select(Document).where(col(Document.kind) == "village_request")).one()
    assert letter.number == f"{township.doc_prefix}〔2026〕2号"
