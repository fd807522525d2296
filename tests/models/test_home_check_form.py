"""The township's home-check forms (入户核查表): one document per village, a page per household decided at the
home check, with the four looks, the income from its parts and the conclusion; written once per decision."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from models.core.case import Case
from models.core.clock import parse
from models.core.document import Document, DocumentCase
from models.core.household import Household
from models.core.settings import get_settings
from models.door import machine
from models.door.engine import Move
from models.home_checks.standards import GUARANTEES, Assessment
from synthetic.clerks import Clerks
from tests.walk import CHAIN, open_all, walk_to

OPENED = parse("2026-10-08 09:00")


@pytest.fixture(autouse=True)
def _html_and_pdf(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TUOPIN_DOCX", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _render(world, now):
    done = machine.render_ready_documents(session=world.session, chain=CHAIN, stage="HOME_CHECK", scope="",
                                          year=2026, now=now)
    world.session.commit()
    return done


def _forms(world) -> list[Document]:
    return list(world.session.scalars(select(Document).where(col(Document.kind) == "home_check_form")
                                      .order_by(col(Document.id))))


def test_each_village_gets_one_form_with_a_page_per_household_decided(world):
    ids = open_all(world, OPENED)
    now = walk_to(world, ids, "PUBLICITY", OPENED)
    assert _render(world, now) == 6  # 2 townships of 3 villages
    assert _render(world, now) == 0  # written once
    by_village: dict[str, list[int]] = defaultdict(list)
    for case in world.session.scalars(select(Case).where(col(Case.id).in_(ids))):
        by_village[case.village_code].append(case.id)
    forms = _forms(world)
    assert sorted(f.scope_code for f in forms) == sorted(by_village)
    first = forms[0]
    linked = sorted(world.session.scalars(select(col(DocumentCase.case_id))
                                          .where(col(DocumentCase.document_id) == first.id)))
    assert linked == sorted(by_village[first.scope_code]) and not first.public and first.stage == "HOME_CHECK"
    html = Path(first.path).read_text(encoding="utf-8")
    assert html.count('class="household-page"') == len(linked)
    for case_id in linked:
        case = world.session.get(Case, case_id)
        household = world.session.get(Household, case.household_id)
        check = world.session.scalars(select(Assessment).where(col(Assessment.case_id) == case_id)).one()
        assert household.head_name in html and household.number in html
        assert f"{check.per_capita:.2f}" in html
    assert all(label in html for label in GUARANTEES.values()) and "达到退出标准" in html and "超过3326元" in html
    pages = subprocess.run(["pdfinfo", first.pdf_path], check=True, capture_output=True, text=True).stdout
    assert f"Pages:           {len(linked)}" in pages  # a sheet per household, to sign


def test_a_failed_check_is_on_the_form_and_a_second_check_after_the_return_gets_a_form_of_its_own(world):
    ids = open_all(world, OPENED)
    now = walk_to(world, ids, "HOME_CHECK", OPENED)
    clerks = Clerks(world.session, CHAIN, 2026, "")
    failed = ids[0]
    village = world.session.get(Case, failed).village_code
    clerks.check("HOME_CHECK", now, ids, failing={failed: "housing"})
    clerks.decide("HOME_CHECK", now, [failed], move=Move.RETURN, reason="住房不安全，退回重新评议")
    clerks.decide("HOME_CHECK", now, [i for i in ids if i != failed])
    assert _render(world, now) == 6
    form = next(f for f in _forms(world) if f.scope_code == village)
    html = Path(form.path).read_text(encoding="utf-8")
    assert "未达到退出标准：住房安全有保障" in html and html.count("达到退出标准") > 1
    pages = subprocess.run(["pdfinfo", form.pdf_path], check=True, capture_output=True, text=True).stdout
    sheets = html.count('class="household-page"')
    assert f"Pages:           {sheets}" in pages

    later = walk_to(world, [failed], "HOME_CHECK", now)  # reviewed again, back at the home check
    clerks.check("HOME_CHECK", later, [failed])
    clerks.decide("HOME_CHECK", later, [failed])
    assert _render(world, later) == 1
    again = _forms(world)[-1]
    assert again.scope_code == village and again.id != form.id
    assert list(world.session.scalars(select(col(DocumentCase.case_id))
                                      .where(col(DocumentCase.document_id) == again.id))) == [failed]
    assert "未达到退出标准" not in Path(again.path).read_text(encoding="utf-8")
