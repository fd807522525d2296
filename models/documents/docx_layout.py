"""The GB/T 9704 page, fonts and building blocks (headers, titles, tables) of the editable DOCX copies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from models.core.clock import cn_date

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
RED = RGBColor(0xE6, 0x00, 0x12)

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
ORGAN_SIZE = Pt(32)
TABLE_SIZE = Pt(12)
ROSTER_SIZE = Pt(11)
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
CHAR = Pt(16)  # one full-width character of the body

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# The landscape roster keeps the same type area turned (225 × 156 mm), as the HTML's @page roster does.
LANDSCAPE_MARGINS = {"top": Mm(28), "bottom": Mm(26), "left": Mm(35), "right": Mm(37)}
TYPE_WIDTH = Mm(156)

FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entry timestamps: the same content gives the same bytes

DocxDocument = Any  # python-docx ships no type information


# -- fonts, paragraphs, tables ------------------------------------------------------------------------------


def set_font(run: Any, family: str, size: Any = None, *, color: RGBColor | None = None) -> None:
    """Give a run one font family for Latin and Chinese text (the east-asian font goes in rFonts eastAsia)."""
    run.font.name = family
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), family)
    if size is not None:
        run.font.size = size
    if color is not None:
        run.font.color.rgb = color


def add_run(paragraph: Any, text: str, family: str = FANGSONG, size: Any = None, *,
         color: RGBColor | None = None) -> Any:
    run = paragraph.add_run(text)
    set_font(run, family, size, color=color)
    return run


def add_paragraph(document: DocxDocument, text: str = "", *, indent: bool = False, align: Any = None,
               family: str = FANGSONG, size: Any = None, space_before: Any = None) -> Any:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = 2 * CHAR
    if align is not None:
        paragraph.alignment = align
    if space_before is not None:
        paragraph.paragraph_format.space_before = space_before
    if text:
        add_run(paragraph, text, family, size)
    return paragraph


def add_body(document: DocxDocument, text: str, heading: str = "") -> Any:
    """A body paragraph indented two characters, its optional 一、 heading in 黑体."""
    paragraph = add_paragraph(document, indent=True)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if heading:
        add_run(paragraph, heading, HEITI)
    add_run(paragraph, text)
    return paragraph


def add_title(document: DocxDocument, lines: Sequence[str], *, space_before: Any = LINE) -> Any:
    """The title in 2号小标宋, centred, each of the context's lines on its own line."""
    paragraph = add_paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=space_before)
    paragraph.paragraph_format.space_after = LINE
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    paragraph.paragraph_format.line_spacing = 1.2
    for index, line in enumerate(lines):
        run = add_run(paragraph, line, XIAOBIAOSONG, TITLE_SIZE)
        if index < len(lines) - 1:
            run.add_break()
    return paragraph


def add_red_header(document: DocxDocument, *, office: str, number: str, signer: str | None) -> None:
    """版头: the organ's name and 文件 in red, the number (with 签发人 for a 上行文), and a red rule under them."""
    organ = add_paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=Mm(35))
    organ.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    organ.paragraph_format.line_spacing = 1.2
    add_run(organ, f"{office}文件", XIAOBIAOSONG, ORGAN_SIZE, color=RED)
    line = add_paragraph(document, space_before=2 * LINE)
    fmt = line.paragraph_format
    if signer is None:
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(line, number)
    else:
        fmt.left_indent = CHAR
        fmt.right_indent = CHAR
        fmt.tab_stops.add_tab_stop(TYPE_WIDTH - 2 * CHAR, WD_TAB_ALIGNMENT.RIGHT)
        add_run(line, f"{number}\t签发人：")
        add_run(line, signer, KAITI)
    rule = add_paragraph(document)
    borders = OxmlElement("w:pBdr")  # added first: Word wants pBdr before the spacing python-docx adds next
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "E60012")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    rule._p.get_or_add_pPr().append(borders)
    rule.paragraph_format.line_spacing = Pt(4)
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def add_signature(document: DocxDocument, organ: str, day: date) -> None:
    """The issuing organ above the date, at the right, the date indented four characters from the right."""
    name = add_paragraph(document, organ, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=2 * LINE)
    name.paragraph_format.right_indent = 4 * CHAR
    name.paragraph_format.keep_with_next = True
    when = add_paragraph(document, cn_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)
    when.paragraph_format.right_indent = 4 * CHAR


def add_attachment_note(document: DocxDocument, title: str) -> None:
    paragraph = add_paragraph(document, f"附件：{title}", indent=True, space_before=LINE)
    paragraph.paragraph_format.keep_with_next = True


def add_attachment_label(document: DocxDocument, *, new_page: bool) -> None:
    """`附件` in 黑体 at the top left of a new page (the landscape roster starts its own section instead)."""
    paragraph = add_paragraph(document)
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    add_run(paragraph, "附件", HEITI)


def mark_row(row: Any, *, header: bool) -> None:
    """A row that never breaks across pages; the header row also repeats at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def fill_cell(cell: Any, text: str, size: Any, family: str = FANGSONG) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = 0
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    add_run(paragraph, text, family, size)


def add_table(document: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]], size: Any,
           *, total: Sequence[str] = ()) -> Any:
    """A bordered list: the header row in 黑体 repeated on each page, then the rows, then an optional total row."""
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    row = table.add_row()
    mark_row(row, header=True)
    for cell, text in zip(row.cells, header, strict=True):
        fill_cell(cell, text, size, HEITI)
    for values in rows:
        row = table.add_row()
        mark_row(row, header=False)
        for cell, text in zip(row.cells, values, strict=True):
            fill_cell(cell, text, size)
    if total:
        add_total_row(table, total, size)
    return table


def add_total_row(table: Any, values: Sequence[str], size: Any) -> None:
    """合计: the first value spans the columns the later ones do not fill; later values end the row."""
    row = table.add_row()
    mark_row(row, header=False)
    cells = row.cells
    span = len(cells) - len(values) + 1
    first = cells[0].merge(cells[span - 1]) if span > 1 else cells[0]
    fill_cell(first, values[0], size, HEITI)
    for cell, text in zip(cells[span:], values[1:], strict=False):
        fill_cell(cell, text, size, HEITI)


def new_document(author: str, day: date) -> DocxDocument:
    """An A4 document with the GB/T 9704 margins, 16 pt 仿宋 on a 28.95 pt line as the normal style."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    set_margins(section, MARGINS)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FANGSONG, BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    core = document.core_properties
    stamp = datetime(day.year, day.month, day.day)
    core.author = core.last_modified_by = author
    core.created = core.modified = stamp
    core.revision = 1
    return document


def set_margins(section: Any, margins: dict[str, Any]) -> None:
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.header_distance = Mm(15)
    section.footer_distance = Mm(margins["bottom"].mm - 7) - Pt(14 * 1.2)  # page numbers 7 mm under the type area


def add_landscape_section(document: DocxDocument) -> Any:
    """A new section on A4 turned: orientation landscape, width and height swapped, the type area turned."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    set_margins(section, LANDSCAPE_MARGINS)
    return section
