"""Chain B's acceptance check in the browser, through the case page's generic form: the township's check team enters
the village's figures and the scored indicators with their evidence; a wrong entry is refused with the rule and
writes nothing; then the decision."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models.chains.village_exit.standards import VillageAssessment
from models.core.actors import Role
from models.core.case import Case
from models.core.passwords import hash_password
from models.core.web_users import add_web_user
from models.policy.loading import policy_for
from tests import village_walk as walk
from tests.web.conftest import PASSWORD, csrf_of


def assessments(world) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(VillageAssessment)))


def form(world, token: str, **changed: object) -> dict[str, object]:
    indicators = policy_for(world.villages[0], 2026).village_exit.indicators
    data: dict[str, object] = {
        "registered_population": "1000", "poor_people": "20", "incidence_evidence": "县扶贫办建档立卡数据",
        "collective_income": "50000.00", "income_evidence": "村集体经济收支账目",
        **{i.code: str(i.points) for i in indicators},
        **{f"{i.code}_evidence": f"{i.name}：现场照片" for i in indicators}, "csrf": token,
    }
    data.update(changed)
    return data


def test_the_check_team_enters_the_acceptance_and_decides(browser, world, clock):
    cases = walk.open_villages(world)
    clock.now = walk.walk_to(world, cases, "VILLAGE_ACCEPTANCE", walk.T0) + timedelta(hours=1)
    village = world.session.get(Case, cases[0]).village_code
    add_web_user(world.session, login="yanshou", actor=walk.actor_for(world, Role.TOWNSHIP_CHECK_TEAM, village),
                 password_hash=hash_password(PASSWORD))
    world.session.commit()
    client = browser("yanshou")
    page = client.get(f"/cases/{cases[0]}")
    assert "退出验收（一个确保、两个完善）" in page.text
    token = csrf_of(page)
    before = assessments(world)
    indicators = policy_for(village, 2026).village_exit.indicators
    first = indicators[0].code
    for changed, rule in (({"poor_people": "1001"}, "须在0与农村户籍人口之间"),
                          ({first: str(indicators[0].points + 1)}, f"不得大于{indicators[0].points}"),
                          ({f"{first}_evidence": ""}, "必须填写"),
                          ({"collective_income": "五万"}, "须为数字"), ({"poor_people": "二十"}, "须为整数")):
        answer = client.post(f"/cases/{cases[0]}/inputs/village-acceptance", data=form(world, token, **changed))
        assert answer.status_code in (400, 409) and rule in answer.text, changed
        assert assessments(world) == before

    entered = client.post(f"/cases/{cases[0]}/inputs/village-acceptance", data=form(world, token))
    assert entered.status_code == 303
    shown = client.get(entered.headers["location"]).text
    # 20 of 1000 people is 2.00%, at the line: 降至2%以下 includes it
    assert "已登记贫困村退出验收" in shown and "贫困发生率2.00%，得分100，通过" in shown
    decided = client.post(f"/cases/{cases[0]}/decide", data={"stage": "VILLAGE_ACCEPTANCE", "move": "APPROVE",
                                                             "csrf": token})
    assert decided.status_code == 303
    world.session.rollback()
    assert world.session.get(Case, cases[0]).stage == "VILLAGE_PUBLICITY"
