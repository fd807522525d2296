"""Posting a publicity list from the browser: the photo of the notice on the board opens the window for every
case of the posting's region ready to be posted, writes the notice, and proves the posting; a bad photo, a second
posting or a clerk outside the region writes nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from models.core.case import Case
from models.core.document import Document
from models.core.publicity import Window, WindowCase
from models.evidence.uploads import EvidenceCase
from tests.walk import walk_to
from tests.web.conftest import T0, csrf_of

pytestmark = pytest.mark.usefixtures("html_only")


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (250, 250, 240)).save(out, format="PNG")
    return out.getvalue()


def counts(world) -> tuple[int, int, int, int]:
    world.session.rollback()
    s = world.session
    return tuple(int(s.scalar(select(func.count()).select_from(t)))  # type: ignore[return-value]
                 for t in (Window, WindowCase, Document, EvidenceCase))


def at_publicity(world, opened, clock) -> list[int]:
    """Township 1's first village's cases walked to the publicity stage, not posted yet."""
    t1 = world.area.townships[0]
    village = world.area.villages[t1][0]
    ids = [i for i in opened[t1] if world.session.get(Case, i).village_code == village]
    clock.now = walk_to(world, ids, "PUBLICITY", T0) + timedelta(hours=1)
    return ids


def post(client, case_id: int, content: bytes, name: str = "board.png"):
    token = csrf_of(client.get(f"/cases/{case_id}"))
    return client.post(f"/cases/{case_id}/post", data={"csrf": token},
                       files={"file": (name, content, "application/octet-stream")})


def test_the_photo_opens_the_window_for_the_villages_cases_and_writes_the_notice(browser, world, logins, opened,
                                                                                 clock):
    ids = at_publicity(world, opened, clock)
    before = counts(world)
    client = browser("zhen1")
    assert "张贴并开始公示" in client.get(f"/cases/{ids[0]}").text
    answer = post(client, ids[0], photo())
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=posted")
    page = client.get(answer.headers["location"]).text
    assert "已张贴公示，公示期开始，照片已上传" in page and "剩余7天" in page and "张贴并开始公示" not in page
    after = counts(world)
    assert after[0] == before[0] + 1 and after[1] == before[1] + len(ids)
    assert after[2] == before[2] + 1 and after[3] == before[3] + len(ids)  # one notice; the photo on every case
    for case_id in ids[1:]:
        other = client.get(f"/cases/{case_id}").text
        assert "剩余7天" in other and "board.png" in other

    again = post(client, ids[0], photo())
    assert again.status_code == 409 and "已张贴公示" in again.text and counts(world) == after


def test_a_bad_photo_or_a_clerk_outside_the_region_posts_nothing(browser, world, logins, opened, clock):
    ids = at_publicity(world, opened, clock)
    before = counts(world)
    client = browser("zhen1")
    wrong = post(client, ids[0], b"GIF89a not accepted here", name="board.gif")
    assert wrong.status_code == 409 and "只接受JPEG、PNG图片或PDF文件" in wrong.text
    assert counts(world) == before
    stranger = browser("zhen2")
    assert post(stranger, ids[0], photo()).status_code == 404
    assert counts(world) == before
    group = browser("cun")  # the village committee posts its own village's list
    assert group.get(f"/cases/{ids[0]}").text.count("张贴并开始公示") == 1
    assert post(group, ids[0], photo()).status_code == 303
    assert counts(world)[0] == before[0] + 1


def test_a_case_not_at_a_publicity_stage_has_nothing_to_post(browser, world, logins, opened):
    case_id = opened[world.area.townships[0]][0]
    client = browser("zhen1")
    assert "张贴并开始公示" not in client.get(f"/cases/{case_id}").text
    refused = post(client, case_id, photo())
    assert refused.status_code == 409 and "“村民小组推荐”环节不张贴公示" in refused.text
