"""Evidence and objections in the browser: uploads checked by content and size and listed with their sha256,
a window's photo for every case on the list, downloads only in the area, objections raised and resolved through
the one door; every refusal writes nothing."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select

from models.core.actors import system_actor
from models.core.case import Case
from models.core.publicity import Objection
from models.door import machine
from models.evidence.uploads import Evidence, EvidenceCase
from tests.walk import walk_to
from tests.web.conftest import T0, csrf_of


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 90, 200)).save(out, format="JPEG")
    return out.getvalue()


def evidence_rows(world) -> tuple[int, int]:
    world.session.rollback()
    return (int(world.session.scalar(select(func.count()).select_from(Evidence))),
            int(world.session.scalar(select(func.count()).select_from(EvidenceCase))))


def upload(client, case_id: int, content: bytes, name: str = "公示.jpg", kind: str = "notice_photo", **extra):
    token = csrf_of(client.get(f"/cases/{case_id}"))
    return client.post(f"/cases/{case_id}/evidence", data={"kind": kind, "csrf": token, **extra},
                       files={"file": (name, content, "application/octet-stream")})


def test_an_upload_is_listed_with_its_hash_on_the_timeline_and_served_only_in_the_area(browser, world, logins,
                                                                                        opened):
    t1, t2 = world.area.townships
    case_id = opened[t1][0]
    client = browser("zhen1")
    content = photo()
    answer = upload(client, case_id, content)
    assert answer.status_code == 303 and answer.headers["location"] == f"/cases/{case_id}?done=evidence"
    page = client.get(answer.headers["location"]).text
    assert "已上传" in page and "公示照片" in page and "公示.jpg" in page
    assert hashlib.sha256(content).hexdigest()[:16] in page
    timeline = page[page.index('id="timeline"'):]
    assert "上传佐证材料：公示照片 公示.jpg" in timeline
    evidence_id = int(re.search(r'href="/evidence/(\d+)"', page).group(1))
    served = client.get(f"/evidence/{evidence_id}")
    assert served.status_code == 200 and served.content == content and served.headers["content-type"] == "image/jpeg"

    stranger = browser("zhen2")
    hidden = stranger.get(f"/evidence/{evidence_id}")
    assert hidden.status_code == 404 and "文件不存在" in hidden.text
    assert stranger.get("/evidence/99999").status_code == 404
    assert evidence_rows(world) == (1, 1)
    assert upload(stranger, opened[t1][1], photo()).status_code == 404  # a guessed id of another township
    assert evidence_rows(world) == (1, 1)


def test_wrong_content_a_too_large_file_no_file_and_a_missing_token_write_nothing(browser, world, logins, opened):
    case_id = opened[world.area.townships[0]][0]
    client = browser("zhen1")
    disguised = upload(client, case_id, b"MZ\x90\x00 this is a program", name="photo.jpg")
    assert disguised.status_code == 409 and "只接受JPEG、PNG图片或PDF文件" in disguised.text
    assert "本次未写入任何内容" in disguised.text
    big = upload(client, case_id, b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), name="scan.pdf", kind="signed_minutes")
    assert big.status_code == 409 and "不能超过10MB" in big.text
    unknown = upload(client, case_id, photo(), kind="holiday_snaps")
    assert unknown.status_code == 409 and "材料类别" in unknown.text
    token = csrf_of(client.get(f"/cases/{case_id}"))
    empty = client.post(f"/cases/{case_id}/evidence", data={"kind": "other", "csrf": token})
    assert empty.status_code == 400 and "请选择要上传的文件" in empty.text
    forged = client.post(f"/cases/{case_id}/evidence", data={"kind": "other", "csrf": "forged"},
                         files={"file": ("a.jpg", photo(), "image/jpeg")})
    assert forged.status_code == 403 and "表单已失效" in forged.text
    assert evidence_rows(world) == (0, 0)


def _posted(world, opened) -> tuple[list[int], object]:
    """Township 1's first village's cases posted in their village notice; returns them and the posting time."""
    t1 = world.area.townships[0]
    village = world.area.villages[t1][0]
    ids = [i for i in opened[t1] if world.session.get(Case, i).village_code == village]
    now = walk_to(world, ids, "PUBLICITY", T0)
    machine.post_notices(session=world.session, chain="HOUSEHOLD_EXIT", stage="PUBLICITY", scope=village, year=2026,
                         now=now, actor=system_actor(world.session))
    world.session.commit()
    return ids, now


def test_the_notice_photo_can_prove_every_case_on_the_posted_list(browser, world, logins, opened, clock):
    ids, now = _posted(world, opened)
    clock.now = now + timedelta(hours=2)
    client = browser("zhen1")
    assert "用于本次公示名单上的全部案件" in client.get(f"/cases/{ids[0]}").text
    answer = upload(client, ids[0], photo(), whole_window="1")
    assert answer.status_code == 303
    assert evidence_rows(world) == (1, len(ids))
    for case_id in ids:
        assert "公示照片" in client.get(f"/cases/{case_id}").text.split("佐证材料")[1]


def test_an_objection_is_raised_in_the_window_and_resolved_through_the_door(browser, world, logins, opened, clock):
    ids, now = _posted(world, opened)
    clock.now = now + timedelta(days=1)
    client = browser("zhen1")
    page = client.get(f"/cases/{ids[0]}")
    assert "登记异议" in page.text
    raised = client.post(f"/cases/{ids[0]}/objections",
                         data={"raised_by": "王某", "content": "家中有人在外务工收入未计入", "csrf": csrf_of(page)})
    assert raised.status_code == 303
    page = client.get(raised.headers["location"])
    assert "已登记异议" in page.text and "家中有人在外务工收入未计入" in page.text and "待核实" in page.text
    objection_id = int(re.search(rf'action="/cases/{ids[0]}/objections/(\d+)"', page.text).group(1))

    no_answer = client.post(f"/cases/{ids[0]}/objections/{objection_id}",
                            data={"upheld": "", "resolution": "", "csrf": csrf_of(page)})
    assert no_answer.status_code == 400 and "请选择异议是否成立" in no_answer.text
    no_reason = client.post(f"/cases/{ids[0]}/objections/{objection_id}",
                            data={"upheld": "no", "resolution": " ", "csrf": csrf_of(page)})
    assert no_reason.status_code == 409 and "须写明核实情况" in no_reason.text
    other = browser("zhen2")
    hidden = other.post(f"/cases/{ids[0]}/objections/{objection_id}",
                        data={"upheld": "no", "resolution": "x", "csrf": csrf_of(other.get("/"))})
    assert hidden.status_code == 404
    world.session.rollback()
    assert world.session.get(Objection, objection_id).status == "OPEN"

    done = client.post(f"/cases/{ids[0]}/objections/{objection_id}",
                       data={"upheld": "no", "resolution": "经核实，务工收入已计入", "csrf": csrf_of(page)})
    assert done.status_code == 303
    page = client.get(done.headers["location"]).text
    assert "异议已处理" in page and "已处理：经核实，务工收入已计入" in page
    assert "异议不成立：经核实，务工收入已计入" in page[page.index('id="timeline"'):]


def test_an_objection_outside_the_window_is_refused(browser, world, logins, opened):
    case_id = opened[world.area.townships[0]][0]
    client = browser("zhen1")
    page = client.get(f"/cases/{case_id}")
    answer = client.post(f"/cases/{case_id}/objections",
                         data={"raised_by": "王某", "content": "有异议", "csrf": csrf_of(page)})
    assert answer.status_code == 409 and "只能在公示期内提出异议（尚未公示）" in answer.text
    world.session.rollback()
    assert world.session.scalar(select(func.count()).select_from(Objection)) == 0


def test_the_township_check_team_records_a_home_check_and_then_decides(browser, world, logins, opened, clock):
    from models.core.actors import Role
    from models.core.passwords import hash_password
    from models.core.web_users import add_web_user
    from tests.web.conftest import PASSWORD

    t1 = world.area.townships[0]
    village = world.area.villages[t1][0]
    ids = [i for i in opened[t1] if world.session.get(Case, i).village_code == village]
    clock.now = walk_to(world, ids, "HOME_CHECK", T0) + timedelta(hours=1)
    add_web_user(world.session, login="hecha", actor=world.actor(Role.TOWNSHIP_CHECK_TEAM, t1),
                 password_hash=hash_password(PASSWORD))
    world.session.commit()
    client = browser("hecha")
    page = client.get(f"/cases/{ids[0]}")
    assert "入户核查（四看一算）" in page.text
    before = client.post(f"/cases/{ids[0]}/decide", data={"stage": "HOME_CHECK", "move": "APPROVE",
                                                          "csrf": csrf_of(page)})
    assert before.status_code == 409 and "尚未完成入户核查" in before.text

    answers = {"food": "是", "clothing": "是", "housing": "否", "medical": "是", "education": "不涉及", "water": "是",
               "head_signed": "是", "csrf": csrf_of(page)}
    failed = client.post(f"/cases/{ids[0]}/inputs/home-check", data=answers)
    assert failed.status_code == 303
    shown = client.get(failed.headers["location"]).text
    assert "已登记入户核查（四看一算）" in shown and "未达标（住房安全有保障未达标）" in shown
    refused = client.post(f"/cases/{ids[0]}/decide", data={"stage": "HOME_CHECK", "move": "APPROVE",
                                                           "csrf": csrf_of(page)})
    assert refused.status_code == 409 and "住房安全有保障未达标" in refused.text

    passed = client.post(f"/cases/{ids[0]}/inputs/home-check", data=answers | {"housing": "是"})
    assert passed.status_code == 303 and "，达标" in client.get(f"/cases/{ids[0]}").text
    approved = client.post(f"/cases/{ids[0]}/decide", data={"stage": "HOME_CHECK", "move": "APPROVE",
                                                            "csrf": csrf_of(page)})
    assert approved.status_code == 303 and stage_after(world, ids[0]) == "PUBLICITY"
    other = browser("zhen1").get(f"/cases/{ids[1]}").text  # not the government's to record
    assert "入户核查（四看一算）：由乡镇核查组登记（您不登记此项）" in other and 'id="input-home-check"' not in other


def stage_after(world, case_id: int) -> str:
    world.session.rollback()
    return str(world.session.get(Case, case_id).stage)
