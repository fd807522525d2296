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
    first = printed["township_request"][0]
    lines = [w for w in first.words if w.text.startswith("按照贫困户退出") or w.text.startswith("基本医疗")]
    assert len(lines) == 2
    full = [w for w in first.words if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef]{20,}", w.text)]
    assert full and all(len(w.text) == 28 for w in full), [w.text for w in full]
    tops = sorted({round(w.top, 1) for w in first.words if w.top > lines[0].top - 1 and w.bottom < first.type_area[2]})
    pitch = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert pitch and all(p == pytest.approx(225 * MM / 22, abs=0.3) for p in pitch)
