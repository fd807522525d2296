"""Evidence files: checked by content and size, kept once under their sha256, linked to cases and stages, audited;
a stage the policy says needs evidence cannot complete without it, and the refusal names what is missing."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlmodel import col

from models.core.actors import Role, system_actor
from models.core.audit import AuditEvent
from models.core.case import Case
from models.core.errors import InvalidInput, NotFound, TransitionRefused
from models.door import machine
from models.door.posting import may_post
from models.door.windows import close_due_windows
from models.evidence.uploads import Evidence, EvidenceCase, evidence_of, store_evidence
from models.policy.loading import policy_for
from synthetic.clerks import Clerks
from tests import village_walk
from tests.walk import open_all

pytestmark = pytest.mark.usefixtures("html_only")
T0 = village_walk.T0


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def counts(world) -> tuple[int, int, int]:
    s = world.session
    return (int(s.scalar(select(func.count()).select_from(Evidence))),
            int(s.scalar(select(func.count()).select_from(EvidenceCase))),
            int(s.scalar(select(func.count()).select_from(AuditEvent))))


def test_a_photo_is_kept_under_its_sha256_linked_to_each_case_and_stage_and_audited(world):
    case_ids = open_all(world, T0)[:3]
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    before = counts(world)
    content = png()
    evidence = store_evidence(session=world.session, case_ids=case_ids, kind="notice_photo",
                              filename="C:\\相机\\公示.png", content=content, actor=actor, now=T0)
    world.session.commit()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() and evidence.media_type == "image/png"
    assert Path(evidence.path).read_bytes() == content and Path(evidence.path).name == f"{evidence.sha256}.png"
    assert evidence.size == len(content)
    after = counts(world)
    assert after == (before[0] + 1, before[1] + 3, before[2] + 3)
    listed = evidence_of(world.session, case_ids[0], policy_for(world.villages[0], 2026).evidence.kinds)
    assert [(p.kind_name, p.stage, p.sha256) for p in listed] == [("公示照片", "GROUP_RECOMMEND", evidence.sha256)]
    actions = world.session.scalars(select(AuditEvent.action).where(col(AuditEvent.case_id).in_(case_ids))).all()
    assert actions.count("EVIDENCE.UPLOAD") == 3


@pytest.mark.parametrize(("content", "name", "rule"), [
    (b"just text pretending to be a photo", "photo.jpg", "只接受JPEG、PNG图片或PDF文件"),
    (b"\xff\xd8\xff" + b"\x00" * 40, "broken.jpg", "只接受JPEG、PNG图片或PDF文件"),  # a JPEG header, no image
    (b"", "empty.png", "文件为空"),
])
def test_content_decides_not_the_name_and_a_refusal_writes_nothing(world, content, name, rule):
    case_ids = open_all(world, T0)[:1]
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    before = counts(world)
    with pytest.raises(InvalidInput) as refused:
        store_evidence(session=world.session, case_ids=case_ids, kind="notice_photo", filename=name, content=content,
                       actor=actor, now=T0)
    world.session.rollback()
    assert rule in str(refused.value) and counts(world) == before


def test_a_pdf_named_like_a_photo_is_taken_as_a_pdf(world):
    case_ids = open_all(world, T0)[:1]
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    found = store_evidence(session=world.session, case_ids=case_ids, kind="signed_minutes", filename="scan.jpg",
                           content=b"%PDF-1.4\n%\xe2\xe3\n", actor=actor, now=T0)
    assert found.media_type == "application/pdf" and found.path.endswith(".pdf")


def test_the_size_limit_holds_at_exactly_the_limit_and_refuses_one_byte_more(world):
    case_ids = open_all(world, T0)[:1]
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    limit = policy_for(world.villages[0], 2026).evidence.max_bytes
    head = b"%PDF-1.4\n"
    at_limit = head + b"0" * (limit - len(head))
    store_evidence(session=world.session, case_ids=case_ids, kind="other", filename="a.pdf", content=at_limit,
                   actor=actor, now=T0)
    with pytest.raises(InvalidInput, match="不能超过10MB"):
        store_evidence(session=world.session, case_ids=case_ids, kind="other", filename="b.pdf",
                       content=at_limit + b"0", actor=actor, now=T0)


def test_an_unknown_kind_is_refused_with_the_kinds_that_exist(world):
    case_ids = open_all(world, T0)[:1]
    actor = world.actor(Role.TOWNSHIP_GOVERNMENT, world.area.townships[0])
    with pytest.raises(InvalidInput, match="notice_photo（公示照片）"):
        store_evidence(session=world.session, case_ids=case_ids, kind="selfie", filename="a.png", content=png(),
                       actor=actor, now=T0)


def test_another_townships_case_is_not_found_and_nothing_is_written(world):
    case_ids = open_all(world, T0)
    mine = world.area.townships[0]
    other = next(c for c in case_ids if not world.session.get(Case, c).village_code.startswith(mine[:9]))
    before = counts(world)
    with pytest.raises(NotFound):
        store_evidence(session=world.session, case_ids=[case_ids[0], other], kind="other", filename="a.png",
                       content=png(), actor=world.actor(Role.TOWNSHIP_GOVERNMENT, mine), now=T0)
    world.session.rollback()
    assert counts(world) == before


def test_the_village_request_cannot_be_approved_without_the_publicity_photo(world):
    cases = village_walk.open_villages(world)
    now = village_walk.walk_to(world, cases, "VILLAGE_PUBLICITY", T0)
    clerks = Clerks(world.session, "VILLAGE_EXIT", 2026, "")
    # the publicity without photos: post, let the window run out, release (as the walk does, minus the photos)
    system = system_actor(world.session)
    machine.post_notices(session=world.session, chain="VILLAGE_EXIT", stage="VILLAGE_PUBLICITY", scope="", year=2026,
                         now=now, actor=system)
    later = now + timedelta(days=8)
    close_due_windows(session=world.session, now=later, actor=system)
    machine.release(session=world.session, chain="VILLAGE_EXIT", stage="VILLAGE_PUBLICITY", scope="", year=2026,
                    now=later, actor=system)
    world.session.commit()

    with pytest.raises(TransitionRefused) as refused:
        clerks.decide("VILLAGE_REQUEST", later, cases)
    world.session.rollback()
    assert refused.value.reasons == dict.fromkeys(cases, "“乡镇请示县验收”须先上传佐证材料：公示照片")

    clerks.photograph_notices("VILLAGE_REQUEST", later, cases[:1])
    assert clerks.decide("VILLAGE_REQUEST", later, cases[:1]).moved == cases[:1]
    world.session.commit()
    with pytest.raises(TransitionRefused):
        clerks.decide("VILLAGE_REQUEST", later, cases[1:])


def test_a_township_level_list_is_posted_by_the_township_not_a_village(world):
    cases = village_walk.open_villages(world)
    village_walk.walk_to(world, cases, "VILLAGE_PUBLICITY", T0)
    village = world.session.get(Case, cases[0]).village_code
    committee = world.actor(Role.VILLAGE_COMMITTEE, village)
    township = world.actor(Role.TOWNSHIP_GOVERNMENT, world.township)
    assert may_post(world.session, cases[0], committee) == "本公示为乡镇级公示，须由乡镇级人员张贴"
    assert may_post(world.session, cases[0], township) is None
