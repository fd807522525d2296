"""The case page's 本环节待办 and its generic stage-input forms, against the served dashboard: a home check recorded
from the form, refusals shown in Chinese with what was typed kept and nothing written, another role's input
listed without its form, and chain B's acceptance and chain D's figures through the same route."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select

from models.chains.key_village.figures import KeyVillageFacts
from models.chains.village_exit.standards import VillageAssessment, village_exit_policy
from models.core.actors import Role
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.passwords import hash_password
from models.core.web_users import add_web_user
from models.home_checks.standards import GUARANTEES, Assessment
from tests import key_village_walk as kv
from tests import village_walk as vw
from tests.walk import walk_to
from tests.web.conftest import PASSWORD, T0, csrf_of

ANSWERS = dict.fromkeys(GUARANTEES, "是") | {"head_signed": "是"}


def rows(world, table) -> int:
    world.session.rollback()
    return int(world.session.scalar(select(func.count()).select_from(table)))


def login_as(world, login: str, role: Role, region: str) -> None:
    add_web_user(world.session, login=login, actor=world.actor(role, region), password_hash=hash_password(PASSWORD))
    world.session.commit()


def at_home_check(world, opened, clock) -> list[int]:
    t1 = world.area.townships[0]
    village = world.area.villages[t1][0]
    ids = [i for i in opened[t1] if world.session.get(Case, i).village_code == village]
    clock.now = walk_to(world, ids, "HOME_CHECK", T0) + timedelta(hours=1)
    login_as(world, "hecha", Role.TOWNSHIP_CHECK_TEAM, t1)
    return ids


def test_the_case_page_lists_what_the_stage_waits_for_and_the_form_nothing_pre_ticked(browser, world, logins,
                                                                                      opened, clock):
    ids = at_home_check(world, opened, clock)
    page = browser("hecha").get(f"/cases/{ids[0]}").text
    assert "本环节待办" in page and "入户核查（四看一算）：由乡镇核查组登记" in page
    assert "办理决定：由乡镇核查组作出（待以上事项登记后）" in page
    form = re.search(r'<form id="input-home-check".*?</form>', page, re.S)
    assert form and f'action="/cases/{ids[0]}/inputs/home-check"' in form.group(0)
    assert form.group(0).count('type="radio"') == 2 * len(GUARANTEES) + 1 + 2  # 不涉及, and the head's signature
    assert "checked" not in form.group(0)
    assert 'name="wages" type="number" step="0.01" min="0"' in form.group(0)


def test_a_home_check_recorded_from_the_generic_form(browser, world, logins, opened, clock):
    ids = at_home_check(world, opened, clock)
    client = browser("hecha")
    token = csrf_of(client.get(f"/cases/{ids[0]}"))
    sent = client.post(f"/cases/{ids[0]}/inputs/home-check", data=ANSWERS | {"water": "否", "csrf": token})
    assert sent.status_code == 303, sent.text
    assert "已登记入户核查（四看一算）" in client.get(sent.headers["location"]).text
    world.session.rollback()
    checked = world.session.scalars(select(Assessment).where(Assessment.case_id == ids[0])).one()
    assert (checked.water, checked.passed) == (False, False)


def test_bad_values_are_refused_on_the_page_with_what_was_typed_kept_and_nothing_written(browser, world, logins,
                                                                                         opened, clock):
    ids = at_home_check(world, opened, clock)
    client = browser("hecha")
    token = csrf_of(client.get(f"/cases/{ids[0]}"))
    before = rows(world, AuditEvent)
    typed = ANSWERS | {"food": "", "wages": "-50", "operating": "1200", "csrf": token}
    refused = client.post(f"/cases/{ids[0]}/inputs/home-check", data=typed)
    assert refused.status_code == 409
    assert "未登记" in refused.text and "本次未写入任何内容" in refused.text
    assert "字段“工资性收入”的值“-50”不符合规则：不得为负数" in refused.text
    assert "字段“吃不愁”的值“”不符合规则：必须填写" in refused.text
    assert 'name="operating" type="number" step="0.01" min="0" value="1200"' in refused.text  # kept
    assert rows(world, Assessment) == 0 and rows(world, AuditEvent) == before


def test_a_form_without_its_token_or_for_an_input_the_stage_does_not_take_is_refused(browser, world, logins, opened,
                                                                                     clock):
    ids = at_home_check(world, opened, clock)
    client = browser("hecha")
    token = csrf_of(client.get(f"/cases/{ids[0]}"))
    forged = client.post(f"/cases/{ids[0]}/inputs/home-check", data=ANSWERS)
    assert forged.status_code == 403
    other = client.post(f"/cases/{ids[0]}/inputs/village-figures", data={"households": "3", "csrf": token})
    assert other.status_code == 409 and "不登记村情数据" in other.text
    unknown = client.post(f"/cases/{ids[0]}/inputs/nonsense", data={"csrf": token})
    assert unknown.status_code == 404 and "没有登记事项“nonsense”" in unknown.text
    assert rows(world, Assessment) == 0


def test_another_role_sees_the_input_listed_without_its_form_and_cannot_post_it(browser, world, logins, opened,
                                                                               clock):
    ids = at_home_check(world, opened, clock)
    client = browser("zhen1")
    page = client.get(f"/cases/{ids[0]}")
    assert "入户核查（四看一算）：由乡镇核查组登记（您不登记此项）" in page.text
    assert 'id="input-home-check"' not in page.text
    refused = client.post(f"/cases/{ids[0]}/inputs/home-check", data=ANSWERS | {"csrf": csrf_of(page)})
    assert refused.status_code == 409 and "须由乡镇核查组办理" in refused.text
    assert rows(world, Assessment) == 0


def test_chain_b_s_acceptance_through_the_generic_form_with_the_policy_s_indicators(browser, world, clock):
    [case_id, *_] = vw.open_villages(world)
    clock.now = vw.walk_to(world, [case_id], "VILLAGE_ACCEPTANCE", vw.T0) + timedelta(hours=1)
    t1 = world.area.townships[0]
    login_as(world, "yanshou", Role.TOWNSHIP_CHECK_TEAM, t1)
    client = browser("yanshou")
    page = client.get(f"/cases/{case_id}")
    indicators = village_exit_policy(world.villages[0], 2026).indicators
    assert all(f'name="{i.code}"' in page.text for i in indicators)
    data = {"registered_population": "1000", "poor_people": "10", "incidence_evidence": "县扶贫办认定数据",
            "collective_income": "86000", "income_evidence": "村集体账目", "csrf": csrf_of(page)}
    for i in indicators:
        data |= {i.code: str(i.points), f"{i.code}_evidence": "现场查看"}
    over = client.post(f"/cases/{case_id}/inputs/village-acceptance", data=data | {indicators[0].code: "99"})
    assert over.status_code == 409 and f"不得大于{indicators[0].points}" in over.text
    assert rows(world, VillageAssessment) == 0
    sent = client.post(f"/cases/{case_id}/inputs/village-acceptance", data=data)
    assert sent.status_code == 303 and rows(world, VillageAssessment) == 1


def test_chain_d_s_figures_through_the_generic_form(browser, world, clock):
    [case_id, *_] = kv.open_villages(world)
    clock.now = kv.walk_to(world, [case_id], "KEY_TOWNSHIP_VERIFY", kv.T0) + timedelta(hours=1)
    login_as(world, "zhenfu", Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    client = browser("zhenfu")
    page = client.get(f"/cases/{case_id}")
    data = {"households": "300", "relative_poor_households": "60", "per_capita_income": "2600",
            "collective_income": "12000", "source": "镇政府摸查核实", "csrf": csrf_of(page)}
    sent = client.post(f"/cases/{case_id}/inputs/village-figures", data=data)
    assert sent.status_code == 303, sent.text
    assert "已登记村情数据" in client.get(sent.headers["location"]).text and rows(world, KeyVillageFacts) == 1


# --- chain G: a finding opens its case from its chain's page; the fix uploads its evidence ----------------------


def test_a_finding_recorded_from_its_chain_s_page_opens_a_case_and_the_fix_uploads_files(browser, world, logins,
                                                                                         clock):
    from models.chains.rectification.findings import RectificationFinding, RectificationFix
    from models.core.actors import add_actor
    from models.core.regions import Level, prefix
    from models.evidence.uploads import Evidence

    village = world.villages[0]
    county = prefix(village, Level.COUNTY).ljust(12, "0")
    team = add_actor(world.session, name="县复核组 周", role=Role.COUNTY_RECHECK_TEAM, region_code=county,
                     login="fuhe")
    unit = add_actor(world.session, name="帮扶责任人 吴", role=Role.RECTIFICATION_UNIT, region_code=village,
                     login="bangfu")
    for login, actor in (("fuhe", team), ("bangfu", unit)):
        add_web_user(world.session, login=login, actor=actor, password_hash=hash_password(PASSWORD))
    world.session.commit()
    client = browser("fuhe")
    overview = client.get("/").text  # the county's team starts a finding from the overview, not from a case
    assert 'href="/chains/rectification/inputs/finding"' in overview
    assert 'href="/chains/rectification/inputs/finding"' not in browser("bangfu").get("/").text
    page = client.get("/chains/rectification/inputs/finding")
    assert page.status_code == 200 and 'action="/chains/rectification/inputs/finding"' in page.text
    data = {"village": village, "item": "1-1", "found": "3户收入核算有误", "unit": "帮扶责任人",
            "csrf": csrf_of(page)}
    wrong = client.post("/chains/rectification/inputs/finding", data=data | {"unit": "无关单位"})
    assert wrong.status_code == 409 and "责任单位" in wrong.text
    assert "3户收入核算有误</textarea>" in wrong.text and rows(world, RectificationFinding) == 0  # typed text kept
    sent = client.post("/chains/rectification/inputs/finding", data=data)
    assert sent.status_code == 303 and "已登记排查问题" in client.get(sent.headers["location"]).text
    case_id = world.session.scalars(select(RectificationFinding.case_id)).one()
    assert browser("zhen1").get("/chains/rectification/inputs/finding").text.count('id="input-finding"') == 0

    from models.door.engine import Move, transition
    transition(session=world.session, chain="RECTIFICATION", stage="RECT_ASSIGN", case_ids=[case_id],
               move=Move.APPROVE, actor=team, now=clock.now)
    world.session.commit()
    fixer = browser("bangfu")
    case_page = fixer.get(f"/cases/{case_id}")
    assert f'action="/cases/{case_id}/inputs/fix" enctype="multipart/form-data"' in case_page.text
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    png = out.getvalue()
    fix = {"action": "已重新核算3户收入", "evidence": "收入调查表3份", "csrf": csrf_of(case_page)}
    empty = [("files", ("", b"", "application/octet-stream"))]  # a file control left empty
    none = fixer.post(f"/cases/{case_id}/inputs/fix", data=fix, files=empty)
    assert none.status_code == 409 and "佐证材料文件" in none.text and rows(world, RectificationFix) == 0
    done = fixer.post(f"/cases/{case_id}/inputs/fix", data=fix,
                      files=[("files", ("调查表.png", png, "image/png")), ("files", ("", b"", "image/png"))])
    assert done.status_code == 303, done.text
    assert rows(world, Evidence) == 1 and rows(world, RectificationFix) == 1
