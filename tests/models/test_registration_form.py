"""The home-verification registration forms (入户核实登记表) of chains C and E: one document per village and day of
verification, a page per household decided there, with its members, its income against the chain's standard, the
statuses that exclude it or put it first, the result with its reason and the four signature lines; written once per
decision, so a later verification of a returned household gets a form of its own."""

from __future__ import annotations

import random
import subprocess
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import col, select

from demo.rounds.edge_identify import Applicant
from demo.rounds.relative_identify import Applicant as RelativeApplicant
from demo.rounds.relative_identify import add_applicants as add_relative_applicants
from models.chains.edge_identify.stages import CODE as EDGE
from models.chains.relative_identify.stages import CODE as RELATIVE
from models.core.actors import system_actor
from models.core.case import Case
from models.core.clock import local_date
from models.core.document import Document, DocumentCase
from models.core.household import Household, Member
from models.documents.registration_form import build_registration_form_context, ready
from models.documents.registry import Run
from models.door import machine
from models.door.cases import load_rows, open_cases
from models.door.chain import chain_named
from models.door.engine import Move
from models.door.windows import close_due_windows
from synthetic.clerks import Clerks
from tests.edge_walk import T0, apply_households, finish_stage, walk_to

EDGE_STAGE, RELATIVE_STAGE = "EDGE_HOME_VISIT", "REL_TOWNSHIP_CHECK"
LISTED = (Applicant(0, 3, Decimal("10800")), Applicant(0, 2, Decimal("7600")), Applicant(1, 3, Decimal("11999.97")))


def _render(world, chain: str, stage: str, now: datetime) -> int:
    done = machine.render_ready_documents(session=world.session, chain=chain, stage=stage, scope="", year=2026,
                                          now=now)
    world.session.commit()
    return done


def _forms(world) -> list[Document]:
    return list(world.session.scalars(select(Document).where(col(Document.kind) == "registration_form")
                                      .order_by(col(Document.id))))


def _linked(world, form: Document) -> list[int]:
    return sorted(world.session.scalars(select(col(DocumentCase.case_id))
                                        .where(col(DocumentCase.document_id) == form.id)))


def _household(world, case_id: int) -> Household:
    household: Household | None = world.session.get(Household, world.session.get(Case, case_id).household_id)
    assert household is not None
    return household


@pytest.mark.usefixtures("html_only")
def test_each_village_gets_one_form_a_day_with_a_page_per_household_and_its_facts(world):
    ids = apply_households(world, *LISTED)
    now = walk_to(world, ids, EDGE_STAGE, T0)
    Clerks(world.session, EDGE, 2026, "").decide(EDGE_STAGE, now, ids)
    world.session.commit()
    assert EDGE_STAGE in machine.pending(session=world.session, chain=EDGE, scope="", year=2026, now=now)
    batches = ready(world.session, Run(EDGE, 2026, EDGE_STAGE, ""))
    assert [(b.village_code, b.day) for b in batches] == [(world.villages[0], local_date(now)),
                                                          (world.villages[1], local_date(now))]
    context = build_registration_form_context(world.session, chain=EDGE, year=2026, stage=EDGE_STAGE,
                                              village_code=world.villages[0], decisions=batches[0].decisions)
    assert context.title == "欧阳海村2026年度贫困边缘户入户核实登记表" and context.stage == "入户核实"
    assert [h.per_capita for h in context.households] == ["3600.00", "3800.00"]
    assert context.verified_on == local_date(now) and context.standard == "超过3326元且低于4000元"
    assert _render(world, EDGE, EDGE_STAGE, now) == 2  # two villages, one day
    assert _render(world, EDGE, EDGE_STAGE, now) == 0  # written once
    assert EDGE_STAGE not in machine.pending(session=world.session, chain=EDGE, scope="", year=2026, now=now)
    first, second = _forms(world)
    assert (first.scope_code, second.scope_code) == (world.villages[0], world.villages[1])
    assert _linked(world, first) == ids[:2] and _linked(world, second) == ids[2:]
    assert not first.public and first.stage == EDGE_STAGE and first.chain == EDGE
    html = Path(first.path).read_text(encoding="utf-8")
    assert html.count('class="household-page"') == 2
    assert "贫困边缘户入户核实登记表" in html and "标准：超过3326元且低于4000元" in html
    assert "3600.00" in html and "3800.00" in html and html.count("核实通过，符合贫困边缘户识别标准") == 2
    assert "<th>低保户</th><td>否</td>" in html and "<th>特困人员</th><td>否</td>" in html
    assert all(f"{who}（签字" in html for who in ("乡镇干部", "村委会", "驻村工作队", "户主"))
    for case_id in ids[:2]:
        household = _household(world, case_id)
        assert household.head_name in html and household.number in html
        members = world.session.scalars(select(Member).where(col(Member.household_id) == household.id)).all()
        assert all(m.name in html and m.resident_id in html for m in members)  # internal: IDs in full


