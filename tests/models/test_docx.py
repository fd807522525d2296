"""Editable DOCX copies of the letters and notices: beside the HTML, recorded, GB/T 9704 page, masked when public."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from sqlmodel import select

from models.chains.household_exit.documents.county_announcement import render_county_announcement
from models.chains.household_exit.documents.village_notice import render_village_notice
from models.core.case import Case
from models.core.document import Document
from models.core.household import Household, Member
from models.core.settings import get_settings
from models.documents.masking import mask_id
from models.policy.loading import policy_for
from tests.models import test_documents
from tests.models.test_documents import ANNOUNCED, FULL_ID, FULL_MOBILE, POSTED, Scene, _all_four, _request

# The scene of the documents' tests (one township, 3 villages, every document's records), and its database.
db_url = test_documents.db_url
scene = test_documents.scene

LETTERS = ("village_notice", "township_request", "county_announcement")
TOLERANCE = Mm(1)


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch: pytest.MonkeyPatch):
    """The PDF copies are tested elsewhere; leaving them out keeps these tests quick."""
    monkeypatch.setenv("TUOPIN_PDF", "false")
    monkeypatch.delenv("TUOPIN_DOCX", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _open(document: Document):
    return docx.Document(document.docx_path)


def _text(word) -> str:
    """Every text run of the document: paragraphs and table cells alike."""
    return "".join(t.text or "" for t in word.element.body.iter(qn("w:t")))


def _paragraphs(word) -> list[str]:
    return [p.text for p in word.paragraphs]


def _close(actual, expected) -> bool:
    return abs(int(actual) - int(expected)) <= TOLERANCE


def test_letters_and_notices_get_a_docx_beside_the_html_recorded_with_its_hash(scene: Scene):
    documents = _all_four(scene)
    for kind in LETTERS:
        document = documents[kind]
        path = Path(document.docx_path)
        assert path == Path(document.path).with_suffix(".docx") and path.is_file(), kind
        assert hashlib.sha256(path.read_bytes()).hexdigest() == document.docx_sha256, kind
        assert _text(_open(document)), kind
        stored = scene.session.get(Document, document.id)
        assert stored is not None and stored.docx_path == str(path)
    assert documents["recheck_form"].docx_path == "" and documents["recheck_form"].docx_sha256 == ""
    folder = Path(documents["village_notice"].path).parent
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_the_public_notice_has_its_title_window_and_masked_ids_and_no_full_id_or_mobile(scene: Scene):
    documents = _all_four(scene)
    notice = _open(documents["village_notice"])
    paragraphs = _paragraphs(notice)
    assert "欧阳海村2026年度拟退出贫困户公示" in "".join(paragraphs[0].split("\n"))
    assert "公示期：2026年11月1日至11月7日" in paragraphs
    assert notice.paragraphs[0].runs[0].font.size == docx.shared.Pt(22)
    assert notice.paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in notice.paragraphs if p.text.startswith("公示期"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert int(body.paragraph_format.first_line_indent) == int(docx.shared.Pt(32))
    assert "2026年11月1日" in paragraphs[-1] and "欧阳海村村民委员会" in paragraphs[-2]
    rule = policy_for(scene.township, 2026).masking
    notice_text = _text(notice)
    announcement_text = _text(_open(documents["county_announcement"]))
    for text in (notice_text, announcement_text):
        assert not FULL_ID.search(text) and not FULL_MOBILE.search(text)
        assert "户主身份证号" in text
    for case_id in scene.cases[scene.villages[0]]:
        household = scene.session.exec(select(Household).join(Case, Case.household_id == Household.id)
                                       .where(Case.id == case_id)).one()
        head = scene.session.exec(select(Member).where(Member.household_id == household.id,
                                                       Member.relation == "户主")).one()
        masked = mask_id(head.resident_id, rule)
        assert masked in notice_text and masked in announcement_text
        assert head.resident_id not in notice_text and household.phone not in notice_text
    cells = [c.text for t in notice.tables for r in t.rows for c in r.cells]
    assert any("********" in c for c in cells)  # the masked IDs sit in the table


def test_the_request_has_its_header_number_signer_attachment_note_and_a_roster_with_full_ids(scene: Scene):
    document = _request(scene, scene.all_cases)
    scene.session.commit()
    word = _open(document)
    text = _text(word)
    paragraphs = _paragraphs(word)
    assert paragraphs[0] == "示范镇人民政府文件"
    assert word.paragraphs[0].runs[0].font.color.rgb is not None and str(word.paragraphs[0].runs[0].font.color.rgb) \
        == "E60012"
    assert "示镇政〔2026〕1号" in text and "签发人：" in text and "王建国" in text
    assert "长沙县人民政府：" in paragraphs
    assert "妥否，请批示。" in paragraphs and "附件：示范镇2026年度拟脱贫人口花名册" in paragraphs
    assert "（联系人：扶贫工作站 李红梅，电话：0731-86500000）" in paragraphs
    assert "共12户36人" in text
    (roster,) = word.tables
    header = roster.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in roster.rows)
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in roster.rows[1:])
    assert [c.text for c in roster.rows[0].cells][7] == "身份证号"
    ids = scene.session.exec(select(Member.resident_id).join(Household, Household.id == Member.household_id)
                             .join(Case, Case.household_id == Household.id)
                             .where(Case.id.in_(scene.all_cases))).all()  # type: ignore[union-attr]
    column = {r.cells[7].text for r in roster.rows[1:]}
    assert set(ids) <= column and FULL_ID.search(text)


def test_the_pages_are_a4_with_the_gbt_9704_margins_and_the_roster_is_landscape(scene: Scene):
    documents = _all_four(scene)
    for kind in LETTERS:
        first = _open(documents[kind]).sections[0]
        assert first.orientation == WD_ORIENT.PORTRAIT
        assert _close(first.page_width, Mm(210)) and _close(first.page_height, Mm(297)), kind
        assert _close(first.top_margin, Mm(37)) and _close(first.bottom_margin, Mm(35)), kind
        assert _close(first.left_margin, Mm(28)) and _close(first.right_margin, Mm(26)), kind
    sections = _open(documents["township_request"]).sections
    assert len(sections) == 2
    roster = sections[1]
    assert roster.orientation == WD_ORIENT.LANDSCAPE
    assert _close(roster.page_width, Mm(297)) and _close(roster.page_height, Mm(210))
    announcement = _open(documents["county_announcement"])
    label = next(p for p in announcement.paragraphs if p.text == "附件")
    assert label.paragraph_format.page_break_before
    (listing,) = announcement.tables
    assert listing.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_same_document_gives_the_same_docx_and_a_missing_one_is_written_again(scene: Scene):
    window = scene.notices[scene.villages[0]]
    first = render_village_notice(scene.session, window_id=window, now=POSTED)
    scene.session.commit()
    digest = first.docx_sha256
    Path(first.docx_path).unlink()
    again = render_village_notice(scene.session, window_id=window, now=POSTED)
    assert again.id == first.id and Path(again.docx_path).is_file() and again.docx_sha256 == digest


def test_with_docx_off_no_docx_is_written(scene: Scene, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TUOPIN_DOCX", "false")
    get_settings.cache_clear()
    notice = render_village_notice(scene.session, window_id=scene.notices[scene.villages[0]], now=POSTED)
    announcement = render_county_announcement(scene.session, window_id=scene.announcement_id, now=ANNOUNCED)
    request = _request(scene, scene.all_cases)
    for document in (notice, announcement, request):
        assert document.docx_path == "" and document.docx_sha256 == ""
        assert not Path(document.path).with_suffix(".docx").exists()


@pytest.mark.parametrize("kind", LETTERS)
def test_page_numbers_are_a_page_field_between_dashes_odd_right_even_left(scene: Scene, kind: str):
    word = _open(_all_four(scene)[kind])
    assert word.settings.odd_and_even_pages_header_footer
    first = word.sections[0]
    for footer, side in ((first.footer, "right"), (first.even_page_footer, "left")):
        (paragraph,) = footer.paragraphs
        assert paragraph.text.replace("1", "") == "—  —"
        assert [f.get(qn("w:instr")) for f in paragraph._p.iter(qn("w:fldSimple"))] == ["PAGE"]
        assert paragraph.alignment == (WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT)
        indent = paragraph.paragraph_format.right_indent if side == "right" else paragraph.paragraph_format.left_indent
        assert _close(indent, Pt(14))
    assert all(s.footer.is_linked_to_previous for s in word.sections[1:])  # the roster pages keep counting
    assert _close(first.footer_distance, Mm(35 - 7) - Pt(14 * 1.2))


@pytest.mark.parametrize(("kind", "lines"), [
    ("township_request", ["抄送：长沙县扶贫开发领导小组办公室。", "示范镇人民政府办公室\t2026年11月21日印发"]),
    ("county_announcement", ["抄送：长沙市扶贫开发办公室。", "长沙县人民政府办公室\t2026年12月10日印发"]),
])
def test_the_foot_ends_the_letter_in_a_frame_at_the_bottom_of_the_page(scene: Scene, kind: str, lines: list[str]):
    word = _open(_all_four(scene)[kind])
    foot = word.paragraphs[-2:]
    assert [p.text for p in foot] == lines
    for paragraph in foot:
        frame = paragraph._p.pPr.find(qn("w:framePr"))
        assert frame is not None and frame.get(qn("w:yAlign")) == "bottom" and frame.get(qn("w:vAnchor")) == "margin"
    top, bottom = (foot[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:top")),
                   foot[-1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")))
    assert top.get(qn("w:sz")) == bottom.get(qn("w:sz")) == "8"  # the outer rules, thicker than the one between
    assert foot[-1]._p.pPr.find(qn("w:pBdr")).find(qn("w:top")).get(qn("w:sz")) == "6"
