"""Editable copies: each letter and notice also written as a DOCX beside its HTML, for an office to retouch in Word.

The DOCX is built with python-docx from the same frozen context dataclass the HTML template prints, so the
content has one source of truth (the builders in models/documents/, which already mask IDs and phones in
public documents: nothing here reads the database). The layout follows GB/T 9704-2012 as the HTML does: A4,
margins 37/35/28/26 mm, 3号 (16 pt) 仿宋 body with two-character indents, 2号 (22 pt) 小标宋 titles, the red
organ header of a 请示 or 公告, the signature and date at the right, and the roster or list as a table whose
header row repeats on every page and whose rows never break across pages (the 花名册 on landscape pages).

Why not docxtpl: it fills Word templates, and those would have to be kept in the repository as binary .docx
files, which cannot be reviewed or diffed like the Jinja2 templates; building the document in code keeps the
layout readable here. The file is written with fixed timestamps, so the same context gives the same bytes.
"""


from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docx.shared import Pt

from models.core.clock import cn_date
from models.documents.docx_layout import (
    FIXED_TIME,
    HEITI,
    LINE,
    ROSTER_SIZE,
    TABLE_SIZE,
    DocxDocument,
    add_attachment_label,
    add_attachment_note,
    add_body,
    add_landscape_section,
    add_paragraph,
    add_red_header,
    add_signature,
    add_table,
    add_title,
    fill_cell,
    mark_row,
    new_document,
)
from models.documents.docx_page import add_foot, add_page_numbers
from models.documents.files import write_atomically
from models.documents.render import cn_period, yuan


def _villages(villages: Sequence[Any], last: str) -> str:
    return "，".join(f"{v.village}{v.households}户{v.people}人" for v in villages) + (last if villages else "")


# -- the documents ------------------------------------------------------------------------------------------


def village_notice_docx(doc: Any) -> DocxDocument:
    """公示: title, basis and procedure, the window in dates, the list (masked), how to object, the committee."""
    document = new_document(doc.village_office, doc.posted_on)
    add_title(document, doc.title_lines, space_before=Pt(0))
    add_body(document, f"贫困户退出以户为单位，主要衡量标准是“一超过、两不愁、三保障、一安全”：家庭年人均纯收入"
                    f"{doc.income_rule}，不愁吃、不愁穿，义务教育、基本医疗、住房安全有保障，饮水安全。")
    add_body(document, f"经村民小组推荐、村委会评议、乡镇入户核查，{doc.village}{doc.year}年度拟退出贫困户"
                    f"{doc.households}户{doc.people}人，现将名单予以公示。")
    add_body(document, f"公示期：{cn_period(doc.first_day, doc.last_day)}")
    _public_list(document, doc, with_village=False)
    add_body(document, f"公示期间，对公示对象如有异议，请于{cn_date(doc.last_day)}前（含当日），以书面或口头形式向"
                    f"村民委员会或{doc.township_office}反映。联系人：{doc.contact_name}，联系电话："
                    f"{doc.contact_phone}。")
    add_signature(document, doc.village_office, doc.posted_on)
    add_page_numbers(document)
    return document


def _public_list(document: DocxDocument, doc: Any, *, with_village: bool) -> Any:
    """The public list of a notice or announcement: only the context's (masked) strings, columns by policy."""
    header = ["序号", *(["村"] if with_village else []), "村民小组", "户主姓名", "家庭人口"]
    header += (["户主身份证号"] if doc.show_id else []) + (["联系电话"] if doc.show_phone else [])
    rows = [
        [str(r.serial), *([r.village] if with_village else []), r.group, r.head, str(r.size)]
        + ([r.resident_id] if doc.show_id else []) + ([r.phone] if doc.show_phone else [])
        for r in doc.rows
    ]
    extra = [""] * (int(doc.show_id) + int(doc.show_phone))
    return add_table(document, header, rows, TABLE_SIZE,
                  total=[f"合计（{doc.households}户）", str(doc.people), *extra])


def township_request_docx(doc: Any) -> DocxDocument:
    """请示 (上行文): red header with 签发人, title, the one addressee, the facts, the request, and the roster
    attached on landscape pages with full IDs (an internal document)."""
    document = new_document(doc.office_name, doc.issued_on)
    add_red_header(document, office=doc.office_name, number=doc.number, signer=doc.signer)
    add_title(document, doc.title_lines, space_before=2 * LINE)
    add_paragraph(document, f"{doc.addressee}：")
    add_body(document, f"按照贫困户退出“一超过、两不愁、三保障、一安全”标准（家庭年人均纯收入{doc.income_rule}，"
                    f"不愁吃、不愁穿，义务教育、基本医疗、住房安全有保障，饮水安全）和退出程序，{doc.we}组织开展了"
                    f"{doc.year}年度贫困户脱贫退出工作。现将有关情况请示如下：")
    add_body(document, f"经村民小组推荐、村委会评议，{doc.we}{doc.year}年度拟脱贫贫困户共{doc.households}户"
                    f"{doc.people}人，其中：{_villages(doc.villages, '。')}", heading="一、基本情况。")
    add_body(document, "乡镇核查组对拟脱贫户逐户入户核查，采用“四看一算”方法：一看住房是否安全，二看有无患病卧床人员、"
                    "是否得到救治，三看有无适龄子女失学辍学，四看饮水是否安全，算家庭人均纯收入。"
                    f"共核查{doc.checked}户，达到退出标准{doc.passed}户，户主在贫困户脱贫签字表上签字确认"
                    f"{doc.signed}户。", heading="二、核查情况。")
    if doc.publicity:
        posted = "；".join(f"{p.villages}于{cn_period(p.first_day, p.last_day)}进行了公示" for p in doc.publicity)
        publicity = posted + "。"
    else:
        publicity = "拟脱贫户名单尚未公示。"
    add_body(document, publicity + doc.objection_note, heading="三、公示情况。")
    add_body(document, f"经{doc.office_name}审核研究，拟同意上述{doc.households}户{doc.people}人脱贫退出，名单见附件。",
          heading="四、审核意见。")
    add_body(document, "妥否，请批示。").paragraph_format.keep_with_next = True
    add_attachment_note(document, doc.roster_title)
    add_signature(document, doc.office_name, doc.issued_on)
    add_paragraph(document, f"（联系人：{doc.contact_name}，电话：{doc.contact_phone}）", indent=True)

    add_landscape_section(document)
    add_attachment_label(document, new_page=False)
    add_title(document, doc.roster_title_lines, space_before=LINE)
    _roster(document, doc)
    add_foot(document, doc.foot)
    add_page_numbers(document)
    return document


