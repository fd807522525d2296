"""What is wrong with an import file: one problem per row, column and reason, as the clerk sees it in Excel."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.core.errors import TuopinError

WHOLE_FILE = "（整个文件）"


@dataclass(frozen=True)
class Problem:
    """A bad cell: its row number as Excel shows it (0 for the whole file), column header, value and reason."""

    row: int
    column: str
    value: str
    reason: str

    def line(self) -> str:
        where = f"第{self.row}行" if self.row else WHOLE_FILE
        value = f"“{self.value}”" if self.value else "（空）"
        return f"{where}　{self.column}　{value}　{self.reason}"


class ImportRefused(TuopinError):
    """A file with problems: nothing was written; `problems` lists every one, in the order given (row by row)."""

    def __init__(self, file_name: str, problems: Sequence[Problem]) -> None:
        self.file_name = file_name
        self.problems = list(problems)
        lines = [p.line() for p in self.problems[:5]]
        more = f"……共{len(self.problems)}个问题" if len(self.problems) > 5 else ""
        super().__init__(f"文件“{file_name}”有{len(self.problems)}个问题，未导入任何数据：" + "；".join(lines) + more)


def shown(value: object) -> str:
    """A cell's value as a report shows it (long values cut)."""
    text = "" if value is None else str(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def write_report(problems: Sequence[Problem], path: Path) -> Path:
    """The full list as a CSV that Excel opens directly (UTF-8 with a byte order mark)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["行号", "列名", "填写内容", "问题"])
        for problem in problems:
            writer.writerow([problem.row or "—", problem.column, problem.value, problem.reason])
    return path
