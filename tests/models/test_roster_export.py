"""Roster export: a region's households to .xlsx in the import layout, unmasked, recorded in the audit trail; an
exported file imports back to the same households, members and incomes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select
from sqlmodel import col

from models.core.actors import Role
from models.core.audit import AuditEvent
from models.core.errors import InvalidInput, NotFound
from models.core.household import Household, Income, Member
from models.importing import ACTION, EXPORT_ACTION, ImportRefused, export_roster, import_roster
from tests.models.roster_files import HEADERS, counts

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def snapshot(session, villages):
    """Everything an import writes for the villages, keyed by what a clerk sees (not database ids)."""
    session.rollback()
    households = session.scalars(select(Household).where(col(Household.village_code).in_(villages))).all()
    number = {h.id: h.number for h in households}
    members = session.scalars(select(Member).where(col(Member.household_id).in_(number))).all()
    incomes = session.scalars(select(Income).where(col(Income.household_id).in_(number))).all()
    return (
        {(h.number, h.village_code, h.group_name, h.head_name, h.phone, h.registered_poor, h.minimum_allowance,
          h.destitute) for h in households},
        {(number[m.household_id], m.name, m.resident_id, m.relation, m.sex, m.resident, m.phone) for m in members},
        {(number[i.household_id], i.year, i.wages, i.operating, i.property_income, i.transfer, i.expenses)
         for i in incomes},
    )


def export(world, path, *, region=None, actor=None, year=None):
    done = export_roster(session=world.session, region=region or world.township, path=path, now=NOW, year=year,
                         actor=actor or world.actor(Role.TOWNSHIP_GOVERNMENT, world.township))
    world.session.commit()
    return done


def test_an_exported_roster_imports_back_to_the_same_households_members_and_incomes(world, tmp_path):
    flagged = world.session.scalars(select(Household).where(col(Household.village_code).in_(world.villages))).all()
    flagged[0].minimum_allowance, flagged[1].destitute, flagged[2].registered_poor = True, True, False
    world.session.commit()
    before = snapshot(world.session, world.villages)
    done = export(world, tmp_path / "示范镇花名册.xlsx")
    assert (done.households, done.people) == (len(before[0]), len(before[1])) and done.households > 0
    ids = select(Household.id).where(col(Household.village_code).in_(world.villages))
    world.session.execute(delete(Income).where(col(Income.household_id).in_(ids)))
    world.session.execute(delete(Member).where(col(Member.household_id).in_(ids)))
    world.session.execute(delete(Household).where(col(Household.village_code).in_(world.villages)))
    world.session.commit()
    assert snapshot(world.session, world.villages) == (set(), set(), set())
    plan = import_roster(session=world.session, path=done.path, now=NOW,
                         actor=world.actor(Role.TOWNSHIP_GOVERNMENT, world.township))
    world.session.commit()
    assert plan.unused == () and snapshot(world.session, world.villages) == before
    actions = world.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == [EXPORT_ACTION, ACTION]


def test_an_exported_roster_imported_again_is_refused_person_by_person(world, tmp_path):
    done = export(world, tmp_path / "roster.xlsx")
    before = counts(world.session)
    with pytest.raises(ImportRefused) as error:
        import_roster(session=world.session, path=done.path, now=NOW, actor=world.actor(Role.COUNTY_GOVERNMENT))
    assert counts(world.session) == before
    taken = [p for p in error.value.problems if p.column == "证件号码"]
    assert len(taken) == done.people and all("一人只能属于一户" in p.reason for p in taken)


def test_the_export_is_unmasked_text_ids_in_the_layouts_columns_and_audited(world, tmp_path):
    done = export(world, tmp_path / "roster.xlsx")
    sheet = load_workbook(done.path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert (sheet.title, sheet.freeze_panes, list(rows[0])) == ("花名册", "A2", HEADERS)
    ids = [row[HEADERS.index("证件号码")] for row in rows[1:]]
    stored = set(world.session.scalars(select(Member.resident_id).join(Household, Household.id == Member.household_id)
                                       .where(col(Household.village_code).in_(world.villages))))
    assert all(isinstance(i, str) and "*" not in i for i in ids) and set(ids) == stored
    event = world.session.scalars(select(AuditEvent).where(AuditEvent.action == EXPORT_ACTION)).one()
    detail = json.loads(event.detail)
    assert (detail["region"], detail["members"], detail["sha256"]) == (world.township[:9], done.people, done.sha256)


def test_a_year_without_incomes_exports_blank_income_cells(world, tmp_path):
    done = export(world, tmp_path / "roster.xlsx", year=2025)
    rows = list(load_workbook(done.path).worksheets[0].iter_rows(values_only=True))
    year = HEADERS.index("年度")
    assert {row[year] for row in rows[1:]} == {None}
    assert {row[HEADERS.index("村民小组")] for row in rows[1:]} != {None}


@pytest.mark.parametrize(("region", "error", "message"), [
    ("430121102000", NotFound, "不在"),  # the other township
    ("430121101299", NotFound, "没有已登记的农户"),
    ("示范镇", InvalidInput, "统计用区划代码"),
])
def test_an_export_outside_the_clerks_area_or_of_nothing_is_refused(world, tmp_path, region, error, message):
    with pytest.raises(error, match=message):
        export(world, tmp_path / "roster.xlsx", region=region)
    assert not (tmp_path / "roster.xlsx").exists()
