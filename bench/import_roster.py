"""Benchmark of the roster import on a synthetic county (default 10,000 households, 30,000 people), printed, never
asserted: the county is built, exported to .xlsx, its households deleted, and the file imported back (checked
only, then checked and written in one transaction); then the same rows as Excel saves them (shared strings,
where openpyxl writes each string inline) and as a GB18030 CSV.

Usage: python -m bench.import_roster [--households N] [--people N] [--url DATABASE_URL]
"""

from __future__ import annotations

import argparse
import csv
import re
import resource
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from openpyxl import load_workbook
from sqlalchemy import delete
from sqlmodel import Session

from models.core.actors import system_actor
from models.core.db import session_scope, upgrade
from models.core.household import Household, Income, Member
from models.importing import export_roster, import_roster
from synthetic.area import COUNTY, build_area

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
T = TypeVar("T")


def timed(label: str, work: Callable[[], T]) -> T:
    """Run `work`, printing its wall time and this process's CPU time (the steadier number on a shared machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(f"{label:<66} {time.perf_counter() - start:6.2f} s wall, {time.process_time() - cpu:6.2f} s CPU")
    return result


def wipe(session: Session) -> None:
    for table in (Income, Member, Household):
        session.execute(delete(table))
    session.commit()


def to_csv(xlsx: Path, out: Path) -> Path:
    book = load_workbook(xlsx, read_only=True)
    with out.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        for row in book.worksheets[0].iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    book.close()
    return out


def as_excel_saves(xlsx: Path, out: Path) -> Path:
    """The same workbook with its strings in a shared table, as Excel and WPS save them (openpyxl reads those
    three times faster than the inline strings it writes itself)."""
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        return f'<c{match.group(1)} t="s"><v>{strings.setdefault(match.group(2), len(strings))}</v></c>'

    main = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename).decode()
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(r'<c([^>]*?) t="inlineStr"><is><t>(.*?)</t></is></c>', shared, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", f'<Relationship Id="rIdStrings" Type="{main}/officeDocument/'
                                    '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
            target.writestr(item, data)
        table = "".join(f"<si><t>{text}</t></si>" for text in strings)
        target.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}/spreadsheetml/2006/main" count="{len(strings)}"'
                                                f' uniqueCount="{len(strings)}">{table}</sst>')
    return out


def import_twice(session: Session, path: Path, kind: str) -> None:
    system = system_actor(session)
    plan = timed(f"{kind}: read and check the whole file (--dry-run)",
                 lambda: import_roster(session=session, path=path, actor=system, now=NOW, dry_run=True))
    def write() -> None:
        import_roster(session=session, path=path, actor=system, now=NOW)
        session.commit()

    timed(f"{kind}: read, check and write {len(plan.households)} households / {plan.people} people, commit", write)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--url", default="", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tuopin-import-"))
    url = args.url or f"sqlite:///{folder / 'tuopin.db'}"
    upgrade(url)
    with session_scope(url) as session:
        timed(f"build the county ({args.households} households, {args.people} people)",
              lambda: build_area(session, townships=20, villages_per_township=15, households=args.households,
                                 people=args.people, year=2026))
        session.commit()
        system = system_actor(session)
        xlsx = folder / "county.xlsx"
        done = timed("export the county roster to .xlsx",
                     lambda: export_roster(session=session, region=COUNTY[0], path=xlsx, actor=system, now=NOW))
        session.commit()
        print(f"  {done.households} households, {done.people} rows, {xlsx.stat().st_size / 1e6:.1f} MB")
        wipe(session)
        import_twice(session, xlsx, ".xlsx as openpyxl writes it")
        wipe(session)
        import_twice(session, as_excel_saves(xlsx, folder / "excel.xlsx"), ".xlsx as Excel saves it")
        gb = to_csv(xlsx, folder / "county.csv")
        wipe(session)
        import_twice(session, gb, "GB18030 .csv")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<66} {peak:6.0f} MB")


if __name__ == "__main__":
    main()
