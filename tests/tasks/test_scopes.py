"""The plain reads a chain's flow makes first: the townships of a region with their names, and one township's
outlook (what machine.pending says is to do, and where cases are), which tells each stage task whether it is idle."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from models.core.errors import NotFound
from models.core.regions import Region
from tasks.scopes import Outlook, Township, outlook, townships_in
from tests.flows.township import YEAR, build_township
from tests.walk import CHAIN

pytestmark = pytest.mark.usefixtures("html_only")


def test_a_region_covers_its_townships_in_code_order_with_their_names(world):
    first, second = world.area.townships
    names = {code: world.session.get_one(Region, code).name for code in (first, second)}
    assert townships_in(world.area.county_code) == [Township(first, names[first]), Township(second, names[second])]
    assert townships_in(second) == [Township(second, names[second])]
    with pytest.raises(NotFound, match="村级区划"):
        townships_in(world.villages[0])


def test_the_outlook_names_the_stages_with_work_and_those_with_cases(session: Session):
    code, now = build_township(session)
    seen = outlook(CHAIN, code[:9], YEAR, now.isoformat())
    assert seen == Outlook(
        todo=frozenset({"windows", "GROUP_RECOMMEND", "COMMITTEE_REVIEW", "HOME_CHECK", "PUBLICITY", "COUNTY_REQUEST",
                        "COUNTY_RECHECK", "COUNTY_APPROVAL"}),  # papers owed, a window to close, cases to post
        occupied=frozenset({"PUBLICITY", "COUNTY_RECHECK", "COUNTY_APPROVAL"}),
    )
    assert [s for s in ("CHECK_REQUEST", "HOME_CHECK", "COUNTY_RECHECK") if seen.idle(s)] == ["CHECK_REQUEST"]
    assert outlook(CHAIN, "430121102", YEAR, now.isoformat()) == Outlook(frozenset(), frozenset())
