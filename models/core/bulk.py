"""Many-row writes straight to the database driver: the door's hot path, where SQLAlchemy's per-row
parameter handling would cost more than the database itself.

Values are converted once per statement by the column's own type (so dates are stored exactly as
SQLAlchemy stores them), then every row goes to the driver's executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Table
from sqlmodel import Session

CHUNK = 2000  # ids per statement: well under every driver's parameter limit


def db_value(session: Session, column: Column[Any], value: object) -> object:
    """`value` as the driver receives it for this column (type decorators and dialect processors applied)."""
    dialect = session.get_bind().dialect
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor else value


def _driver(session: Session) -> tuple[Any, Any, str]:
    """The DB-API cursor of the session's own transaction, the dialect, and its placeholder."""
    connection = session.connection()
    dialect = connection.dialect
    mark = "%s" if dialect.paramstyle in ("format", "pyformat") else "?"
    return connection.connection.cursor(), dialect, mark


def executemany(session: Session, table: Table, sql: str, rows: Sequence[Sequence[object]]) -> int:
    """Run `sql` (with `{table}` for the quoted table name and ? placeholders) once per row; rows affected."""
    if not rows:
        return 0
    cursor, dialect, mark = _driver(session)
    statement = sql.format(table=dialect.identifier_preparer.format_table(table)).replace("?", mark)
    try:
        cursor.executemany(statement, rows)
        return int(cursor.rowcount)
    finally:
        cursor.close()


def fetch_in(session: Session, sql: str, ids: Sequence[int | None], tables: dict[str, Table],
             params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql` for many ids: `{ids}` becomes a placeholder list, `{name}` a quoted table, and each ?
    before `{ids}` takes one of `params`; run in chunks of ids."""
    cursor, dialect, mark = _driver(session)
    names = {name: dialect.identifier_preparer.format_table(table) for name, table in tables.items()}
    rows: list[tuple[Any, ...]] = []
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start:start + CHUNK])
            statement = sql.replace("?", mark).format(ids=", ".join([mark] * len(chunk)), **names)
            cursor.execute(statement, params + chunk)
            rows.extend(tuple(r) for r in cursor.fetchall())
    finally:
        cursor.close()
    return rows


def execute_in(session: Session, sql: str, ids: Sequence[int | None], tables: dict[str, Table],
               params: tuple[object, ...] = ()) -> int:
    """Run a write `sql` (an UPDATE) for many ids, placeholders as in `fetch_in`, in chunks of ids; rows affected.
    `params` must already be driver values (`db_value`)."""
    cursor, dialect, mark = _driver(session)
    names = {name: dialect.identifier_preparer.format_table(table) for name, table in tables.items()}
    affected = 0
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start:start + CHUNK])
            cursor.execute(sql.replace("?", mark).format(ids=", ".join([mark] * len(chunk)), **names), params + chunk)
            affected += cursor.rowcount
    finally:
        cursor.close()
    return affected


def from_db(session: Session, column: Column[Any]) -> Any:
    """A function turning this column's raw driver value into its Python value (identity if none needed)."""
    dialect = session.get_bind().dialect
    processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
    return processor or (lambda value: value)