@pytest.mark.usefixtures("html_only")
def test_a_refusal_and_a_return_are_on_the_form_and_a_later_verification_gets_its_own(world):
    ids = apply_households(world, *LISTED[:2], Applicant(0, 3, Decimal("11100")))
    listed, allowance, returned = ids
    now = walk_to(world, ids, EDGE_STAGE, T0)
    household = _household(world, allowance)
    household.minimum_allowance = True  # found at the home visit
    world.session.add(household)
    world.session.commit()
    clerks = Clerks(world.session, EDGE, 2026, "")
    clerks.decide(EDGE_STAGE, now, [listed])
    clerks.decide(EDGE_STAGE, now, [allowance], move=Move.REJECT,
                  reason="不符合贫困边缘户识别标准：属低保户，按规定暂不列入贫困边缘户")
    clerks.decide(EDGE_STAGE, now, [returned], move=Move.RETURN, reason="家庭成员信息不全，退回重新评议")
    world.session.commit()
    assert _render(world, EDGE, EDGE_STAGE, now) == 1
    (form,) = _forms(world)
    html = Path(form.path).read_text(encoding="utf-8")
    assert html.count('class="household-page"') == 3 and _linked(world, form) == ids
    assert "<th>低保户</th><td>是</td>" in html and "不予通过：不符合贫困边缘户识别标准：属低保户" in html
    assert "退回：家庭成员信息不全，退回重新评议" in html and "核实通过" in html

    later = finish_stage(world, [returned], now + timedelta(days=2))  # reviewed again, back at the home visit
    assert load_rows(world.session, [returned])[returned].stage == EDGE_STAGE
    clerks.decide(EDGE_STAGE, later, [returned])
    world.session.commit()
    assert [(b.village_code, b.day) for b in ready(world.session, Run(EDGE, 2026, EDGE_STAGE, ""))] == [
        (form.scope_code, local_date(later))]
    assert _render(world, EDGE, EDGE_STAGE, later) == 1
    again = _forms(world)[-1]
    assert again.id != form.id and again.scope_code == form.scope_code and _linked(world, again) == [returned]
    text = Path(again.path).read_text(encoding="utf-8")
    assert "退回" not in text and "3700.00" in text


def _relative_walk(world, ids: list[int], stage: str, now: datetime) -> datetime:
    """Move relative-poor cases on, as clerks and the machine would, until they stand at `stage`."""
    session, system = world.session, system_actor(world.session)
    chain = chain_named(RELATIVE)
    while (current := chain.stage(load_rows(session, ids)[ids[0]].stage)).code != stage:
        if current.window:
            machine.post_notices(session=session, chain=RELATIVE, stage=current.code, scope="", year=2026, now=now,
                                 actor=system)
            now += timedelta(days=8)
            close_due_windows(session=session, now=now, actor=system)
            machine.release(session=session, chain=RELATIVE, stage=current.code, scope="", year=2026, now=now,
                            actor=system)
        else:
            Clerks(session, RELATIVE, 2026, "").decide(current.code, now, ids)
            now += timedelta(days=1)
        session.commit()
    return now


def test_the_relative_poor_chain_prints_its_line_and_the_priority_conditions(world):
    applicants = (RelativeApplicant(0, 3, Decimal("4200"), house_type="泥砖房"),
                  RelativeApplicant(0, 4, Decimal("4000"), disabled_member=True),
                  RelativeApplicant(1, 2, Decimal("2400"), ill_member=True))
    households = add_relative_applicants(world.session, world.villages, 2026, random.Random(5), applicants)
    ids = open_cases(session=world.session, chain=RELATIVE, year=2026, household_ids=households, now=T0,
                     actor=system_actor(world.session))
    world.session.commit()
    now = _relative_walk(world, ids, RELATIVE_STAGE, T0)
    Clerks(world.session, RELATIVE, 2026, "").decide(RELATIVE_STAGE, now, ids)
    world.session.commit()
    assert _render(world, RELATIVE, RELATIVE_STAGE, now) == 2
    first, second = _forms(world)
    assert first.chain == RELATIVE and first.stage == RELATIVE_STAGE and _linked(world, first) == ids[:2]
    html = Path(first.path).read_text(encoding="utf-8")
    assert "相对贫困户入户核实登记表" in html and "标准：不超过1500元" in html
    assert "1400.00" in html and "1000.00" in html and "核实通过，符合相对贫困户识别标准" in html
    assert "<th>住房类型</th><td>泥砖房</td>" in html and "<th>住泥砖房或茅草房</th><td>是</td>" in html
    assert "<th>家庭成员有残疾人</th><td>是</td>" in html
    assert "<th>家庭成员有长年患重病的</th><td>是</td>" in Path(second.path).read_text(encoding="utf-8")
    pages = subprocess.run(["pdfinfo", first.pdf_path], check=True, capture_output=True, text=True).stdout
    assert "Pages:           2" in pages  # a sheet per household, to sign