ROSTER_HEADER = ("序号", "村", "村民小组", "户主", "与户主关系", "姓名", "性别", "身份证号", "家庭人口",
                 "人均纯收入（元）", "脱贫年度")
PER_HOUSEHOLD = (0, 1, 2, 3, 8, 9, 10)  # columns printed once per household, merged over its member rows


def _roster(document: DocxDocument, doc: Any) -> Any:
    """花名册: one row per member, the household's columns merged down its rows, which keep to one page."""
    table = add_table(document, ROSTER_HEADER, [], ROSTER_SIZE)
    for h in doc.roster:
        rows = []
        for member in h.members or ():
            row = table.add_row()  # cells are kept from here: looking them up in the table costs O(rows)
            mark_row(row, header=False)
            cells = row.cells
            rows.append(cells)
            for column, text in ((4, member.relation), (5, member.name), (6, member.sex), (7, member.resident_id)):
                fill_cell(cells[column], text, ROSTER_SIZE)
        if not rows:
            continue
        income = yuan(h.per_capita) if h.per_capita is not None else "未核查"
        values = (str(h.serial), h.village, h.group, h.head, str(h.size), income, str(h.exit_year))
        for column, text in zip(PER_HOUSEHOLD, values, strict=True):
            cell = rows[0][column]
            if len(rows) > 1:
                cell = cell.merge(rows[-1][column])
            fill_cell(cell, text, ROSTER_SIZE)
        for cells in rows[:-1]:  # a household's rows stay on one page (Word: keep with next)
            for cell in cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    row = table.add_row()
    mark_row(row, header=False)
    cells = row.cells
    fill_cell(cells[0].merge(cells[3]), "合计", ROSTER_SIZE, HEITI)
    fill_cell(cells[4].merge(cells[10]), f"共{doc.households}户{doc.people}人", ROSTER_SIZE, HEITI)
    return table


def county_announcement_docx(doc: Any) -> DocxDocument:
    """公告: red header with the centred number, title, the result by village, the window and how to object,
    the public list (masked) attached on a new page."""
    document = new_document(doc.office_name, doc.issued_on)
    add_red_header(document, office=doc.office_name, number=doc.number, signer=None)
    add_title(document, doc.title_lines, space_before=2 * LINE)
    add_body(document, f"按照贫困户退出“一超过、两不愁、三保障、一安全”标准和程序，{doc.township}{doc.year}年度拟脱贫"
                    "贫困户经村民小组推荐、村委会评议、乡镇入户核查、村和乡镇公示、乡镇审核请示和县级抽查复核，经"
                    f"{doc.office_name}审定，同意{doc.township}{doc.households}户{doc.people}人脱贫退出，其中："
                    f"{_villages(doc.villages, '。')}")
    add_body(document, f"现予公告，公告期：{cn_period(doc.first_day, doc.last_day)}。公告期间，如有异议，请于"
                    f"{cn_date(doc.last_day)}前（含当日），以书面或口头形式向{doc.office_name}反映（联系人："
                    f"{doc.contact_name}，电话：{doc.contact_phone}）。")
    add_attachment_note(document, doc.list_title)
    add_signature(document, doc.office_name, doc.issued_on)

    add_attachment_label(document, new_page=True)
    add_title(document, doc.list_title_lines, space_before=LINE)
    _public_list(document, doc, with_village=True)
    add_foot(document, doc.foot)
    add_page_numbers(document)
    return document


WRITERS: dict[str, Callable[[Any], DocxDocument]] = {
    "village_notice": village_notice_docx,
    "township_request": township_request_docx,
    "county_announcement": county_announcement_docx,
}


def docx_bytes(kind: str, context: object) -> bytes:
    """The DOCX of a document's context, with fixed zip timestamps (the same context gives the same bytes)."""
    document = WRITERS[kind](context)
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def write_docx(kind: str, context: object, html_path: Path) -> tuple[Path, str]:
    """Write the DOCX of this context beside the HTML file (replaced in one step); returns its path and sha256."""
    target = html_path.with_suffix(".docx")
    return target, write_atomically(target, docx_bytes(kind, context))
