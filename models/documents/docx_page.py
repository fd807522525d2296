"""What GB/T 9704 puts around the text of the editable DOCX copies: page numbers and the 版记 (foot)."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from models.core.clock import cn_date
from models.documents.docx_layout import FANGSONG, TYPE_WIDTH, DocxDocument, add_paragraph, add_run

SONG = "宋体"
FOOT_SIZE = Pt(14)  # 4号, for page numbers and the foot
FOOT_CHAR = Pt(14)
TWIPS_PER_EMU = 1 / 635


def _page_number(footer: Any, align: Any) -> None:
    """— 1 — with a PAGE field, one character in from the side it sits on."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.left_indent = FOOT_CHAR if align == WD_ALIGN_PARAGRAPH.LEFT else 0
    fmt.right_indent = FOOT_CHAR if align == WD_ALIGN_PARAGRAPH.RIGHT else 0
    fmt.first_line_indent = 0
    add_run(paragraph, "— ", SONG, FOOT_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = add_run(paragraph, "1", SONG, FOOT_SIZE)._r  # the value Word shows until it updates the field
    field.append(number)
    paragraph._p.append(field)
    add_run(paragraph, " —", SONG, FOOT_SIZE)


def add_page_numbers(document: DocxDocument) -> None:
    """Page numbers in 4号 Song between dashes, 7 mm under the type area: odd pages right, even pages left.

    Later sections (the landscape roster) keep these footers: they are linked to the first section's."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _rule(name: str, size: int) -> Any:
    border = OxmlElement(f"w:{name}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", "000000")):
        border.set(qn(key), value)
    return border


def _foot_line(document: DocxDocument, text: str, rules: list[Any]) -> Any:
    """One line of the foot, in a frame held to the bottom of the type area (Word and LibreOffice honour it)."""
    paragraph = add_paragraph(document)
    p_pr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")  # framePr and pBdr go first; python-docx places what it adds after them
    for key, value in (("w:w", str(int(TYPE_WIDTH * TWIPS_PER_EMU))), ("w:hAnchor", "margin"),
                       ("w:vAnchor", "margin"), ("w:xAlign", "center"), ("w:yAlign", "bottom"), ("w:wrap", "around")):
        frame.set(qn(key), value)
    borders = OxmlElement("w:pBdr")
    for border in rules:
        borders.append(border)
    p_pr.insert(0, borders)
    p_pr.insert(0, frame)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = FOOT_CHAR
    fmt.first_line_indent = 0
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(FOOT_SIZE.pt * 1.6)
    fmt.tab_stops.add_tab_stop(TYPE_WIDTH - 2 * FOOT_CHAR, WD_TAB_ALIGNMENT.RIGHT)
    add_run(paragraph, text, FANGSONG, FOOT_SIZE)
    return paragraph


def add_foot(document: DocxDocument, foot: Any) -> None:
    """版记 on the last page: 抄送 and the printing office with the date, between full-width rules (the outer
    ones 0.35 mm, the one between 0.25 mm)."""
    lines = [f"抄送：{'，'.join(foot.copy_to)}。"] if foot.copy_to else []
    lines.append(f"{foot.printed_by}\t{cn_date(foot.printed_on)}印发")
    for index, text in enumerate(lines):
        rules = [_rule("top", 8 if index == 0 else 6)]
        if index == len(lines) - 1:
            rules.append(_rule("bottom", 8))
        _foot_line(document, text, rules)
