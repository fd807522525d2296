"""The official documents as printed: GB/T 9704 page numbers, the 版记 on the last page, 22 lines of 28 characters."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest

from tests.models import test_documents
from tests.models.test_documents import _all_four

# The scene of the documents' tests (one township, 3 villages, every document's records), and its database.
db_url = test_documents.db_url
scene = test_documents.scene

MM = 72 / 25.4
CHARACTER = 14  # pt: page numbers are 4号, one character in from the type area's edge
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass(frozen=True)
class Word:
    left: float
    top: float
    right: float
    bottom: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    @property
    def type_area(self) -> tuple[float, float, float]:
        """Left, right and bottom edges of the type area: 28/26/35 mm, turned on landscape roster pages."""
        if self.width < self.height:
            return 28 * MM, self.width - 26 * MM, self.height - 35 * MM
        return 35 * MM, self.width - 37 * MM, self.height - 26 * MM


def read_back(pdf: str) -> list[Page]:
    """Each page with its words and their boxes (points from the top left), as poppler reads them."""
    xml = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True).stdout
    return [Page(n, float(w), float(h), [Word(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
                                         WORD.findall(body)])
            for n, (w, h, body) in enumerate(PAGE.findall(xml), 1)]


@pytest.fixture
def printed(scene):
    documents = _all_four(scene)
    return {kind: read_back(str(documents[kind].pdf_path)) for kind in ("township_request", "county_announcement")}


@pytest.mark.parametrize("kind", ["township_request", "county_announcement"])
def test_page_numbers_sit_7mm_under_the_type_area_odd_right_even_left(printed, kind):
    assert len(printed[kind]) >= 3
    for page in printed[kind]:
        left, right, bottom = page.type_area
        numbers = [w for w in page.words if w.text == str(page.number) and abs(w.top - bottom - 7 * MM) < 1.5]
        assert len(numbers) == 1, page.number
        dashes = sorted((w for w in page.words if w.text == "—" and abs(w.top - numbers[0].top) < 1),
                        key=lambda w: w.left)
        assert len(dashes) == 2 and dashes[0].right <= numbers[0].left < numbers[0].right <= dashes[1].left
        if page.number % 2:
            assert dashes[1].right == pytest.approx(right - CHARACTER, abs=1.5)
        else:
            assert dashes[0].left == pytest.approx(left + CHARACTER, abs=1.5)


@pytest.mark.parametrize(("kind", "copy_to", "printer"), [
    ("township_request", "抄送：长沙县扶贫开发领导小组办公室。", "示范镇人民政府办公室"),
    ("county_announcement", "抄送：长沙市扶贫开发办公室。", "长沙县人民政府办公室"),
])
def test_the_foot_closes_the_last_page_at_the_bottom_of_the_type_area(printed, kind, copy_to, printer):
    pages = printed[kind]
    for page in pages[:-1]:
        assert not any(w.text.startswith("抄送") or w.text.endswith("印发") for w in page.words), page.number
    last = pages[-1]
    _, _, bottom = last.type_area
    copy_line = next(w for w in last.words if w.text.startswith("抄送"))
    printer_word = next(w for w in last.words if w.text == printer)
    printed_on = next(w for w in last.words if re.fullmatch(r"2026年\d{1,2}月\d{1,2}日印发", w.text))
    assert copy_line.text == copy_to
    assert copy_line.bottom < printer_word.top and abs(printer_word.top - printed_on.top) < 1
    assert printed_on.bottom == pytest.approx(bottom, abs=4 * MM)  # the last line of the type area
    assert printer_word.left < printed_on.left  # organ at the left, the date at the right
    body = [w for w in last.words if w.bottom < bottom - 15 * MM]
    assert body and max(w.bottom for w in body) < copy_line.top


def test_the_letter_is_set_in_lines_of_28_characters_about_22_to_a_page(printed):
    letter = [page for page in printed["township_request"] if page.width < page.height]  # the portrait pages
    full = [w for page in letter for w in page.words if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef]{20,}", w.text)]
    width = (156 * MM) / 28  # a character's advance: 16 pt less the quarter point of letter-spacing
    filled = 0
    for line in full:  # a first line of a paragraph starts two characters in
        total = len(line.text) + round((line.left - letter[0].type_area[0]) / width)
        assert total <= 28, line
        if line.right == pytest.approx(letter[0].type_area[1], abs=2):  # a line that reaches the right edge
            assert total == 28, line
            filled += 1
        # A line may end a character early where a quotation mark may not begin or end a line (禁则).
    assert filled >= 2
    # Body lines starting at the type area's left edge sit on a grid of 225 mm / 22: the distances between them
    # are whole multiples of the pitch.
    first = letter[0]
    addressee = next(w for w in first.words if w.text == "长沙县人民政府：")
    left = first.type_area[0]
    tops = sorted(w.top for w in first.words if abs(w.left - left) < 1 and w.top > addressee.top)
    pitch = 225 * MM / 22
    steps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert len(steps) >= 3 and min(steps) == pytest.approx(pitch, abs=0.3), steps
    assert all(abs(d - round(d / pitch) * pitch) < 0.3 * round(d / pitch) for d in steps), steps


def test_the_number_the_signer_and_the_signature_each_keep_to_one_line(printed):
    """Flex lines of the header and the signature never wrap inside a name or a number."""
    first = printed["township_request"][0]
    number = next(w for w in first.words if w.text.startswith("示镇政"))
    assert re.fullmatch(r"示镇政〔2026〕[1-9]\d*号", number.text)
    signer = next(w for w in first.words if w.text.startswith("签发人"))
    assert signer.text == "签发人：王建国" and abs(signer.top - number.top) < 1
    words = [w.text for page in printed["township_request"] for w in page.words]
    assert "示范镇人民政府" in words and "2026年11月21日" in words
