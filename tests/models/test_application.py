"""Applications (申请书) of the applying chains: once the village committee records them, a page per applicant to
sign — a household with its members, or the village committee's own — one document per village and day."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.core.case import Case
from models.core.document import Document, DocumentCase
from models.core.household import Household
from models.core.regions import Region
from models.door import machine
from synthetic.clerks import Clerks
from tests import edge_walk, village_walk

pytestmark = pytest.mark.usefixtures("html_only")


def _applications(world, chain: str, stage: str) -> tuple[int, list[Document]]:
    now = edge_walk.T0
    done = machine.render_ready_documents(session=world.session, chain=chain, stage=stage, scope="", year=2026,
                                          now=now)
    world.session.commit()
    return done, list(world.session.scalars(select(Document).where(col(Document.kind) == "application",
                                                                    col(Document.chain) == chain)))


def test_each_household_application_is_a_page_with_its_members_to_sign(world):
    cases = edge_walk.apply_households(world, edge_walk.INSIDE, edge_walk.INSIDE)
    assert _applications(world, "EDGE_IDENTIFY", "EDGE_APPLICATION") == (0, [])  # nothing recorded yet
    Clerks(world.session, "EDGE_IDENTIFY", 2026, "").decide("EDGE_APPLICATION", edge_walk.T0, cases)
    done, documents = _applications(world, "EDGE_IDENTIFY", "EDGE_APPLICATION")
    assert done == len(documents) == 1 and not documents[0].public
    html = Path(documents[0].path).read_text(encoding="utf-8")
    assert html.count('class="applicant-page"') == len(cases)
    for case_id in cases:
        household = world.session.get(Household, world.session.get(Case, case_id).household_id)
        assert f"本户户主{household.head_name}" in html
    assert "申请人（签字或按手印）" in html and "2026年度贫困边缘户识别" in html
    assert _applications(world, "EDGE_IDENTIFY", "EDGE_APPLICATION")[0] == 0  # written once


def test_a_village_committees_application_is_its_own_page(world):
    cases = village_walk.open_villages(world)
    village_walk.finish_stage(world, cases, village_walk.T0)  # the committee records its application
    done, documents = _applications(world, "VILLAGE_EXIT", "VILLAGE_APPLICATION")
    assert done == len(documents) == len(cases)
    for document in documents:
        (case_id,) = world.session.scalars(select(col(DocumentCase.case_id))
                                           .where(col(DocumentCase.document_id) == document.id)).all()
        village = world.session.get(Region, world.session.get(Case, case_id).village_code)
        html = Path(document.path).read_text(encoding="utf-8")
        assert f"{village.name}提出2026年度贫困村退出申请" in html and f"{village.office_name}（盖章）" in html
