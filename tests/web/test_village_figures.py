"""Chain D's city spot-check in the browser, through the case page's generic forms: the city team draws its county's
sample, records a drawn village's figures and decides; wrong figures and a village not drawn are refused with the
reason, and nothing is written."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models.chains.key_village.figures import KeyVillageFacts
from models.core.actors import Role
from models.core.case import Case
from models.core.passwords import hash_password
from models.core.web_users import add_web_user
from models.door.sampling import Sample, SampleCase
from tests import key_village_walk as walk
from tests.web.conftest import PASSWORD, csrf_of


def facts(world) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(KeyVillageFacts)))


def test_the_city_team_draws_records_the_figures_and_decides(browser, world, clock):
    cases = walk.open_villages(world)
    clock.now = walk.walk_to(world, cases, "KEY_CITY_CHECK", walk.T0) + timedelta(hours=1)
    city = walk.actor_for(world, Role.CITY_CHECK_TEAM, world.villages[0])
    add_web_user(world.session, login="shi", actor=city, password_hash=hash_password(PASSWORD))
    world.session.commit()
    client = browser("shi")
    page = client.get(f"/cases/{cases[0]}")
    assert 'id="input-village-figures"' in page.text and "抽取本县样本" in page.text
    before = facts(world)
    early = client.post(f"/cases/{cases[0]}/inputs/village-figures", data={
        "households": "300", "relative_poor_households": "60", "per_capita_income": "2600",
        "collective_income": "12000", "source": "市统计局抽查", "csrf": csrf_of(page)})
    assert early.status_code == 409 and "样本" in early.text and facts(world) == before

    drawn = client.post(f"/cases/{cases[0]}/inputs/sample", data={"csrf": csrf_of(page)})
    assert drawn.status_code == 303
    again = client.post(f"/cases/{cases[0]}/inputs/sample", data={"csrf": csrf_of(page)})
    assert again.status_code == 409 and "均已抽取过样本" in again.text
    world.session.rollback()
    sample = world.session.scalars(select(Sample).where(Sample.stage == "KEY_CITY_CHECK")).one()
    chosen = set(world.session.scalars(select(SampleCase.case_id).where(
        SampleCase.sample_id == sample.id, SampleCase.drawn.is_(True))))  # type: ignore[attr-defined]
    target = next(c for c in cases if c in chosen)

    for wrong, why in (({"households": "三百"}, "须为整数"), ({"per_capita_income": "2600.555"}, "最多保留两位小数"),
                       ({"source": " "}, "必须填写")):
        form = {"households": "300", "relative_poor_households": "60", "per_capita_income": "2600",
                "collective_income": "12000", "source": "市统计局抽查", "csrf": csrf_of(page), **wrong}
        answer = client.post(f"/cases/{target}/inputs/village-figures", data=form)
        assert answer.status_code in (400, 409) and why in answer.text and facts(world) == before
    recorded = client.post(f"/cases/{target}/inputs/village-figures", data={
        "households": "300", "relative_poor_households": "60", "per_capita_income": "2600",
        "collective_income": "12000", "source": "市统计局抽查", "csrf": csrf_of(page)})
    assert recorded.status_code == 303 and facts(world) == before + 1
    assert "已登记村情数据" in client.get(recorded.headers["location"]).text
    decided = client.post(f"/cases/{target}/decide", data={"stage": "KEY_CITY_CHECK", "move": "APPROVE",
                                                           "csrf": csrf_of(page)})
    assert decided.status_code == 303
    world.session.rollback()
    assert world.session.get(Case, target).stage == "KEY_PROVINCE_CHECK"
