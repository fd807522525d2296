"""Every page and download of a case or a village, for each level's login: allowed inside its area, "not found"
outside it (the id typed into the URL) with nothing of the other area shown, and lists that count only its own."""

from __future__ import annotations

import pytest

from cli.web import DEMO_PASSWORD
from models.core.case import Case
from tests.web.test_pages import case_ids_on, household_of

PAGES = ("/cases/{case}", "/cases/{case}/file", "/cases/{case}/file.zip",
         "/villages/{village}/file?chain=household-exit", "/villages/{village}/file.zip?chain=household-exit",
         "/villages/{village}/decide?chain=household-exit&stage=GROUP_RECOMMEND")


def _cases(world, opened) -> dict[str, int]:
    """A: township 1's first village; B: another village of township 1; C: township 2."""
    t1, t2 = world.area.townships
    first = world.area.villages[t1][0]
    in_first = [i for i in opened[t1] if world.session.get(Case, i).village_code == first]
    elsewhere = [i for i in opened[t1] if world.session.get(Case, i).village_code != first]
    return {"A": in_first[0], "B": elsewhere[0], "C": opened[t2][0]}


@pytest.mark.parametrize(("login", "sees"), [
    ("zu", "A"), ("cun", "A"), ("zhen1", "AB"), ("zhen2", "C"), ("county", "ABC"),
])
def test_each_login_sees_its_area_and_nothing_else(browser, world, logins, opened, login, sees):
    cases = _cases(world, opened)
    client = browser(login, DEMO_PASSWORD) if login == "county" else browser(login)
    for name, case_id in cases.items():
        village = world.session.get(Case, case_id).village_code
        household = household_of(world, case_id)
        for page in PAGES:
            answer = client.get(page.format(case=case_id, village=village))
            if name in sees:
                assert answer.status_code == 200, (login, name, page)
            else:
                assert answer.status_code == 404, (login, name, page)
                assert household.head_name not in answer.text and household.number not in answer.text
    listed = case_ids_on(client.get("/cases?due=30").text) | case_ids_on(client.get("/cases?page=2&due=30").text)
    assert {n for n, c in cases.items() if c in listed} == set(sees)
