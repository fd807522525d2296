"""Rows of a roster file as Excel shows them: .xlsx (first sheet, cached values) or .csv (UTF-8 with or without
BOM, GB18030 as Excel on Chinese Windows saves it, or UTF-16 "Unicode text"), numbered from 1."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.importing.problems import WHOLE_FILE, Problem

Cell = object  # str, int, float, bool, datetime or None, as the file holds it


@dataclass(frozen=True)
class Sheet:
    rows: list[tuple[int, list[Cell]]]  # (row number as Excel shows it, cells); wholly empty rows left out
    encoding: str  # "xlsx" or the CSV's detected encoding


class Unreadable(Exception):
    """The file cannot be read at all; carries the one problem to report."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.line())


def _refuse(path: Path, reason: str) -> Unreadable:
    return Unreadable(Problem(0, WHOLE_FILE, path.name, reason))


def text(value: Cell) -> str:
    """A cell as text: integral numbers without ".0", everything trimmed (full-width spaces too)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _nonempty(rows: Sequence[Sequence[Cell]]) -> list[tuple[int, list[Cell]]]:
    return [(number, list(row)) for number, row in enumerate(rows, start=1)
            if any(c is not None and (not isinstance(c, str) or c.strip()) for c in row)]


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns (in English) about styles and extensions it does not read; the values are intact.
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _refuse(path, "无法读取该Excel文件（文件已损坏、设有打开密码或不是.xlsx格式），"
                            "请在Excel中打开后另存为.xlsx") from exc
    try:
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    return Sheet(_nonempty(rows), "xlsx")


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was found in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8（带BOM）"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "GB18030"


def _read_csv(path: Path) -> Sheet:
    try:
        content, encoding = decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise _refuse(path, "无法识别文件编码，请在Excel中另存为“CSV UTF-8（逗号分隔）”或.xlsx") from exc
    first = content.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise _refuse(path, "CSV文件格式有误（可能有不成对的英文引号，使其后的内容并进了一个单元格），"
                            "请在Excel中打开后另存为.xlsx或CSV") from exc
    return Sheet(_nonempty(rows), encoding)


def read_sheet(path: Path) -> Sheet:
    """The file's rows; Unreadable when it is missing, of another format, or damaged."""
    if not path.is_file():
        raise _refuse(path, "文件不存在")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix in (".xls", ".et", ".wps"):
        raise _refuse(path, "不支持旧版Excel（.xls）或WPS格式，请另存为.xlsx或CSV后再导入")
    raise _refuse(path, "只能导入.xlsx或.csv文件")
